// Exact scheme: decides a payment whose transaction's estimate reverted (nothing was signed) from the chain.

import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { SettlementRecord } from "../../domain/types.js";
import type { RejectDecision } from "../../engine/pipeline/settlementScheme.js";
import { diagnose } from "../../verify/verifyPayment.js";
import { authorizationUsed } from "./authorizationUsed.js";
import { decideNonceUsed, usedElsewhere } from "./decideNonceUsed.js";
import { definite } from "./definite.js";

/**
 * It fails only on a definite reason (nonce used, expired, wrong token domain, funds); otherwise it is tried
 * again later. Reads the chain, writes nothing.
 *
 * @param network - The payment's network.
 * @param record - The queued payment.
 * @param lookbackBlocks - Blocks searched for the transaction that used a nonce.
 * @returns A {@link RejectDecision}.
 */
export const decideRejected = async (
  network: NetworkRuntime,
  record: SettlementRecord,
  lookbackBlocks: bigint,
): Promise<RejectDecision> => {
  if (await authorizationUsed(network, record.payment)) {
    return { final: (await decideNonceUsed(network, record.payment, undefined, lookbackBlocks)) ?? usedElsewhere() };
  }
  const diagnosis = await diagnose(network, record.payment);
  if (diagnosis && definite(diagnosis)) {
    return { final: { state: "failed", reason: diagnosis.reason, message: diagnosis.message, txHash: undefined } };
  }
  return { again: true, reason: diagnosis?.reason };
};
