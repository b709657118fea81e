import type { Address, Hex } from "viem";
import { FLAG_WIDE, MAX_NARROW_AMOUNT, MAX_NARROW_TIME } from "./constants.js";
import { AddressTable, bytes32, checkItemCount, packSignature, uint } from "./packing.js";

/** One x402 `exact` payment: a signed `TransferWithAuthorization` with `to == payTo`. */
export type SettlementItem = {
  /** The EIP-3009 token (the EIP-712 verifying contract). */
  token: Address;
  /** The payer and signer. */
  from: Address;
  /** The payee. */
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
  /** The payer's signature: 65-byte ECDSA `r ‖ s ‖ v`, or any ERC-1271 signature. */
  signature: Hex;
};

export type EncodeSettlementBatchOptions = {
  /** Send every signature to the token's `bytes` overload (FiatToken v2.2+), never the compact form. */
  forceBytesSignatures?: boolean;
};

/**
 * Encodes `items` in the packed format of `BatchSettlementRouter.settle` (see `IBatchSettlementRouter`):
 * `itemCount:uint16 ‖ addressCount:uint16 ‖ addresses ‖ items`, each item
 * `flags ‖ token:u16 ‖ from:u16 ‖ to:u16 ‖ value:u96 ‖ validAfter:u48 ‖ validBefore:u48 ‖ nonce ‖ signature`,
 * widened (flag WIDE) when a number does not fit, with compact (EIP-2098) signatures where possible.
 *
 * @param items - The payments, in settlement order (1 to 65,535).
 * @param options - {@link EncodeSettlementBatchOptions}
 * @returns The `batch` argument.
 *
 * @example
 * ```ts
 * const batch = encodeSettlementBatch([{ token, from, to, value, validAfter, validBefore, nonce, signature }]);
 * await router.write.settle([batch, 150_000n]);
 * ```
 */
export function encodeSettlementBatch(
  items: readonly SettlementItem[],
  options: EncodeSettlementBatchOptions = {},
): Hex {
  checkItemCount(items.length);
  const table = new AddressTable();
  const encoded = items.map((item, i) => {
    const { flags: signatureFlags, field: signature } = packSignature(item.signature, i, options.forceBytesSignatures);
    const wide =
      item.value > MAX_NARROW_AMOUNT || item.validAfter > MAX_NARROW_TIME || item.validBefore > MAX_NARROW_TIME;
    const [amountBytes, timeBytes] = wide ? [32, 32] : [12, 6];
    return (
      uint(BigInt(signatureFlags | (wide ? FLAG_WIDE : 0)), 1) +
      uint(BigInt(table.indexOf(item.token, i)), 2) +
      uint(BigInt(table.indexOf(item.from, i)), 2) +
      uint(BigInt(table.indexOf(item.to, i)), 2) +
      uint(item.value, amountBytes, "value", i) +
      uint(item.validAfter, timeBytes, "validAfter", i) +
      uint(item.validBefore, timeBytes, "validBefore", i) +
      bytes32(item.nonce, "nonce", i) +
      signature
    );
  });
  return `0x${uint(BigInt(items.length), 2)}${table.encode()}${encoded.join("")}`;
}
