import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { encodeFunctionData, type Hex, parseEventLogs } from "viem";
import { eip2612Extension } from "../permit2/verifyPermit2.js";
import { fingerprint } from "../shared/fingerprint.js";
import { type IntentSender, sendIntent } from "../shared/sendIntent.js";
import { batchSettlementAddress, channelStateView, readChannelState } from "./channel.js";
import { depositNonce } from "./depositAuthorization.js";
import { depositTransferMethod } from "./depositPermit2.js";
import { depositKey, permit2DepositKey } from "./idempotencyKey.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { DepositPayload } from "./schemas.js";
import type { BatchSettlementSettleResponse } from "./types.js";
import { checkDeposit, type VerifyDepositParameters, verifyDeposit } from "./verifyDeposit.js";

/**
 * Settles a `deposit`: re-verifies it, then sends `deposit(config, amount, collector, data)` once per
 * authorization: through the ERC3009DepositCollector once per ERC-3009 nonce, through the Permit2DepositCollector
 * once per Permit2 nonce (with the EIP-2612 permit when the payment carries one). The answer carries the deposit
 * amount and the channel state after it. Deposits of different channels that wait together share one transaction
 * (`sendIntent.ts`); each is settled when its channel's `Deposited` event with its amount is in the receipt.
 */
export async function settleDeposit(
  sender: IntentSender,
  parameters: VerifyDepositParameters & { network: string },
): Promise<BatchSettlementSettleResponse> {
  const { client, payload, requirements, chainId, network } = parameters;
  const payer = payload.channelConfig.payer;
  const channelId = payload.voucher.channelId as Hex;
  const { erc3009Authorization, permit2Authorization } = payload.deposit.authorization;
  const refusalOf = (invalidReason: string | undefined, invalidMessage?: string): BatchSettlementSettleResponse => ({
    success: false,
    errorReason: invalidReason ?? R.payloadType,
    errorMessage: invalidMessage ?? invalidReason ?? R.payloadType,
    transaction: "",
    network,
    payer,
  });
  const permit2 = depositTransferMethod(payload, requirements) === "permit2";
  const key = permit2
    ? permit2Authorization && permit2DepositKey(chainId, payer, permit2Authorization.nonce)
    : erc3009Authorization &&
      depositKey(chainId, requirements.asset, payer, depositNonce(channelId, erc3009Authorization.salt));
  if (!key) {
    const verified = await verifyDeposit(parameters);
    return refusalOf(verified.invalidReason, verified.invalidMessage);
  }
  // What the answer vouches for: the payload and, for Permit2, the EIP-2612 permit it may spend first.
  const eip2612 = permit2 ? eip2612Extension(parameters.extensions) : undefined;
  return sendIntent(sender, {
    client,
    chainId,
    network,
    key,
    kind: "deposit",
    fingerprint: fingerprint({ network, payload, eip2612: eip2612?.permit }),
    payer,
    failedReason: R.depositTransactionFailed,
    conflictReason: R.idempotencyConflict,
    batch: {
      group: `channel:${channelId.toLowerCase()}`,
      tookEffect: (receipt) =>
        parseEventLogs({ abi: x402BatchSettlementAbi, eventName: "Deposited", logs: receipt.logs }).some(
          (log) =>
            log.address.toLowerCase() === batchSettlementAddress.toLowerCase() &&
            log.args.channelId.toLowerCase() === channelId.toLowerCase() &&
            log.args.amount === BigInt(payload.deposit.amount),
        ),
    },
    async prepare() {
      const { response: verified, args } = await checkDeposit(parameters);
      if (!verified.isValid || !args) {
        return { refusal: refusalOf(verified.invalidReason, verified.invalidMessage) };
      }
      return {
        call: {
          to: batchSettlementAddress,
          data: encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: "deposit", args }),
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
