import type { Hex } from "viem";
import { SettlementDecodingError, type SettlementDecodingErrorType } from "./errors.js";
import { type FailureReason, failureReasons } from "./failureReasons.js";

/** One reason per item, in batch order; `"None"` means the item settled. */
export type DecodeSettlementResultsReturnType = FailureReason[];

/** Errors {@link decodeSettlementResults} throws. */
export type DecodeSettlementResultsErrorType = SettlementDecodingErrorType;

/**
 * Decodes the `results` that `BatchSettlementRouter.settle` and `settleWithFees` return: one
 * `uint8(FailureReason)` byte per item. Read them from an `eth_call` simulation to learn which items would fail
 * before sending the batch; a mined transaction's outcomes are in its logs (see {@link parseSettlementLogs}).
 *
 * @param results - The returned bytes.
 * @returns One {@link FailureReason} per item.
 * @throws {SettlementDecodingError} When `results` is not hex bytes or holds a code this version does not know.
 *
 * @example
 * ```ts
 * import { batchSettlementRouterAbi } from "@x402kit/bindings";
 * import { decodeSettlementResults } from "@x402kit/bindings/router";
 *
 * const { result } = await publicClient.simulateContract({
 *   address: router, abi: batchSettlementRouterAbi, functionName: "settle", args: [batch, 150_000n],
 * });
 * decodeSettlementResults(result); // ["None", "Expired", "None"]
 * ```
 */
export function decodeSettlementResults(results: Hex): DecodeSettlementResultsReturnType {
  if (typeof results !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(results)) {
    throw new SettlementDecodingError({ reason: "results are not hex bytes" });
  }
  const reasons: FailureReason[] = [];
  for (let i = 2; i < results.length; i += 2) {
    const code = Number.parseInt(results.slice(i, i + 2), 16);
    const reason = failureReasons[code];
    if (reason === undefined) {
      throw new SettlementDecodingError({ reason: `unknown failure reason ${code}`, itemIndex: (i - 2) / 2 });
    }
    reasons.push(reason);
  }
  return reasons;
}
