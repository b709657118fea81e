import {
  getAddress,
  type Hex,
  hashTypedData,
  isAddressEqual,
  type PublicClient,
  recoverAddress,
  zeroAddress,
} from "viem";
import { batchSettlementDomain, voucherTypes } from "./channel.js";
import type { ChannelConfig } from "./schemas.js";

/**
 * Whether a voucher is signed for the channel: by `payerAuthorizer` (an EOA, recovered locally) when the channel
 * names one, else by the payer (EOA, ERC-1271 or ERC-6492, through the node).
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
    if (!isAddressEqual(getAddress(config.payerAuthorizer), zeroAddress)) {
      const recovered = await recoverAddress({
        hash: hashTypedData(typedData),
        signature: parameters.signature as Hex,
      });
      return isAddressEqual(recovered, getAddress(config.payerAuthorizer));
    }
    return await client.verifyTypedData({
      ...typedData,
      address: getAddress(config.payer),
      signature: parameters.signature as Hex,
    });
  } catch {
    return false;
  }
}
