import type { Address, Hex } from "viem";
import {
  type AccountNotFoundErrorType,
  InvalidAuthorizationError,
  type InvalidAuthorizationErrorType,
} from "../errors/signer.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import type { TypedDataSigner } from "../signer/types.js";
import { buildAuthorizationTypedData } from "./buildAuthorizationTypedData.js";
import type { CancelAuthorization, Eip3009Domain } from "./types.js";

export type SignCancelAuthorizationParameters = {
  /** The authorizer: a viem account or a wallet client with an account. */
  signer: TypedDataSigner;
  /** The token's EIP-712 domain. */
  domain: Eip3009Domain;
  /** The nonce to cancel; `authorizer` defaults to the signer and must equal it when given. */
  authorization: { authorizer?: Address | undefined; nonce: Hex };
};
export type SignCancelAuthorizationReturnType = {
  /** The signature. */
  signature: Hex;
  /** The cancellation that was signed. */
  authorization: CancelAuthorization;
};
export type SignCancelAuthorizationErrorType = InvalidAuthorizationErrorType | AccountNotFoundErrorType;

/**
 * Signs an EIP-3009 `CancelAuthorization`, which burns an unused nonce so an outstanding
 * authorization can no longer be executed.
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009
 * @param parameters - {@link SignCancelAuthorizationParameters}
 * @returns The signature and the signed cancellation.
 * @throws {InvalidAuthorizationError} When `authorizer` is not the signer or the nonce is malformed.
 *
 * @example
 * ```ts
 * import { signCancelAuthorization } from "@x402kit/signer";
 * const { signature } = await signCancelAuthorization({
 *   signer: account,
 *   domain: { name: "USD Coin", version: "2", chainId: 8453, verifyingContract: usdc },
 *   authorization: { nonce },
 * });
 * ```
 */
export async function signCancelAuthorization(
  parameters: SignCancelAuthorizationParameters,
): Promise<SignCancelAuthorizationReturnType> {
  const signer = resolveSigner(parameters.signer);
  const authorizer = parameters.authorization.authorizer ?? signer.address;
  if (authorizer.toLowerCase() !== signer.address.toLowerCase()) {
    throw new InvalidAuthorizationError({ reason: `authorizer (${authorizer}) is not the signer (${signer.address})` });
  }
  const typedData = buildAuthorizationTypedData({
    primaryType: "CancelAuthorization",
    domain: parameters.domain,
    message: { authorizer, nonce: parameters.authorization.nonce },
  });
  const signature = await signer.signTypedData(typedData);
  return { signature, authorization: typedData.message };
}
