import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { encodeFunctionData, type Hex, type LocalAccount, type PublicClient, parseEventLogs } from "viem";
import { fingerprint } from "../shared/fingerprint.js";
import { type IntentSender, sendIntent } from "../shared/sendIntent.js";
import {
  batchSettlementAddress,
  type ChannelState,
  channelStateView,
  computeChannelId,
  readChannelState,
  sameAddress,
  toContractChannelConfig,
} from "./channel.js";
import { refundKey } from "./idempotencyKey.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { EnrichedRefundPayload } from "./schemas.js";
import { voucherClaimArgs } from "./settleClaim.js";
import { signClaimBatch, signRefund } from "./signAuthorizations.js";
import type { BatchSettlementSettleResponse } from "./types.js";

/**
 * What a cooperative refund can return: the requested amount, capped by what the channel holds beyond what is
 * (or, with the payload's claims landed first, will be) claimed. `undefined` when the claims overdraw the channel
 * or nothing was requested: the contract decides then (the simulation refuses).
 */
function refundable(payload: EnrichedRefundPayload, state: ChannelState, channelId: Hex, chainId: number) {
  let claimed = state.totalClaimed;
  for (const claim of payload.claims) {
    if (computeChannelId(claim.voucher.channel, chainId).toLowerCase() !== channelId.toLowerCase()) continue;
    const total = BigInt(claim.totalClaimed);
    if (total > claimed) claimed = total;
  }
  if (claimed > state.balance) return undefined;
  const requested = BigInt(payload.amount);
  if (requested === 0n) return undefined;
  const available = state.balance - claimed;
  return requested > available ? available : requested;
}

/**
 * Settles an enriched `refund`: `refundWithSignature(config, amount, refundNonce, sig)`, preceded in the same
 * transaction (the contract's `multicall`) by `claimWithSignature` when the payload carries claims. Signatures the
 * server did not supply are made by this facilitator's receiver authorizer. Sent once per `(channel, refundNonce)`.
 */
export async function settleRefund(
  sender: IntentSender,
  parameters: {
    client: PublicClient;
    payload: EnrichedRefundPayload;
    chainId: number;
    network: string;
    authorizer: LocalAccount | undefined;
  },
): Promise<BatchSettlementSettleResponse> {
  const { client, payload, chainId, network, authorizer } = parameters;
  const config = payload.channelConfig;
  const payer = config.payer;
  const refuse = (errorReason: string, errorMessage?: string): BatchSettlementSettleResponse => ({
    success: false,
    errorReason,
    ...(errorMessage ? { errorMessage } : {}),
    transaction: "",
    network,
  });
  const channelId = computeChannelId(config, chainId);
  const key = refundKey(chainId, channelId, BigInt(payload.refundNonce));
  const print = fingerprint({ network, payload });
  const known = await sender.store.getIntent(key);
  if (!known) {
    let state: ChannelState;
    try {
      state = await readChannelState(client, channelId);
    } catch (error) {
      return refuse(R.refundTransactionFailed, error instanceof Error ? error.message.slice(0, 400) : String(error));
    }
    if (refundable(payload, state, channelId, chainId) === 0n) return refuse(R.refundNoBalance, "Nothing to refund");
  }
  const clientSigned = payload.refundAuthorizerSignature !== undefined;
  if (!clientSigned && !authorizer) return refuse(R.authorizerNotConfigured);
  if (!clientSigned && authorizer && !sameAddress(config.receiverAuthorizer, authorizer.address)) {
    return refuse(R.authorizerAddressMismatch);
  }
  const refundSignature =
    (payload.refundAuthorizerSignature as Hex | undefined) ??
    (await signRefund(authorizer as LocalAccount, {
      channelId,
      amount: payload.amount,
      nonce: payload.refundNonce,
      chainId,
    }));
  const refundArgs = [
    toContractChannelConfig(config),
    BigInt(payload.amount),
    BigInt(payload.refundNonce),
    refundSignature,
  ] as const;
  let data = encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: "refundWithSignature", args: refundArgs });
  if (payload.claims.length > 0) {
    let claimSignature = payload.claimAuthorizerSignature as Hex | undefined;
    if (!claimSignature) {
      if (!authorizer) return refuse(R.authorizerNotConfigured);
      claimSignature = await signClaimBatch(authorizer, payload.claims, chainId);
    }
    const claim = encodeFunctionData({
      abi: x402BatchSettlementAbi,
      functionName: "claimWithSignature",
      args: [voucherClaimArgs(payload.claims), claimSignature],
    });
    data = encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: "multicall", args: [[claim, data]] });
  }
  return sendIntent(sender, {
    client,
    chainId,
    network,
    key,
    kind: "refund",
    fingerprint: print,
    payer,
    failedReason: R.refundTransactionFailed,
    conflictReason: R.idempotencyConflict,
    async prepare() {
      try {
        await client.call({ account: sender.account.address, to: batchSettlementAddress, data });
      } catch (error) {
        return { refusal: refuse(R.refundSimulationFailed, error instanceof Error ? error.message : String(error)) };
      }
      return { call: { to: batchSettlementAddress, data } };
    },
    async onMined(receipt) {
      const refunded = parseEventLogs({
        abi: x402BatchSettlementAbi,
        eventName: "Refunded",
        logs: receipt.logs.filter((log) => sameAddress(log.address, batchSettlementAddress)),
      });
      const amount = refunded.reduce((sum, log) => sum + ((log.args as { amount?: bigint }).amount ?? 0n), 0n);
      const state = await readChannelState(client, channelId).catch(() => undefined);
      return {
        success: true,
        transaction: receipt.transactionHash,
        network,
        payer,
        amount: amount.toString(),
        ...(state ? { extra: { channelState: channelStateView(channelId, state) } } : {}),
      };
    },
  });
}
