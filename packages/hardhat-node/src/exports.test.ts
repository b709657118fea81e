/** Pins the public surface, so adding or removing an export is a deliberate, reviewed change. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as main from "./index.js";

test("exports: @x402kit/hardhat-node", () => {
  assert.deepEqual(Object.keys(main).sort(), [
    "DEFAULT_HARDHAT_MNEMONIC",
    "HardhatNodeError",
    "HardhatNodeStartError",
    "PortInUseError",
    "assertPortFree",
    "freePort",
    "isPortFree",
    "isProcessAlive",
    "lastLines",
    "startHardhatNode",
  ]);
});
