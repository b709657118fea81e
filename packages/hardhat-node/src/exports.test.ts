/** Pins the public surface, so adding or removing an export is a deliberate, reviewed change. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as fiatToken from "./fiatToken/index.js";
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

test("exports: @x402kit/hardhat-node/fiat-token", () => {
  assert.deepEqual(Object.keys(fiatToken).sort(), [
    "FIAT_TOKEN_NAME",
    "FIAT_TOKEN_PROXY_ADMIN",
    "FIAT_TOKEN_VERSION",
    "FiatTokenDeploymentError",
    "deployFiatToken",
    "fiatTokenAbi",
    "fiatTokenProxyAbi",
  ]);
});
