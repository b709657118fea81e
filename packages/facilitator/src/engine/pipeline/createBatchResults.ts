// Pipeline, track: decodes a mined batch's per-item results once, for every item of that batch that asks.

import type { Logger } from "pino";
import type { Hex, TransactionReceipt } from "viem";
import { errorSummary } from "../../domain/errorSummary.js";
import type { BatchItemResult, BatchSubmitter } from "../../modes/batchSubmitter.js";

/** Per-item results of a mined batch, by index; `undefined` when the router's logs do not decode. */
export type BatchResults = (receipt: TransactionReceipt, chainId: number) => Map<number, BatchItemResult> | undefined;

/**
 * Creates the batch-receipt decoder of an engine.
 *
 * @param batchSubmitter - The router port; without one (direct mode) nothing decodes.
 * @param logger - Where an undecodable receipt is reported.
 * @returns A {@link BatchResults}.
 */
export function createBatchResults(batchSubmitter: BatchSubmitter | undefined, logger: Logger): BatchResults {
  /** The last decoded batch receipt: every item of a batch asks for the same one. */
  let decoded: { hash: Hex; results: Map<number, BatchItemResult> } | undefined;
  return (receipt, chainId) => {
    if (!batchSubmitter) return undefined;
    if (decoded?.hash === receipt.transactionHash) return decoded.results;
    try {
      const results = new Map(batchSubmitter.decode(receipt, chainId).map((r) => [r.index, r]));
      decoded = { hash: receipt.transactionHash, results };
      return results;
    } catch (error) {
      logger.warn(
        { tx: receipt.transactionHash, err: errorSummary(error) },
        "the router's logs do not decode; deciding batch items from the token's logs alone",
      );
      return undefined;
    }
  };
}
