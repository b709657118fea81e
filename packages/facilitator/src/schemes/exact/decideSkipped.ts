// Exact scheme: decides an item a batch's dry run says the router would skip, before the batch is signed.

import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { SettlementRecord } from "../../domain/types.js";
import type { SkipDecision } from "../../engine/pipeline/settlementScheme.js";
import type { RouterFailure } from "../../modes/batchSubmitter.js";
import { classifyRouterFailure } from "../../modes/router/classifyRouterFailure.js";
import { authorizationUsed } from "./authorizationUsed.js";
import { decideNonceUsed, usedElsewhere } from "./decideNonceUsed.js";

/**
 * Batched mode: the router's reason decides first (`classifyRouterFailure`); an item it calls nonce-used is
 * decided by the chain. Reads the chain, writes nothing.
 *
 * @param network - The item's network.
 * @param record - The item.
 * @param failure - Why the dry run says the router would skip it.
 * @param lookbackBlocks - Blocks searched for the transaction that used a nonce.
 * @returns A {@link SkipDecision}.
 */
export const decideSkipped = async (
  network: NetworkRuntime,
  record: SettlementRecord,
  failure: RouterFailure,
  lookbackBlocks: bigint,
): Promise<SkipDecision> => {
  const decision = classifyRouterFailure(failure, record.payment);
  if (decision.kind === "send-alone") return { kind: "send-alone" };
  if (decision.kind === "retry-later") return { kind: "retry-later" };
  if (decision.kind === "failed") {
    return {
      kind: "final",
      outcome: {
        state: "failed",
        reason: decision.reason,
        message: `${decision.message} (a dry run of the batch; nothing was sent)`,
        txHash: undefined,
      },
    };
  }
  if (await authorizationUsed(network, record.payment)) {
    const final = (await decideNonceUsed(network, record.payment, undefined, lookbackBlocks)) ?? usedElsewhere();
    return { kind: "final", outcome: final };
  }
  // A nonce the dry run calls used but the chain calls unused stays in the batch: its receipt decides.
  return { kind: "keep" };
};
