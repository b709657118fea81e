import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Hex } from "viem";
import { keccak256, toHex } from "viem";
import { encodeFeeSettlementBatch, type FeeSettlementItem } from "./encodeFeeSettlementBatch.js";
import { SettlementEncodingError } from "./errors.js";

const bytesAt = (hex: Hex, start: number, length: number) => hex.slice(2 + 2 * start, 2 + 2 * (start + length));

const item: FeeSettlementItem = {
  token: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  from: "0x1000000000000000000000000000000000000001",
  payTo: "0x2000000000000000000000000000000000000002",
  feeRecipient: "0x3000000000000000000000000000000000000003",
  value: 10_000n,
  fee: 100n,
  validAfter: 1_750_000_000n,
  validBefore: 1_750_003_600n,
  salt: keccak256(toHex("salt")),
  // r ‖ s ‖ v with a low s and v = 27: the compact form.
  signature: `0x${"11".repeat(32)}${"22".repeat(32)}1b`,
};

describe("encodeFeeSettlementBatch", () => {
  test("default: 141-byte items with a fourth address index, the fee and the salt", () => {
    const batch = encodeFeeSettlementBatch([item]);
    assert.equal((batch.length - 2) / 2, 4 + 4 * 20 + 141);
    assert.equal(bytesAt(batch, 0, 4), "00010004");
    const at = 84;
    assert.equal(bytesAt(batch, at, 9), "00" + "0000" + "0001" + "0002" + "0003");
    assert.equal(BigInt(`0x${bytesAt(batch, at + 9, 12)}`), item.value);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 21, 12)}`), item.fee);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 33, 6)}`), item.validAfter);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 39, 6)}`), item.validBefore);
    assert.equal(`0x${bytesAt(batch, at + 45, 32)}`, item.salt);
    assert.equal(bytesAt(batch, at + 77, 64), `${"11".repeat(32)}${"22".repeat(32)}`);
  });

  test("behavior: widens a fee above 96 bits", () => {
    const batch = encodeFeeSettlementBatch([{ ...item, value: 2n ** 97n, fee: 2n ** 96n }]);
    assert.equal(bytesAt(batch, 84, 1), "02");
    assert.equal((batch.length - 2) / 2, 4 + 4 * 20 + 233);
  });

  test("behavior: refuses a fee above the value", () => {
    assert.throws(
      () => encodeFeeSettlementBatch([item, { ...item, fee: item.value + 1n }]),
      (error: unknown) =>
        error instanceof SettlementEncodingError &&
        error.itemIndex === 1 &&
        error.shortMessage === "Cannot encode settlement item 1: fee 10001 exceeds value 10000.",
    );
  });
});
