// Exact scheme: decides a payment its transaction did not settle (mined without it, or never minable).

import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { withRpc } from "../../chain/withRpc.js";
import { Reason } from "../../domain/reasons.js";
import type { SettlementRecord } from "../../domain/types.js";
import type { BatchResults } from "../../engine/pipeline/createBatchResults.js";
import type { Retries } from "../../engine/pipeline/createRetries.js";
import type { NotSettledContext, NotSettledDecision } from "../../engine/pipeline/createTracker.js";
import { classifyRouterFailure } from "../../modes/router/classifyRouterFailure.js";
import { diagnose } from "../../verify/verifyPayment.js";
import { authorizationUsed } from "./authorizationUsed.js";
import { decideNonceUsed } from "./decideNonceUsed.js";
import { definite } from "./definite.js";

/** Parameters of {@link decideNotSettled}. */
export type DecideNotSettledParameters = {
  network: NetworkRuntime;
  record: SettlementRecord;
  context: NotSettledContext;
  /** Blocks searched for the transaction that used a nonce we did not use. */
  lookbackBlocks: bigint;
  batchResults: BatchResults;
  /** How often the record was tried; where a requeued one goes next. */
  retries: Pick<Retries, "count" | "sendAs">;
};

/**
 * Decides a payment that could not be executed (mined without transferring it, or its transaction can
 * never be mined). "failed" only when it can no longer be settled by us: a nonce used elsewhere is looked
 * up, and if that transaction paid this payment, it is a success. While the authorization is unused and
 * valid, a reverted transaction is tried again (a whole batch split in two, a lone batch item sent on its
 * own), bounded by `validBefore`. A batch item the router skipped is decided by the router's reason
 * (`classifyRouterFailure`), after `authorizationState` (the chain's word on the nonce comes first).
 *
 * @param parameters - See {@link DecideNotSettledParameters}.
 * @returns Final, back to the queue, or undecided.
 */
export const decideNotSettled = async (parameters: DecideNotSettledParameters): Promise<NotSettledDecision> => {
  const { network, record, context, lookbackBlocks, batchResults, retries } = parameters;
  const payment = record.payment;
  const minedReceipt = context.kind === "mined" ? context.receipt : undefined;
  const minedHash = minedReceipt?.transactionHash;
  if (await authorizationUsed(network, payment)) {
    const final = await decideNonceUsed(network, payment, minedReceipt, lookbackBlocks);
    if (final) return { final };
    return {
      undecided: `the authorization nonce is used, but no AuthorizationUsed event in the last ${lookbackBlocks} blocks says by which transaction`,
    };
  }
  const block = await withRpc(network, () => network.client.getBlock({ blockTag: "latest" }));
  const expired = payment.authorization.validBefore <= block.timestamp + 1n;
  const expiredOutcome = (message: string): NotSettledDecision => ({
    final: { state: "failed", reason: Reason.validBefore, message, txHash: minedHash },
  });
  if (context.kind === "slot-taken") {
    return expired ? expiredOutcome("the authorization expired") : { requeue: true };
  }
  const { receipt } = context;
  if (expired) return expiredOutcome("the authorization expired before its transaction was mined");
  const isBatch = record.batchIndex !== undefined;
  const tries = retries.count(record.id);
  if (receipt.status === "reverted") {
    // The transaction reverted as a whole and the authorization is still unused: nothing about this payment
    // is final. A batch is split (the engine's `requeued` hook sends its halves), a direct one sent again.
    retries.sendAs(record.id, isBatch ? "split" : "direct");
    return { requeue: true };
  }
  const item = isBatch ? batchResults(receipt, record.key.chainId)?.get(record.batchIndex as number) : undefined;
  if (item?.status === "skipped") {
    const decision = classifyRouterFailure(item.failure, payment);
    if (decision.kind === "failed") {
      return {
        final: {
          state: "failed",
          reason: decision.reason,
          message: `${decision.message} (item ${record.batchIndex} of batch transaction ${receipt.transactionHash})`,
          txHash: minedHash,
        },
      };
    }
    if (decision.kind === "send-alone") {
      retries.sendAs(record.id, "direct");
      return { requeue: true };
    }
    if (decision.kind === "retry-later") return { requeue: true };
    // A nonce-used item whose nonce reads unused (a reorg?) is tried again, twice; then diagnosed below.
    if (tries < 2) return { requeue: true };
  }
  const diagnosis = await diagnose(network, payment);
  if (!definite(diagnosis) && tries < 2) return { requeue: true };
  return {
    final: {
      state: "failed",
      reason: diagnosis?.reason ?? Reason.transactionFailed,
      message:
        diagnosis?.message ??
        `transaction ${receipt.transactionHash} did not transfer this payment${item?.status === "skipped" ? ` (the router skipped it: ${item.failure.reason})` : ""}`,
      txHash: minedHash,
    },
  };
};
