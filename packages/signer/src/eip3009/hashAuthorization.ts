import { type Hex, hashTypedData } from "viem";
import {
  type BuildAuthorizationTypedDataErrorType,
  type BuildAuthorizationTypedDataParameters,
  buildAuthorizationTypedData,
} from "./buildAuthorizationTypedData.js";
import type { AuthorizationPrimaryType } from "./types.js";

export type HashAuthorizationParameters<primaryType extends AuthorizationPrimaryType> =
  BuildAuthorizationTypedDataParameters<primaryType>;
export type HashAuthorizationReturnType = Hex;
export type HashAuthorizationErrorType = BuildAuthorizationTypedDataErrorType;

/**
 * The EIP-712 digest of an EIP-3009 authorization:
 * `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message))`, the value the token recovers the
 * signer from. Use it to recover with a faster secp256k1 backend, or to call ERC-1271 yourself.
 *
 * @param parameters - {@link HashAuthorizationParameters}
 * @returns The 32-byte digest.
 * @throws {InvalidAuthorizationError} When a field is out of range or malformed.
 *
 * @example
 * ```ts
 * import { recoverAddress } from "viem";
 * import { hashAuthorization } from "@x402kit/signer";
 * const hash = hashAuthorization({ primaryType: "TransferWithAuthorization", domain, message });
 * const signer = await recoverAddress({ hash, signature });
 * ```
 */
export function hashAuthorization<const primaryType extends AuthorizationPrimaryType>(
  parameters: HashAuthorizationParameters<primaryType>,
): HashAuthorizationReturnType {
  return hashTypedData(buildAuthorizationTypedData(parameters) as Parameters<typeof hashTypedData>[0]);
}
