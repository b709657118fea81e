import type { Hex } from "viem";
import { type FailureReason, failureReasons } from "./constants.js";
import { SettlementEncodingError } from "./errors.js";

/**
 * Decodes the `results` returned by `settle` / `settleWithFees` (one `FailureReason` byte per item).
 *
 * @param results - The returned bytes.
 * @returns One reason per item; `"None"` means the item settled.
 */
export function decodeSettlementResults(results: Hex): FailureReason[] {
  const body = results.slice(2);
  const reasons: FailureReason[] = [];
  for (let i = 0; i < body.length; i += 2) {
    const code = Number.parseInt(body.slice(i, i + 2), 16);
    const reason = failureReasons[code];
    if (reason === undefined)
      throw new SettlementEncodingError({ message: `unknown failure reason ${code}`, itemIndex: i / 2 });
    reasons.push(reason);
  }
  return reasons;
}
