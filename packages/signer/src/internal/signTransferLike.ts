import { buildAuthorizationTypedData } from "../eip3009/buildAuthorizationTypedData.js";
import type {
  SignTransferWithAuthorizationParameters,
  SignTransferWithAuthorizationReturnType,
} from "../eip3009/signTransferWithAuthorization.js";
import { InvalidAuthorizationError } from "../errors/signer.js";
import { resolveSigner } from "./resolveSigner.js";

/**
 * Shared body of the transfer and receive signers.
 *
 * @param primaryType - `TransferWithAuthorization` or `ReceiveWithAuthorization`.
 * @param parameters - Signer, domain and authorization.
 * @returns The signature and the signed authorization.
 */
export async function signTransferLike(
  primaryType: "TransferWithAuthorization" | "ReceiveWithAuthorization",
  parameters: SignTransferWithAuthorizationParameters,
): Promise<SignTransferWithAuthorizationReturnType> {
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
