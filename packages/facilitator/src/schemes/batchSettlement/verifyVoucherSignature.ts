import { voucherTypes } from "@x402kit/signer/batch-settlement";
import {
  concatHex,
  domainSeparator,
  getAddress,
  type Hex,
  isAddressEqual,
  keccak256,
  numberToHex,
  type PublicClient,
  recoverAddress,
  toHex,
  zeroAddress,
} from "viem";
import { recoverAuthorizer, splitSignature } from "../../chain/recoverAuthorizer.js";
import { batchSettlementDomain } from "./channel.js";
import type { ChannelConfig } from "./schemas.js";

/** `keccak256("Voucher(bytes32 channelId,uint128 maxClaimableAmount)")`. */
const VOUCHER_TYPEHASH = keccak256(toHex("Voucher(bytes32 channelId,uint128 maxClaimableAmount)"));
const domainSeparators = new Map<number, Hex>();

/**
 * The EIP-712 digest of a voucher, as `hashTypedData` computes it, with the domain separator and type hash computed
 * once per chain instead of per voucher (they were half of a voucher check's CPU).
 */
export function voucherDigest(chainId: number, channelId: Hex, maxClaimableAmount: bigint): Hex {
  let separator = domainSeparators.get(chainId);
  if (!separator) {
    separator = domainSeparator({ domain: batchSettlementDomain(chainId) });
    domainSeparators.set(chainId, separator);
  }
  const struct = keccak256(concatHex([VOUCHER_TYPEHASH, channelId, numberToHex(maxClaimableAmount, { size: 32 })]));
  return keccak256(concatHex(["0x1901", separator, struct]));
}

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
    const amount = BigInt(parameters.maxClaimableAmount);
    if (amount >= 2n ** 128n || !/^0x[0-9a-fA-F]{64}$/.test(channelId)) return false;
    const digest = voucherDigest(chainId, channelId, amount);
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
