/** Pins the public surface of `@x402kit/bindings/router`, so adding or removing an export is deliberate. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as router from "./index.js";

describe("@x402kit/bindings/router", () => {
  test("default: exports", () => {
    assert.deepEqual(Object.keys(router).sort(), [
      "BaseError",
      "FEE_COMMITMENT_TYPEHASH",
      "FLAG_SIGNATURE_BYTES",
      "FLAG_WIDE",
      "ITEM_GAS_RESERVE",
      "MAX_BATCH_ENTRIES",
      "MAX_NARROW_AMOUNT",
      "MAX_NARROW_TIME",
      "RECOMMENDED_ITEM_GAS_LIMIT",
      "SettlementDecodingError",
      "SettlementEncodingError",
      "UPTO_SETTLER_TYPEHASH",
      "computeFeeCommitment",
      "computeUptoSettlerNonce",
      "decodeSettlementResults",
      "encodeFeeSettlementBatch",
      "encodeSettlementBatch",
      "failureReasons",
      "feeCommitmentTypes",
      "parseSettlementLogs",
      "uptoSettlerTypes",
    ]);
  });

  test("behavior: every exported error is a BaseError subclass with its own name", () => {
    for (const [name, value] of Object.entries(router)) {
      if (!name.endsWith("Error") || name === "BaseError") continue;
      assert.ok(typeof value === "function" && value.prototype instanceof router.BaseError, name);
    }
  });
});
