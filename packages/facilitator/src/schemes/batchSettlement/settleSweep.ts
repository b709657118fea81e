import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { encodeFunctionData, getAddress, type PublicClient, parseEventLogs } from "viem";
import { fingerprint } from "../shared/fingerprint.js";
import { type IntentSender, sendIntent } from "../shared/sendIntent.js";
import { batchSettlementAddress, sameAddress } from "./channel.js";
import { settleKey } from "./idempotencyKey.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { SettlePayload } from "./schemas.js";
import type { BatchSettlementSettleResponse } from "./types.js";

/**
 * Settles a `settle` payload: sweeps what the receiver has claimed but not yet received of one token with
 * `settle(receiver, token)`. One sweep per claimed total: the same request twice is one transaction.
 */
export async function settleSweep(
  sender: IntentSender,
  parameters: { client: PublicClient; payload: SettlePayload; chainId: number; network: string },
): Promise<BatchSettlementSettleResponse> {
  const { client, payload, chainId, network } = parameters;
  const receiver = getAddress(payload.receiver);
  const token = getAddress(payload.token);
  const refuse = (errorReason: string, errorMessage?: string): BatchSettlementSettleResponse => ({
    success: false,
    errorReason,
    ...(errorMessage ? { errorMessage } : {}),
    transaction: "",
    network,
  });
  let totals: readonly [bigint, bigint];
  try {
    totals = (await client.readContract({
      address: batchSettlementAddress,
      abi: x402BatchSettlementAbi,
      functionName: "receivers",
      args: [receiver, token],
    })) as readonly [bigint, bigint];
  } catch (error) {
    return refuse(R.rpcReadFailed, error instanceof Error ? error.message : String(error));
  }
  const [totalClaimed, totalSettled] = totals;
  const key = settleKey(chainId, receiver, token, totalClaimed);
  // Nothing left to sweep and no sweep of this total known: the official answer. A known sweep answers as before.
  if (totalClaimed <= totalSettled && !(await sender.store.getIntent(key))) {
    return refuse(R.nothingToSettle, "nothing to settle for receiver and token");
  }
  const args = [receiver, token] as const;
  return sendIntent(sender, {
    client,
    chainId,
    network,
    key,
    kind: "settle",
    fingerprint: fingerprint({ network, receiver: receiver.toLowerCase(), token: token.toLowerCase() }),
    payer: undefined,
    failedReason: R.settleTransactionFailed,
    conflictReason: R.idempotencyConflict,
    async prepare() {
      try {
        await client.simulateContract({
          account: sender.account.address,
          address: batchSettlementAddress,
          abi: x402BatchSettlementAbi,
          functionName: "settle",
          args,
        });
      } catch (error) {
        return { refusal: refuse(R.settleSimulationFailed, error instanceof Error ? error.message : String(error)) };
      }
      return {
        call: {
          to: batchSettlementAddress,
          data: encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: "settle", args }),
        },
      };
    },
    async onMined(receipt) {
      const settled = parseEventLogs({
        abi: x402BatchSettlementAbi,
        eventName: "Settled",
        logs: receipt.logs.filter((log) => sameAddress(log.address, batchSettlementAddress)),
      }).find((log) => {
        const a = log.args as { receiver: string; token: string };
        return sameAddress(a.receiver, receiver) && sameAddress(a.token, token);
      });
      const amount = (settled?.args as { amount?: bigint } | undefined)?.amount ?? 0n;
      return { success: true, transaction: receipt.transactionHash, network, amount: amount.toString() };
    },
  });
}
