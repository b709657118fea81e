import { type Hex, slice } from "viem";
import { InvalidSignatureError, type InvalidSignatureErrorType } from "../errors/signer.js";

/** Half the secp256k1 group order: a valid `s` is at most this (EIP-2, OpenZeppelin `ECDSA`). */
const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export type SplitSignatureParameters = {
  /** A 65-byte `r ‖ s ‖ v` signature. */
  signature: Hex;
};
export type SplitSignatureReturnType = {
  r: Hex;
  s: Hex;
  /** 27 or 28, as the `(v, r, s)` overloads of `transferWithAuthorization` expect. */
  v: 27 | 28;
  /** 0 or 1. */
  yParity: 0 | 1;
};
export type SplitSignatureErrorType = InvalidSignatureErrorType;

/**
 * Splits a 65-byte ECDSA signature into the `(v, r, s)` that the EIP-3009 overloads take. A recovery
 * byte of 0/1 is normalised to 27/28; signatures with a high `s` are refused because the token (like
 * OpenZeppelin's `ECDSA` and Circle's FiatToken) would revert on them. Longer signatures (ERC-1271,
 * ERC-6492) cannot be split: submit them through the `bytes signature` overload.
 *
 * @param parameters - {@link SplitSignatureParameters}
 * @returns `{ r, s, v, yParity }`.
 * @throws {InvalidSignatureError} When the signature is not 65 bytes, has a bad `v`, or a high `s`.
 *
 * @example
 * ```ts
 * import { splitSignature } from "@x402kit/signer";
 * const { v, r, s } = splitSignature({ signature });
 * await walletClient.writeContract({ address: token, abi, functionName: "transferWithAuthorization",
 *   args: [from, to, value, validAfter, validBefore, nonce, v, r, s] });
 * ```
 */
export function splitSignature(parameters: SplitSignatureParameters): SplitSignatureReturnType {
  const { signature } = parameters;
  if (typeof signature !== "string" || !/^0x[0-9a-fA-F]{130}$/.test(signature)) {
    throw new InvalidSignatureError({ signature: String(signature), reason: "length" });
  }
  const r = slice(signature, 0, 32);
  const s = slice(signature, 32, 64);
  const vByte = Number.parseInt(signature.slice(130), 16);
  if (vByte !== 0 && vByte !== 1 && vByte !== 27 && vByte !== 28) {
    throw new InvalidSignatureError({ signature, reason: "v" });
  }
  if (BigInt(s) > SECP256K1_HALF_N) throw new InvalidSignatureError({ signature, reason: "high_s" });
  const yParity = (vByte % 27) as 0 | 1;
  return { r, s, v: (27 + yParity) as 27 | 28, yParity };
}
