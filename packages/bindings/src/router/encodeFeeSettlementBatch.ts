import type { Address, Hex } from "viem";
import { FLAG_WIDE, MAX_NARROW_AMOUNT, MAX_NARROW_TIME } from "./constants.js";
import { SettlementEncodingError, type SettlementEncodingErrorType } from "./errors.js";
import { AddressTable, bytes32, checkItemCount, packSignature, uint } from "./internal/packing.js";

/**
 * One fee-mode payment: a signed EIP-3009 `ReceiveWithAuthorization(from, to = router, value, validAfter,
 * validBefore, nonce = computeFeeCommitment({ chainId, router, payTo, fee, feeRecipient, salt }))`.
 */
export type FeeSettlementItem = {
  /** The EIP-3009 token. */
  token: Address;
  /** The payer and signer. */
  from: Address;
  /** Receives `value - fee`. */
  payTo: Address;
  /** Receives `fee`. */
  feeRecipient: Address;
  /** The signed amount, pulled into the router and paid out in the same item. */
  value: bigint;
  /** The fee, at most `value`. */
  fee: bigint;
  /** Unix seconds after which the authorization is valid. */
  validAfter: bigint;
  /** Unix seconds before which the authorization is valid. */
  validBefore: bigint;
  /** The salt the nonce commits to (not the nonce). */
  salt: Hex;
  /** The payer's signature: 65-byte ECDSA `r ‖ s ‖ v`, or any ERC-1271 signature. */
  signature: Hex;
};

/** Options of {@link encodeFeeSettlementBatch}. */
export type EncodeFeeSettlementBatchOptions = {
  /** Send every signature to the token's `bytes` overload (FiatToken v2.2+) instead of the compact form. */
  forceBytesSignatures?: boolean | undefined;
};

/** The `batch` argument of `BatchSettlementRouter.settleWithFees`. */
export type EncodeFeeSettlementBatchReturnType = Hex;

/** Errors {@link encodeFeeSettlementBatch} throws. */
export type EncodeFeeSettlementBatchErrorType = SettlementEncodingErrorType;

/**
 * Encodes fee-mode payments in the packed format of `BatchSettlementRouter.settleWithFees` (specified in
 * `IBatchSettlementRouter`): each item `flags ‖ token:u16 ‖ from:u16 ‖ payTo:u16 ‖ feeRecipient:u16 ‖ value:u96 ‖
 * fee:u96 ‖ validAfter:u48 ‖ validBefore:u48 ‖ salt ‖ signature`, widened (flag `WIDE`) when a number does not
 * fit. A typical item is 141 bytes.
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009#use-with-smart-contracts
 * @param items - The payments, in settlement order (1 to 65,535).
 * @param options - {@link EncodeFeeSettlementBatchOptions}
 * @returns The packed batch.
 * @throws {SettlementEncodingError} As {@link encodeSettlementBatch}, and when a fee exceeds its value (the
 * router would skip the item; an encoder bug is likelier than intent).
 *
 * @example
 * ```ts
 * import { computeFeeCommitment, encodeFeeSettlementBatch } from "@x402kit/bindings/router";
 *
 * // The payer signed ReceiveWithAuthorization(to = router, nonce = computeFeeCommitment({ ..., salt })).
 * const batch = encodeFeeSettlementBatch([
 *   { token, from, payTo, feeRecipient, value: 10_000n, fee: 100n, validAfter, validBefore, salt, signature },
 * ]);
 * ```
 */
export function encodeFeeSettlementBatch(
  items: readonly FeeSettlementItem[],
  options: EncodeFeeSettlementBatchOptions = {},
): EncodeFeeSettlementBatchReturnType {
  checkItemCount(items.length);
  const table = new AddressTable();
  const encoded = items.map((item, i) => {
    if (item.fee > item.value) {
      throw new SettlementEncodingError({ reason: `fee ${item.fee} exceeds value ${item.value}`, itemIndex: i });
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
