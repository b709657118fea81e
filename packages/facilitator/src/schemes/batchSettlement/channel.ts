/**
 * The channel: its EIP-712 domain (the types and bounds are the signer's, `@x402kit/signer/batch-settlement`, the
 * one source the payer signs with), its id, the checks that bind
 * a payload's channel to the server's requirements, and its on-chain state.
 */
import { BATCH_SETTLEMENT_ADDRESS, x402BatchSettlementAbi } from "@x402kit/bindings";
import {
  BATCH_SETTLEMENT_DOMAIN,
  channelConfigTypes,
  MAX_WITHDRAW_DELAY,
  MIN_WITHDRAW_DELAY,
} from "@x402kit/signer/batch-settlement";
import { type Address, getAddress, type Hex, hashTypedData, type PublicClient, zeroAddress } from "viem";
import { type BatchSettlementReason, batchSettlementReasons as R } from "./reasons.js";
import type { BatchSettlementRequirements, ChannelConfig } from "./schemas.js";

export const batchSettlementAddress: Address = getAddress(BATCH_SETTLEMENT_ADDRESS);

/** EIP-712 domain of X402BatchSettlement on `chainId`. */
export const batchSettlementDomain = (chainId: number) =>
  ({ ...BATCH_SETTLEMENT_DOMAIN, chainId, verifyingContract: batchSettlementAddress }) as const;

/** EIP-712 types of the receiver authorizer's claim batch (only the facilitator signs these). */
export const claimBatchTypes = {
  ClaimBatch: [{ name: "claims", type: "ClaimEntry[]" }],
  ClaimEntry: [
    { name: "channelId", type: "bytes32" },
    { name: "maxClaimableAmount", type: "uint128" },
    { name: "totalClaimed", type: "uint128" },
  ],
} as const;

/** The config as the contract's `ChannelConfig` tuple (checksummed addresses). */
export function toContractChannelConfig(config: ChannelConfig) {
  return {
    payer: getAddress(config.payer),
    payerAuthorizer: getAddress(config.payerAuthorizer),
    receiver: getAddress(config.receiver),
    receiverAuthorizer: getAddress(config.receiverAuthorizer),
    token: getAddress(config.token),
    withdrawDelay: config.withdrawDelay,
    salt: config.salt as Hex,
  };
}

/** Ids of recently seen configs: every voucher of a channel repeats its config. */
const channelIds = new Map<string, Hex>();
const MAX_CHANNEL_IDS = 10_000;

/** The channel id: the EIP-712 hash of the config under the contract's domain on `chainId` (memoised). */
export function computeChannelId(config: ChannelConfig, chainId: number): Hex {
  const key = [
    chainId,
    config.payer,
    config.payerAuthorizer,
    config.receiver,
    config.receiverAuthorizer,
    config.token,
    config.withdrawDelay,
    config.salt,
  ].join(":");
  const known = channelIds.get(key);
  if (known) return known;
  const id = hashTypedData({
    domain: batchSettlementDomain(chainId),
    types: channelConfigTypes,
    primaryType: "ChannelConfig",
    message: toContractChannelConfig(config),
  });
  if (channelIds.size >= MAX_CHANNEL_IDS) channelIds.delete(channelIds.keys().next().value as string);
  channelIds.set(key, id);
  return id;
}

/**
 * Binds a payload's channel to the requirements, in the order the official facilitator checks: the id is the
 * config's hash, the receiver is `payTo`, the receiver authorizer is the announced one (never zero), the token is
 * the asset, the withdraw delay is the announced one and within the contract's bounds.
 *
 * @returns The first failed check's reason, or `undefined`.
 */
export function channelConfigError(
  config: ChannelConfig,
  channelId: string,
  requirements: BatchSettlementRequirements,
  chainId: number,
): BatchSettlementReason | undefined {
  if (computeChannelId(config, chainId).toLowerCase() !== channelId.toLowerCase()) return R.channelIdMismatch;
  if (!sameAddress(config.receiver, requirements.payTo)) return R.receiverMismatch;
  const required = requirements.extra?.receiverAuthorizer;
  if (!required || !isAddress(required) || sameAddress(required, zeroAddress)) return R.receiverAuthorizerMismatch;
  if (!sameAddress(config.receiverAuthorizer, required)) return R.receiverAuthorizerMismatch;
  if (!sameAddress(config.token, requirements.asset)) return R.tokenMismatch;
  const delay = requirements.extra?.withdrawDelay;
  if (delay !== undefined && config.withdrawDelay !== Number(delay)) return R.withdrawDelayMismatch;
  if (config.withdrawDelay < MIN_WITHDRAW_DELAY || config.withdrawDelay > MAX_WITHDRAW_DELAY) {
    return R.withdrawDelayOutOfRange;
  }
  return undefined;
}

/** A channel's state on chain. */
export type ChannelState = {
  balance: bigint;
  totalClaimed: bigint;
  withdrawRequestedAt: number;
  refundNonce: bigint;
};

/**
 * Reads `channels`, `pendingWithdrawals` and `refundNonce` of a channel (one RPC round trip when batched), at
 * `blockNumber` when given, else at `latest`. Verification reads through `channelStateCache.ts`.
 */
export async function readChannelState(
  client: PublicClient,
  channelId: Hex,
  blockNumber?: bigint,
): Promise<ChannelState> {
  const base = {
    address: batchSettlementAddress,
    abi: x402BatchSettlementAbi,
    args: [channelId],
    ...(blockNumber === undefined ? {} : { blockNumber }),
  } as const;
  const [[balance, totalClaimed], [, withdrawRequestedAt], refundNonce] = await Promise.all([
    client.readContract({ ...base, functionName: "channels" }) as Promise<readonly [bigint, bigint]>,
    client.readContract({ ...base, functionName: "pendingWithdrawals" }) as Promise<readonly [bigint, bigint | number]>,
    client.readContract({ ...base, functionName: "refundNonce" }) as Promise<bigint>,
  ]);
  return { balance, totalClaimed, withdrawRequestedAt: Number(withdrawRequestedAt), refundNonce };
}

/** The channel state as the official facilitator reports it in `extra` (decimal strings). */
export function channelStateView(channelId: Hex, state: ChannelState) {
  return {
    channelId,
    balance: state.balance.toString(),
    totalClaimed: state.totalClaimed.toString(),
    withdrawRequestedAt: state.withdrawRequestedAt,
    refundNonce: state.refundNonce.toString(),
  };
}

const isAddress = (value: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(value);
export const sameAddress = (a: string, b: string): boolean =>
  isAddress(a) && isAddress(b) && a.toLowerCase() === b.toLowerCase();
