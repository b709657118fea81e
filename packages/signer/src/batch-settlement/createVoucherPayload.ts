import type { Hex } from "viem";
import type { TypedDataSigner } from "../signer/types.js";
import { computeChannelId } from "./computeChannelId.js";
import { signVoucher } from "./signVoucher.js";
import type { BatchSettlementRefundPayload, BatchSettlementVoucherPayload, ChannelConfig } from "./types.js";

export type CreateVoucherPayloadParameters = {
  /** The voucher signer: the channel's `payerAuthorizer` (the payer unless a separate voucher key is used). */
  signer: TypedDataSigner;
  channelConfig: ChannelConfig;
  /** CAIP-2 network of the requirement, or a chain id. */
  network: string | number;
  /** The new cumulative ceiling: what the receiver has charged so far plus this request's amount. */
  maxClaimableAmount: bigint | string;
};

/**
 * A voucher payment, byte for byte the official client's `{ type: "voucher", channelConfig, voucher }`.
 * It does not remember anything: use {@link createChannelPayer} to track the cumulative amount durably.
 *
 * @param parameters - {@link CreateVoucherPayloadParameters}
 * @returns The channel id and the `payload`.
 */
export async function createVoucherPayload(
  parameters: CreateVoucherPayloadParameters,
): Promise<{ channelId: Hex; payload: BatchSettlementVoucherPayload }> {
  const channelId = computeChannelId(parameters.channelConfig, parameters.network);
  const voucher = await signVoucher({ ...parameters, channelId });
  return { channelId, payload: { type: "voucher", channelConfig: parameters.channelConfig, voucher } };
}

/**
 * A refund request, as the official client's `refund`: the voucher at the charged cumulative amount and, when
 * given, the amount to refund (the whole unclaimed balance otherwise).
 *
 * @param parameters - {@link CreateVoucherPayloadParameters} with `maxClaimableAmount` the charged amount, and `amount`.
 * @returns The channel id and the `payload`.
 */
export async function createRefundPayload(
  parameters: CreateVoucherPayloadParameters & { amount?: bigint | string | undefined },
): Promise<{ channelId: Hex; payload: BatchSettlementRefundPayload }> {
  const channelId = computeChannelId(parameters.channelConfig, parameters.network);
  const voucher = await signVoucher({ ...parameters, channelId });
  return {
    channelId,
    payload: {
      type: "refund",
      channelConfig: parameters.channelConfig,
      voucher,
      ...(parameters.amount !== undefined ? { amount: BigInt(parameters.amount).toString() } : {}),
    },
  };
}
