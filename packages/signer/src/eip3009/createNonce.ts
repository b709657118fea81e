import { type Hex, toHex } from "viem";

export type CreateNonceReturnType = Hex;

/**
 * A random 32-byte EIP-3009 nonce from the platform CSPRNG (`crypto.getRandomValues`, available in
 * browsers and Node.js), as the official x402 client makes them.
 *
 * @returns `0x` + 64 hex digits.
 *
 * @example
 * ```ts
 * import { createNonce } from "@x402kit/signer";
 * const nonce = createNonce(); // "0x3f…"
 * ```
 */
export function createNonce(): CreateNonceReturnType {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}
