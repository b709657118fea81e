import { encodeAbiParameters, getAddress, type Hex, hashTypedData, keccak256 } from "viem";
import { networkToChainId } from "../wire/networkToChainId.js";
import { BATCH_SETTLEMENT_ADDRESS, BATCH_SETTLEMENT_DOMAIN, channelConfigTypes } from "./constants.js";
import type { ChannelConfig } from "./types.js";

/**
 * The batch-settlement EIP-712 domain on a chain (name "x402 Batch Settlement", version "1", the contract).
 *
 * @param chainId - The chain id.
 * @returns The domain.
 */
export function getBatchSettlementDomain(chainId: number) {
  return { ...BATCH_SETTLEMENT_DOMAIN, chainId, verifyingContract: getAddress(BATCH_SETTLEMENT_ADDRESS) } as const;
}

/**
 * Chain id of a network given as a CAIP-2 id (`eip155:8453`), a v1 name, or already a number.
 *
 * @param network - The network or chain id.
 * @returns The chain id.
 */
export function toChainId(network: string | number): number {
  return typeof network === "number" ? network : networkToChainId({ network });
}

/**
 * A channel's id: the EIP-712 hash of its `ChannelConfig` under the batch-settlement domain of the chain, as the
 * official client and the contract compute it.
 *
 * @param config - The channel configuration.
 * @param network - A CAIP-2 network (`eip155:84532`) or a chain id.
 * @returns The channel id (bytes32).
 */
export function computeChannelId(config: ChannelConfig, network: string | number): Hex {
  return hashTypedData({
    domain: getBatchSettlementDomain(toChainId(network)),
    types: channelConfigTypes,
    primaryType: "ChannelConfig",
    message: {
      payer: config.payer,
      payerAuthorizer: config.payerAuthorizer,
      receiver: config.receiver,
      receiverAuthorizer: config.receiverAuthorizer,
      token: config.token,
      withdrawDelay: config.withdrawDelay,
      salt: config.salt,
    },
  });
}

/**
 * The ERC-3009 nonce of a deposit: `keccak256(abi.encode(channelId, uint256(salt)))`, so the authorization can
 * only fund this channel.
 *
 * @param channelId - The channel id.
 * @param salt - The deposit's salt (bytes32 hex or a decimal string).
 * @returns The nonce.
 */
export function buildErc3009DepositNonce(channelId: Hex, salt: Hex | string): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [channelId, BigInt(salt)]));
}
