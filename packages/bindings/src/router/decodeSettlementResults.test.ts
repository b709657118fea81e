import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeSettlementResults } from "./decodeSettlementResults.js";
import { SettlementDecodingError } from "./errors.js";

describe("decodeSettlementResults", () => {
  test("default: one reason per byte", () => {
    assert.deepEqual(decodeSettlementResults("0x00040d"), ["None", "UsedOrCanceled", "AmountMismatch"]);
    assert.deepEqual(decodeSettlementResults("0x"), []);
  });

  test("behavior: refuses unknown codes and non-bytes", () => {
    assert.throws(
      () => decodeSettlementResults("0x0011"),
      (error: unknown) =>
        error instanceof SettlementDecodingError &&
        error.itemIndex === 1 &&
        error.shortMessage === "Cannot decode the result of settlement item 1: unknown failure reason 17.",
    );
    assert.throws(
      () => decodeSettlementResults("0x0"),
      (error: unknown) =>
        error instanceof SettlementDecodingError &&
        error.shortMessage === "Cannot decode the settlement result: results are not hex bytes.",
    );
  });
});
