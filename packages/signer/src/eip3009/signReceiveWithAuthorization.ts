import { signTransferLike } from "../internal/signTransferLike.js";
import type {
  SignTransferWithAuthorizationErrorType,
  SignTransferWithAuthorizationParameters,
  SignTransferWithAuthorizationReturnType,
} from "./signTransferWithAuthorization.js";

export type SignReceiveWithAuthorizationParameters = SignTransferWithAuthorizationParameters;
export type SignReceiveWithAuthorizationReturnType = SignTransferWithAuthorizationReturnType;
export type SignReceiveWithAuthorizationErrorType = SignTransferWithAuthorizationErrorType;

/**
 * Signs an EIP-3009 `ReceiveWithAuthorization`: like a transfer authorization, but only `to` may
 * submit it, so nobody can front-run the payee's contract (the settlement router's fee mode uses it).
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009#use-with-smart-contracts
 * @param parameters - {@link SignReceiveWithAuthorizationParameters}
 * @returns The signature and the signed authorization.
 * @throws {InvalidAuthorizationError} When `from` is not the signer or a field is out of range.
 *
 * @example
 * ```ts
 * import { computeFeeCommitmentNonce, getValidityWindow, signReceiveWithAuthorization } from "@x402kit/signer";
 * const { signature } = await signReceiveWithAuthorization({
 *   signer: account,
 *   domain: { name: "USD Coin", version: "2", chainId: 8453, verifyingContract: usdc },
 *   authorization: { to: router, value: 10_000n, ...getValidityWindow({ maxTimeoutSeconds: 60 }),
 *     nonce: computeFeeCommitmentNonce({ chainId: 8453, router, payTo, fee: 100n, feeRecipient, salt }) },
 * });
 * ```
 */
export async function signReceiveWithAuthorization(
  parameters: SignReceiveWithAuthorizationParameters,
): Promise<SignReceiveWithAuthorizationReturnType> {
  return signTransferLike("ReceiveWithAuthorization", parameters);
}
