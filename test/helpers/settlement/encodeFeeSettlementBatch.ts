import type { Address, Hex } from "viem";
import { FLAG_WIDE, MAX_NARROW_AMOUNT, MAX_NARROW_TIME } from "./constants.js";
import { SettlementEncodingError } from "./errors.js";
import { AddressTable, bytes32, checkItemCount, packSignature, uint } from "./packing.js";

/**
 * One fee-mode payment: a signed `ReceiveWithAuthorization(from, to = router, value, validAfter, validBefore,
 * nonce = computeFeeCommitment({ chainId, router, payTo, fee, feeRecipient, salt }))`.
 */
export type FeeSettlementItem = {
  token: Address;
  from: Address;
  /** Receives `value - fee`. */
  payTo: Address;
  /** Receives `fee`. */
  feeRecipient: Address;
  value: bigint;
  fee: bigint;
  validAfter: bigint;
  validBefore: bigint;
  /** The salt the nonce commits to (not the nonce). */
  salt: Hex;
  signature: Hex;
};

/**
 * Encodes `items` in the packed format of `BatchSettlementRouter.settleWithFees` (see `IBatchSettlementRouter`):
 * each item `flags ‖ token:u16 ‖ from:u16 ‖ payTo:u16 ‖ feeRecipient:u16 ‖ value:u96 ‖ fee:u96 ‖
 * validAfter:u48 ‖ validBefore:u48 ‖ salt ‖ signature`, widened (flag WIDE) when a number does not fit.
 *
 * @param items - The payments, in settlement order (1 to 65,535).
 * @param options - `forceBytesSignatures`: never use the compact signature form.
 * @returns The `batch` argument.
 */
export function encodeFeeSettlementBatch(
  items: readonly FeeSettlementItem[],
  options: { forceBytesSignatures?: boolean } = {},
): Hex {
  checkItemCount(items.length);
  const table = new AddressTable();
  const encoded = items.map((item, i) => {
    if (item.fee > item.value) {
      // The router would skip it (FeeExceedsValue); an encoder bug is likelier than intent.
      throw new SettlementEncodingError({ message: `fee ${item.fee} exceeds value ${item.value}`, itemIndex: i });
    }
    const { flags: signatureFlags, field: signature } = packSignature(item.signature, i, options.forceBytesSignatures);
    const wide =
      item.value > MAX_NARROW_AMOUNT ||
      item.fee > MAX_NARROW_AMOUNT ||
      item.validAfter > MAX_NARROW_TIME ||
      item.validBefore > MAX_NARROW_TIME;
    const [amountBytes, timeBytes] = wide ? [32, 32] : [12, 6];
    return (
      uint(BigInt(signatureFlags | (wide ? FLAG_WIDE : 0)), 1) +
      uint(BigInt(table.indexOf(item.token, i)), 2) +
      uint(BigInt(table.indexOf(item.from, i)), 2) +
      uint(BigInt(table.indexOf(item.payTo, i)), 2) +
      uint(BigInt(table.indexOf(item.feeRecipient, i)), 2) +
      uint(item.value, amountBytes, "value", i) +
      uint(item.fee, amountBytes, "fee", i) +
      uint(item.validAfter, timeBytes, "validAfter", i) +
      uint(item.validBefore, timeBytes, "validBefore", i) +
      bytes32(item.salt, "salt", i) +
      signature
    );
  });
  return `0x${uint(BigInt(items.length), 2)}${table.encode()}${encoded.join("")}`;
}
