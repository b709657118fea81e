import type { Address, Hex } from "viem";
import { buildAuthorizationTypedData } from "../eip3009/buildAuthorizationTypedData.js";
import type { Eip3009Domain, TransferAuthorization } from "../eip3009/types.js";
import { InvalidAuthorizationError } from "../errors/signer.js";
import type { TypedDataSigner } from "../signer/types.js";
import { resolveSigner } from "./resolveSigner.js";

export type SignTransferLikeParameters = {
  /** The payer: a viem account or a wallet client with an account. */
  signer: TypedDataSigner;
  /** The token's EIP-712 domain. */
  domain: Eip3009Domain;
  /** The authorization; `from` defaults to the signer's address and must equal it when given. */
  authorization: Omit<TransferAuthorization, "from"> & { from?: Address | undefined };
};
export type SignTransferLikeReturnType = {
  /** The signature (65 bytes for an EOA; longer for smart accounts). */
  signature: Hex;
  /** The authorization that was signed, with `from` filled in and addresses checksummed. */
  authorization: TransferAuthorization;
};

/**
 * Shared body of the transfer and receive signers.
 *
 * @param primaryType - `TransferWithAuthorization` or `ReceiveWithAuthorization`.
 * @param parameters - Signer, domain and authorization.
 * @returns The signature and the signed authorization.
 */
export async function signTransferLike(
  primaryType: "TransferWithAuthorization" | "ReceiveWithAuthorization",
  parameters: SignTransferLikeParameters,
): Promise<SignTransferLikeReturnType> {
  const signer = resolveSigner(parameters.signer);
  const from = parameters.authorization.from ?? signer.address;
  if (from.toLowerCase() !== signer.address.toLowerCase()) {
    throw new InvalidAuthorizationError({ reason: `from (${from}) is not the signer (${signer.address})` });
  }
  const typedData = buildAuthorizationTypedData({
    primaryType,
    domain: parameters.domain,
    message: { ...parameters.authorization, from },
  });
  const signature = await signer.signTypedData(typedData);
  return { signature, authorization: typedData.message };
}
