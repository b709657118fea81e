import { buildPermit2TypedData } from "@x402kit/signer/permit2";
import { type Hex, hashTypedData, type PublicClient } from "viem";
import type { Permit2SchemeName } from "./proxies.js";
import type { Permit2Payload } from "./schemas.js";
import { verifyPermit2Digest } from "./verifyPermit2Digest.js";

/**
 * Whether the payer signed the Permit2 `PermitWitnessTransferFrom` (Permit2's domain on `chainId`), as the official
 * facilitator decides it: ECDSA recovery when the payer has no code, ERC-1271 `isValidSignature` when it has.
 *
 * @returns `false` for a wrong signer, a wrong chain, an unreadable signature or a failed read.
 */
export async function verifyPermit2Signature(parameters: {
  client: PublicClient;
  scheme: Permit2SchemeName;
  chainId: number;
  payload: Permit2Payload;
}): Promise<boolean> {
  const { client, scheme, chainId, payload } = parameters;
  let digest: Hex;
  try {
    digest = hashTypedData(
      buildPermit2TypedData({ scheme, chainId, authorization: payload.permit2Authorization }) as never,
    );
  } catch {
    return false;
  }
  return verifyPermit2Digest({
    client,
    owner: payload.permit2Authorization.from,
    digest,
    signature: payload.signature as Hex,
  });
}
