import type { AccountNotFoundErrorType, InvalidAuthorizationErrorType } from "../errors/signer.js";
import {
  type SignTransferLikeParameters,
  type SignTransferLikeReturnType,
  signTransferLike,
} from "../internal/signTransferLike.js";

/** Parameters of {@link signTransferWithAuthorization}. */
export type SignTransferWithAuthorizationParameters = SignTransferLikeParameters;
/** Result of {@link signTransferWithAuthorization}. */
export type SignTransferWithAuthorizationReturnType = SignTransferLikeReturnType;
export type SignTransferWithAuthorizationErrorType = InvalidAuthorizationErrorType | AccountNotFoundErrorType;

/**
 * Signs an EIP-3009 `TransferWithAuthorization`: anyone holding the result can move `value` from the
 * signer to `to` inside the validity window, once. This is what an x402 `exact` client signs.
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009
 * @param parameters - {@link SignTransferWithAuthorizationParameters}
 * @returns The signature and the signed authorization.
 * @throws {InvalidAuthorizationError} When `from` is not the signer or a field is out of range.
 *
 * @example
 * ```ts
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createNonce, getValidityWindow, signTransferWithAuthorization } from "@x402kit/signer";
 * const { signature, authorization } = await signTransferWithAuthorization({
 *   signer: privateKeyToAccount(process.env.PAYER_KEY as `0x${string}`),
 *   domain: { name: "USD Coin", version: "2", chainId: 8453,
 *     verifyingContract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" },
 *   authorization: { to: payTo, value: 10_000n, nonce: createNonce(),
 *     ...getValidityWindow({ maxTimeoutSeconds: 60 }) },
 * });
 * ```
 */
export async function signTransferWithAuthorization(
  parameters: SignTransferWithAuthorizationParameters,
): Promise<SignTransferWithAuthorizationReturnType> {
  return signTransferLike("TransferWithAuthorization", parameters);
}
