// Pipeline, decide: the answer a journal record gives as it stands now (pending until the chain made it final).

import type { Address } from "viem";
import { Reason } from "../../domain/reasons.js";
import type { SettlementRecord, SettleOutcome } from "../../domain/types.js";

/**
 * The outcome of a settlement as it stands now (pending when not final).
 *
 * @param record - A journal record.
 * @param payer - Who pays it (the scheme reads it from the payload).
 * @returns Its {@link SettleOutcome}.
 */
export function outcomeOf(record: SettlementRecord, payer: Address): SettleOutcome {
  if (record.state === "confirmed" && record.txHash) {
    return { status: "confirmed", payer, txHash: record.txHash, blockNumber: record.blockNumber, id: record.id };
  }
  if (record.state === "failed") {
    return {
      status: "failed",
      payer,
      reason: record.reason ?? Reason.transactionFailed,
      message: record.message,
      txHash: record.txHash,
      id: record.id,
    };
  }
  return { status: "pending", payer, txHash: record.txHash, id: record.id };
}
