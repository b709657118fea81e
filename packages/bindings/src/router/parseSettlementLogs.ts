import { type Address, type Hex, type Log, type ParseEventLogsErrorType, parseEventLogs } from "viem";
import { iBatchSettlementRouterAbi } from "../generated/abis.js";
import { SettlementDecodingError, type SettlementDecodingErrorType } from "./errors.js";
import { type FailureReason, failureReasons } from "./failureReasons.js";

/** Parameters of {@link parseSettlementLogs}. */
export type ParseSettlementLogsParameters<log extends Log = Log> = {
  /** Every log of one `settle` / `settleWithFees` / `settlePermit2` transaction, in log order (a receipt's `logs`). */
  logs: readonly log[];
  /** The router the transaction called; logs of other contracts named like its events are not its events. */
  router: Address;
  /** Items in the batch. When given, every index below it must have exactly one outcome. */
  itemCount?: number | undefined;
};

/** What the router's logs say about one item. */
export type SettlementItemOutcome<log extends Log = Log> =
  | {
      index: number;
      status: "settled";
      /**
       * The logs the item's token calls emitted, between the previous item's router log and this item's
       * `AuthorizationSettled` (standard mode: `AuthorizationUsed(from, nonce)` and `Transfer(from, to, value)`)
       * or `FeeAuthorizationSettled` (fee mode: `AuthorizationUsed(from, nonce)`, the pull, then the payouts
       * that are not zero) or `Permit2PaymentSettled` (Permit2 mode: the token's `Transfer(owner, to, amount)` and
       * the proxy's `Settled()`).
       */
      logs: log[];
      /**
       * Fee mode only: the split and salt from `FeeAuthorizationSettled` (the signed nonce is
       * `computeFeeCommitment` of them); `undefined` in standard mode.
       */
      fee?: { payTo: Address; fee: bigint; feeRecipient: Address; salt: Hex } | undefined;
    }
  | {
      index: number;
      status: "failed";
      /** The decoded reason; never `"None"`. */
      reason: Exclude<FailureReason, "None">;
      /** First four bytes of the revert data that failed the item (zero when there were none). */
      errorSelector: Hex;
      token: Address;
      from: Address;
      /** The signed nonce (fee mode: the commitment). */
      nonce: Hex;
    };

/** One outcome per item that has a router log, ordered by index. */
export type ParseSettlementLogsReturnType<log extends Log = Log> = SettlementItemOutcome<log>[];

/** Errors {@link parseSettlementLogs} throws. */
export type ParseSettlementLogsErrorType = SettlementDecodingErrorType | ParseEventLogsErrorType;

/**
 * Reads per-item outcomes from the logs of a mined `BatchSettlementRouter.settle`, `settleWithFees` or
 * `settlePermit2` transaction. The router logs `AuthorizationSettled(index)` (fee mode: `FeeAuthorizationSettled(index,
 * payTo, fee, feeRecipient, salt)`; Permit2 mode: `Permit2PaymentSettled(index)`) right after the token logs of a settled item, and
 * `AuthorizationFailed(token, from, nonce, index, reason, errorSelector)` for a skipped one (see
 * `IBatchSettlementRouter`), so each settled item gets the token logs that belong to it alone. A careful caller
 * still checks those logs (the payment is settled when its token says so, not because the router does).
 *
 * @param parameters - {@link ParseSettlementLogsParameters}
 * @returns The outcome of each item, by index.
 * @throws {SettlementDecodingError} When an index repeats, goes backwards, is out of range, or is missing
 * (with `itemCount`), or a reason code is unknown.
 *
 * @example
 * ```ts
 * import { parseSettlementLogs } from "@x402kit/bindings/router";
 *
 * const receipt = await publicClient.waitForTransactionReceipt({ hash });
 * for (const item of parseSettlementLogs({ logs: receipt.logs, router, itemCount: 3 })) {
 *   if (item.status === "failed") console.log(item.index, item.reason);
 * }
 * ```
 */
export function parseSettlementLogs<log extends Log>(
  parameters: ParseSettlementLogsParameters<log>,
): ParseSettlementLogsReturnType<log> {
  const { logs, router, itemCount } = parameters;
  const routerAddress = router.toLowerCase();
  const outcomes: SettlementItemOutcome<log>[] = [];
  let itemLogs: log[] = [];
  let lastIndex = -1;
  for (const log of logs) {
    if (log.address.toLowerCase() !== routerAddress) {
      itemLogs.push(log);
      continue;
    }
    const [event] = parseEventLogs({ abi: iBatchSettlementRouterAbi, logs: [log], strict: true });
    if (!event) continue;
    const index = Number(event.args.index);
    if (index <= lastIndex || (itemCount !== undefined && index >= itemCount)) {
      throw new SettlementDecodingError({
        reason: `log ${log.logIndex ?? "?"} reports item ${index} after item ${lastIndex}${itemCount === undefined ? "" : ` of ${itemCount}`}`,
        itemIndex: index,
      });
    }
    lastIndex = index;
    if (event.eventName === "AuthorizationSettled" || event.eventName === "Permit2PaymentSettled") {
      outcomes.push({ index, status: "settled", logs: itemLogs });
    } else if (event.eventName === "FeeAuthorizationSettled") {
      const { payTo, fee, feeRecipient, salt } = event.args;
      outcomes.push({ index, status: "settled", logs: itemLogs, fee: { payTo, fee, feeRecipient, salt } });
    } else {
      const reason = failureReasons[event.args.reason];
      if (reason === undefined || reason === "None") {
        throw new SettlementDecodingError({ reason: `unknown failure reason ${event.args.reason}`, itemIndex: index });
      }
      outcomes.push({
        index,
        status: "failed",
        reason,
        errorSelector: event.args.errorSelector,
        token: event.args.token,
        from: event.args.from,
        nonce: event.args.nonce,
      });
    }
    itemLogs = [];
  }
  if (itemCount !== undefined && outcomes.length !== itemCount) {
    throw new SettlementDecodingError({
      reason: `the logs report ${outcomes.length} of ${itemCount} items (a reverted transaction has none)`,
    });
  }
  return outcomes;
}
