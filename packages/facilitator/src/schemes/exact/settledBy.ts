// Exact scheme: reads from a mined receipt which of the payments it carried it settled.

import type { TransactionReceipt } from "viem";
import type { SettlementRecord } from "../../domain/types.js";
import type { BatchResults } from "../../engine/pipeline/createBatchResults.js";
import { transferredExactly } from "./findAuthorizationUse.js";

/**
 * Per record, whether `receipt` settled it.
 *
 * @param receipt - A mined receipt of ours.
 * @param records - The payments its transaction carried.
 * @param chainId - Its chain.
 * @param batchResults - The decoder of a batch's per-item results.
 * @returns One boolean per record.
 */
export const settledBy = (
  receipt: TransactionReceipt,
  records: readonly SettlementRecord[],
  chainId: number,
  batchResults: BatchResults,
): boolean[] => {
  if (receipt.status !== "success") return records.map(() => false);
  // A batch item is settled when the router reports it settled and its own token logs (between the
  // previous item's router log and its own) show the transfer; a direct payment by the receipt's logs.
  const items = records.some((r) => r.batchIndex !== undefined) ? batchResults(receipt, chainId) : undefined;
  return records.map((r) => {
    if (r.batchIndex === undefined || !items) return transferredExactly(receipt.logs, r.payment);
    const item = items.get(r.batchIndex);
    return item?.status === "settled" && transferredExactly(item.logs, r.payment);
  });
};
