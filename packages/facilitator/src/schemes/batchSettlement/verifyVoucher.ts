import type { Hex, PublicClient } from "viem";
import { channelConfigError, channelStateView, readChannelStateShared } from "./channel.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { BatchSettlementRequirements, RefundPayload, VoucherPayload } from "./schemas.js";
import type { BatchSettlementVerifyResponse } from "./types.js";
import { verifyVoucherSignature } from "./verifyVoucherSignature.js";

/**
 * Verifies a `voucher` (or a `refund`'s voucher) against a funded channel: the channel is the server's, the
 * voucher is signed for it, the channel holds a deposit, and the cumulative amount is within the balance and
 * above what was claimed (a refund's voucher may equal what was claimed). Nothing is written.
 */
export async function verifyVoucher(
  client: PublicClient,
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
  let state: Awaited<ReturnType<typeof readChannelStateShared>>;
  try {
    state = await readChannelStateShared(client, channelId);
  } catch {
    return { isValid: false, invalidReason: R.rpcReadFailed, payer };
  }
  if (state.balance === 0n) return { isValid: false, invalidReason: R.channelNotFound, payer };
  const cumulative = BigInt(voucher.maxClaimableAmount);
  if (cumulative > state.balance) return { isValid: false, invalidReason: R.cumulativeExceedsBalance, payer };
  const below = payload.type === "refund" ? cumulative < state.totalClaimed : cumulative <= state.totalClaimed;
  if (below) return { isValid: false, invalidReason: R.cumulativeBelowClaimed, payer };
  return { isValid: true, payer, extra: channelStateView(channelId, state) };
}
