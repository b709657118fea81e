import { buildPermit2TypedData } from "@x402kit/signer/permit2";
import { type Address, getAddress, type Hex, hashTypedData, isAddressEqual, type PublicClient } from "viem";
import { ERC1271_MAGIC_VALUE, erc1271Abi } from "../../chain/eip3009Abi.js";
import { recoverAuthorizer, splitSignature } from "../../chain/recoverAuthorizer.js";
import type { Permit2SchemeName } from "./proxies.js";
import type { Permit2Payload } from "./schemas.js";

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
  const payer = getAddress(payload.permit2Authorization.from);
  let digest: Hex;
  try {
    digest = hashTypedData(
      buildPermit2TypedData({ scheme, chainId, authorization: payload.permit2Authorization }) as never,
    );
  } catch {
    return false;
  }
  let code: Hex | undefined;
  try {
    code = await client.getCode({ address: payer });
  } catch {
    return false;
  }
  const signature = payload.signature as Hex;
  if (!code || code === "0x") {
    const split = splitSignature(signature);
    if (!split) return false;
    const recovered: Address | undefined = await recoverAuthorizer(digest, split);
    return recovered !== undefined && isAddressEqual(recovered, payer);
  }
  try {
    const magic = await client.readContract({
      address: payer,
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [digest, signature],
    });
    return magic.toLowerCase() === ERC1271_MAGIC_VALUE;
  } catch {
    return false;
  }
}
