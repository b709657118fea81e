import { type Address, getAddress, type Hex, isAddressEqual, type PublicClient } from "viem";
import { ERC1271_MAGIC_VALUE, erc1271Abi } from "../../chain/eip3009Abi.js";
import { recoverAuthorizer, splitSignature } from "../../chain/recoverAuthorizer.js";

/**
 * Whether `owner` signed the EIP-712 `digest` of a Permit2 transfer, as the official facilitator's
 * `verifyTypedDataSignature` decides it (and as Permit2's `SignatureVerification` will): ECDSA recovery when the
 * owner has no code, ERC-1271 `isValidSignature` when it has. Shared by every Permit2 witness this facilitator
 * checks (the `exact` and `upto` proxies' witnesses, the batch-settlement deposit witness).
 *
 * @returns `false` for a wrong signer, an unreadable signature or a failed read.
 */
export async function verifyPermit2Digest(parameters: {
  client: PublicClient;
  owner: string;
  digest: Hex;
  signature: Hex;
}): Promise<boolean> {
  const { client, digest, signature } = parameters;
  const owner = getAddress(parameters.owner);
  let code: Hex | undefined;
  try {
    code = await client.getCode({ address: owner });
  } catch {
    return false;
  }
  if (!code || code === "0x") {
    const split = splitSignature(signature);
    if (!split) return false;
    const recovered: Address | undefined = await recoverAuthorizer(digest, split);
    return recovered !== undefined && isAddressEqual(recovered, owner);
  }
  try {
    const magic = await client.readContract({
      address: owner,
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [digest, signature],
    });
    return magic.toLowerCase() === ERC1271_MAGIC_VALUE;
  } catch {
    return false;
  }
}
