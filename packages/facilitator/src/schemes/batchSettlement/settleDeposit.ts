import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { encodeFunctionData, type Hex } from "viem";
import { fingerprint } from "../shared/fingerprint.js";
import { type IntentSender, sendIntent } from "../shared/sendIntent.js";
import { batchSettlementAddress, channelStateView, readChannelState } from "./channel.js";
import { depositNonce } from "./depositAuthorization.js";
import { depositKey } from "./idempotencyKey.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { DepositPayload } from "./schemas.js";
import type { BatchSettlementSettleResponse } from "./types.js";
import { depositArgs, type VerifyDepositParameters, verifyDeposit } from "./verifyDeposit.js";

/**
 * Settles a `deposit`: re-verifies it, then sends `deposit(config, amount, ERC3009DepositCollector, data)` once
 * per ERC-3009 authorization. The answer carries the deposit amount and the channel state after it.
 */
export async function settleDeposit(
  sender: IntentSender,
  parameters: VerifyDepositParameters & { network: string },
): Promise<BatchSettlementSettleResponse> {
  const { client, payload, requirements, chainId, network } = parameters;
  const payer = payload.channelConfig.payer;
  const channelId = payload.voucher.channelId as Hex;
  const auth = payload.deposit.authorization.erc3009Authorization;
  const refusalOf = (invalidReason: string | undefined, invalidMessage?: string): BatchSettlementSettleResponse => ({
    success: false,
    errorReason: invalidReason ?? R.payloadType,
    errorMessage: invalidMessage ?? invalidReason ?? R.payloadType,
    transaction: "",
    network,
    payer,
  });
  if (!auth) {
    const verified = await verifyDeposit(parameters);
    return refusalOf(verified.invalidReason, verified.invalidMessage);
  }
  return sendIntent(sender, {
    client,
    chainId,
    network,
    key: depositKey(chainId, requirements.asset, payer, depositNonce(channelId, auth.salt)),
    kind: "deposit",
    fingerprint: fingerprint({ network, payload }),
    payer,
    failedReason: R.depositTransactionFailed,
    conflictReason: R.idempotencyConflict,
    async prepare() {
      const verified = await verifyDeposit(parameters);
      if (!verified.isValid) return { refusal: refusalOf(verified.invalidReason, verified.invalidMessage) };
      return {
        call: {
          to: batchSettlementAddress,
          data: encodeFunctionData({
            abi: x402BatchSettlementAbi,
            functionName: "deposit",
            args: depositArgs(payload),
          }),
        },
      };
    },
    async onMined(receipt) {
      const state = await readChannelState(client, channelId).catch(() => undefined);
      return {
        success: true,
        transaction: receipt.transactionHash,
        network,
        payer,
        amount: payload.deposit.amount,
        ...(state ? { extra: { channelState: channelStateView(channelId, state) } } : {}),
      };
    },
  });
}

export type { DepositPayload };
