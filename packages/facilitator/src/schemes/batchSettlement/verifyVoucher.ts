import type { Hex, PublicClient } from "viem";
import { type ChannelState, channelConfigError, channelStateView } from "./channel.js";
import type { ChannelStateCache } from "./channelStateCache.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { BatchSettlementRequirements, RefundPayload, VoucherPayload } from "./schemas.js";
import type { BatchSettlementVerifyResponse } from "./types.js";
import { verifyVoucherSignature } from "./verifyVoucherSignature.js";

/**
 * Verifies a `voucher` (or a `refund`'s voucher) against a funded channel: the channel is the server's, the
 * voucher is signed for it, the channel holds a deposit, and the cumulative amount is within the balance and
 * above what was claimed (a refund's voucher may equal what was claimed). Nothing is written.
 *
 * The state is the channel's at the current block, shared by every voucher of that block; a refusal for the state
 * is re-read at `latest` first, so it never rests on a block older than the chain's last.
 */
export async function verifyVoucher(
  client: PublicClient,
  channels: ChannelStateCache,
  payload: VoucherPayload | RefundPayload,
  requirements: BatchSettlementRequirements,
  chainId: number,
): Promise<BatchSettlementVerifyResponse> {
  const { channelConfig: config, voucher } = payload;
  const payer = config.payer;
  const channelId = voucher.channelId as Hex;
  const configError = channelConfigError(config, channelId, requirements, chainId);
  if (configError) return { isValid: false, invalidReason: configError, payer };
  const signed = await verifyVoucherSignature(client, {
    config,
    channelId,
    maxClaimableAmount: voucher.maxClaimableAmount,
    signature: voucher.signature,
    chainId,
  });
  if (!signed) return { isValid: false, invalidReason: R.voucherSignature, payer };
  const cumulative = BigInt(voucher.maxClaimableAmount);
  const refusal = (state: ChannelState) => {
    if (state.balance === 0n) return R.channelNotFound;
    if (cumulative > state.balance) return R.cumulativeExceedsBalance;
    const below = payload.type === "refund" ? cumulative < state.totalClaimed : cumulative <= state.totalClaimed;
    return below ? R.cumulativeBelowClaimed : undefined;
  };
  let state: ChannelState;
  try {
    state = await channels.read(channelId);
    if (refusal(state)) state = await channels.read(channelId, { fresh: true });
  } catch {
    return { isValid: false, invalidReason: R.rpcReadFailed, payer };
  }
  const invalidReason = refusal(state);
  if (invalidReason) return { isValid: false, invalidReason, payer };
  return { isValid: true, payer, extra: channelStateView(channelId, state) };
}
