import { createRequire } from "node:module";
import {
  InvalidSignatureError,
  type SplitSignatureReturnType,
  splitSignature as splitEcdsaSignature,
} from "@x402kit/signer";
import { type Address, getAddress, type Hex, hexToBytes, keccak256, recoverAddress } from "viem";

/** A 65-byte ECDSA signature split into the parts the (v, r, s) overload takes. */
export type SplitSignature = SplitSignatureReturnType;

/**
 * Splits a 65-byte `r ‖ s ‖ v` signature with the signer package's rules (`v` as 27/28, which
 * FiatToken's `ECRecover` requires; low `s` only), or says it is not one.
 *
 * @param signature - The signature.
 * @returns The parts, or `undefined` when the signature is not 65 bytes, has a bad `v`, or a high `s`.
 */
export function splitSignature(signature: Hex): SplitSignature | undefined {
  try {
    return splitEcdsaSignature({ signature });
  } catch (error) {
    if (error instanceof InvalidSignatureError) return undefined;
    throw error;
  }
}

type NativeSecp256k1 = {
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array;
};

let native: NativeSecp256k1 | null | undefined;

/**
 * The prebuilt libsecp256k1 binding (npm `secp256k1`), about 25× faster than pure-JS recovery, or
 * `null` where no binary exists for this platform. Only the native binding is used: the package's own
 * fallback is slower than viem's.
 */
function loadNative(): NativeSecp256k1 | null {
  if (native !== undefined) return native;
  try {
    const require = createRequire(import.meta.url);
    native = require("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    native = null;
  }
  return native;
}

/** Which implementation {@link recoverAuthorizer} uses on this machine. */
export function recoveryBackend(): "libsecp256k1" | "viem" {
  return loadNative() ? "libsecp256k1" : "viem";
}

/**
 * Recovers the address that signed a digest with a 65-byte ECDSA signature: libsecp256k1 when the
 * native binding loads, viem's pure-JS recovery otherwise.
 *
 * @param digest - The 32-byte EIP-712 digest.
 * @param signature - A signature that passed {@link splitSignature}.
 * @returns The signer's checksummed address, or `undefined` if no key recovers.
 */
export async function recoverAuthorizer(digest: Hex, signature: SplitSignature): Promise<Address | undefined> {
  const lib = loadNative();
  if (lib) {
    try {
      const compact = hexToBytes(`0x${signature.r.slice(2)}${signature.s.slice(2)}`);
      const publicKey = lib.ecdsaRecover(compact, signature.yParity, hexToBytes(digest), false);
      return getAddress(`0x${keccak256(publicKey.subarray(1)).slice(26)}`);
    } catch {
      return undefined;
    }
  }
  try {
    return await recoverAddress({
      hash: digest,
      signature: { r: signature.r, s: signature.s, yParity: signature.yParity },
    });
  } catch {
    return undefined;
  }
}
