import type { Address, Hex } from "viem";
import type { AccountNotFoundErrorType, InvalidAuthorizationErrorType } from "../errors/signer.js";
import { signTransferLike } from "../internal/signTransferLike.js";
import type { TypedDataSigner } from "../signer/types.js";
import type { Eip3009Domain, TransferAuthorization } from "./types.js";

export type SignTransferWithAuthorizationParameters = {
  /** The payer: a viem account or a wallet client with an account. */
  signer: TypedDataSigner;
  /** The token's EIP-712 domain. */
  domain: Eip3009Domain;
  /** The authorization; `from` defaults to the signer's address and must equal it when given. */
  authorization: Omit<TransferAuthorization, "from"> & { from?: Address | undefined };
};
export type SignTransferWithAuthorizationReturnType = {
  /** The signature (65 bytes for an EOA; longer for smart accounts). */
  signature: Hex;
  /** The authorization that was signed, with `from` filled in and addresses checksummed. */
  authorization: TransferAuthorization;
};
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
