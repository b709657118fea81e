import { voucherTypes } from "@x402kit/signer/batch-settlement";
import {
  getAddress,
  type Hex,
  hashTypedData,
  isAddressEqual,
  type PublicClient,
  recoverAddress,
  zeroAddress,
} from "viem";
import { recoverAuthorizer, splitSignature } from "../../chain/recoverAuthorizer.js";
import { batchSettlementDomain } from "./channel.js";
import type { ChannelConfig } from "./schemas.js";

/**
 * Whether a voucher is signed for the channel: by `payerAuthorizer` (an EOA, recovered locally) when the channel
 * names one, else by the payer (EOA, ERC-1271 or ERC-6492). A 65-byte signature that recovers to the payer is valid
 * as the contract's check finds it (ECDSA before ERC-1271), so it is answered locally (libsecp256k1, no RPC); any
 * other signature is asked of the node.
 *
 * @returns `false` for any signature that does not verify, including malformed bytes.
 */
export async function verifyVoucherSignature(
  client: PublicClient,
  parameters: { config: ChannelConfig; channelId: Hex; maxClaimableAmount: string; signature: string; chainId: number },
): Promise<boolean> {
  const { config, channelId, chainId } = parameters;
  const typedData = {
    domain: batchSettlementDomain(chainId),
    types: voucherTypes,
    primaryType: "Voucher",
    message: { channelId, maxClaimableAmount: BigInt(parameters.maxClaimableAmount) },
  } as const;
  try {
    const digest = hashTypedData(typedData);
    const split = splitSignature(parameters.signature as Hex);
    const recovered = split ? await recoverAuthorizer(digest, split) : undefined;
    if (!isAddressEqual(getAddress(config.payerAuthorizer), zeroAddress)) {
      if (recovered) return isAddressEqual(recovered, getAddress(config.payerAuthorizer));
      const anyForm = await recoverAddress({ hash: digest, signature: parameters.signature as Hex });
      return isAddressEqual(anyForm, getAddress(config.payerAuthorizer));
    }
    if (recovered && isAddressEqual(recovered, getAddress(config.payer))) return true;
    return await client.verifyTypedData({
      ...typedData,
      address: getAddress(config.payer),
      signature: parameters.signature as Hex,
    });
  } catch {
    return false;
  }
}
