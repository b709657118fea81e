import type { Address, Hex } from "viem";
import { FLAG_WIDE, MAX_NARROW_AMOUNT, MAX_NARROW_TIME } from "./constants.js";
import type { SettlementEncodingErrorType } from "./errors.js";
import { AddressTable, bytes32, checkItemCount, packSignature, uint } from "./internal/packing.js";

/** One x402 `exact` payment: a signed EIP-3009 `TransferWithAuthorization` with `to == payTo`. */
export type SettlementItem = {
  /** The EIP-3009 token (the EIP-712 verifying contract). */
  token: Address;
  /** The payer and signer. */
  from: Address;
  /** The payee (x402 `payTo`). */
  to: Address;
  /** Amount in the token's atomic units. */
  value: bigint;
  /** Unix seconds after which the authorization is valid. */
  validAfter: bigint;
  /** Unix seconds before which the authorization is valid. */
  validBefore: bigint;
  /** The 32-byte EIP-3009 nonce. */
  nonce: Hex;
  /** The payer's signature: 65-byte ECDSA `r ‖ s ‖ v`, or any ERC-1271 signature. */
  signature: Hex;
};

/** Options of {@link encodeSettlementBatch}. */
export type EncodeSettlementBatchOptions = {
  /**
   * Send every signature to the token's `bytes` overload (FiatToken v2.2+) instead of the compact form. Off by
   * default: the compact form is 3 bytes shorter and works with every FiatToken version.
   */
  forceBytesSignatures?: boolean | undefined;
};

/** The `batch` argument of `BatchSettlementRouter.settle`. */
export type EncodeSettlementBatchReturnType = Hex;

/** Errors {@link encodeSettlementBatch} throws. */
export type EncodeSettlementBatchErrorType = SettlementEncodingErrorType;

/**
 * Encodes payments in the packed format of `BatchSettlementRouter.settle` (specified in `IBatchSettlementRouter`):
 * `itemCount:uint16 ‖ addressCount:uint16 ‖ addresses ‖ items`, each item
 * `flags ‖ token:u16 ‖ from:u16 ‖ to:u16 ‖ value:u96 ‖ validAfter:u48 ‖ validBefore:u48 ‖ nonce ‖ signature`.
 * Every distinct address is written once; numbers that do not fit are widened to 32 bytes (flag `WIDE`); 65-byte
 * ECDSA signatures with a low `s` go in the 64-byte EIP-2098 form, anything else length-prefixed. A typical item
 * is 127 bytes.
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009
 * @param items - The payments, in settlement order (1 to 65,535).
 * @param options - {@link EncodeSettlementBatchOptions}
 * @returns The packed batch.
 * @throws {SettlementEncodingError} When an item cannot be represented (bad address, nonce or signature, a
 * negative or oversized number) or the item count is out of range.
 *
 * @example
 * ```ts
 * import { batchSettlementRouterAbi } from "@x402kit/bindings";
 * import { RECOMMENDED_ITEM_GAS_LIMIT, encodeSettlementBatch } from "@x402kit/bindings/router";
 * import { encodeFunctionData } from "viem";
 *
 * const batch = encodeSettlementBatch([{ token, from, to, value, validAfter, validBefore, nonce, signature }]);
 * const data = encodeFunctionData({
 *   abi: batchSettlementRouterAbi,
 *   functionName: "settle",
 *   args: [batch, RECOMMENDED_ITEM_GAS_LIMIT],
 * });
 * ```
 */
export function encodeSettlementBatch(
  items: readonly SettlementItem[],
  options: EncodeSettlementBatchOptions = {},
): EncodeSettlementBatchReturnType {
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
