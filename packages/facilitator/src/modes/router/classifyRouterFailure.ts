import { Reason } from "../../domain/reasons.js";
import type { ExactPayment } from "../../domain/types.js";
import type { RouterFailure } from "../batchSubmitter.js";

/** What the engine does with an item the router skipped (or would skip, in a dry run). */
export type RouterFailureDecision =
  /**
   * The nonce is used or canceled. Who used it decides: the payment is confirmed if that transaction paid
   * `payTo` exactly `value` (front-run), failed otherwise (`authorizationState` and the token's logs).
   */
  | { kind: "nonce-used" }
  /** We can still settle it another way: the item needs more gas than a batch item gets; send it alone. */
  | { kind: "send-alone" }
  /**
   * Not yet: the chain's clock is behind `validAfter` (verify checks it against ours). Sent again later, until
   * `validBefore`.
   */
  | { kind: "retry-later" }
  /** It cannot be settled by us: the reason code and a message for the payer. */
  | { kind: "failed"; reason: Reason; message: string };

/**
 * Maps the router's `FailureReason` for one item to the facilitator's decision (settlement-engine.md, "Who
 * decides an outcome"): a reason only the chain can settle (`UsedOrCanceled`) is looked up, an item the
 * router could not carry (`GasLimitExceeded`) goes out on its own, and every other reason is final and
 * explained. A skipped item moved no money and, except for `UsedOrCanceled`, left the nonce unused.
 *
 * | Router reason          | Decision                                                               |
 * | ---------------------- | ---------------------------------------------------------------------- |
 * | `UsedOrCanceled`       | look up the nonce's use: confirmed if it paid this payment, else `nonceAlreadyUsed` |
 * | `NotYetValid`          | retry later (the chain's clock catches up), until `validBefore`        |
 * | `Paused`, `Blocklisted` | retry later (the token may unpause or unblock), until `validBefore`   |
 * | `Expired`              | `validBefore`                                                          |
 * | `InvalidSignature`     | `invalidSignature`                                                     |
 * | `InsufficientBalance`  | `insufficientFunds`                                                    |
 * | `InvalidToken`         | `eip3009NotSupported`                                                  |
 * | `InvalidPayee`         | `invalidPaymentRequirements` (payTo is the router)                     |
 * | `GasLimitExceeded`     | send alone (direct `transferWithAuthorization`, gas from the estimate) |
 * | `Other`, fee-mode reasons | `transactionFailed`, with the token's words                        |
 * | Permit2-mode reasons   | `transactionFailed` (never reported for an EIP-3009 item)              |
 *
 * @param failure - The router's reason (and the token's error selector, when known).
 * @param payment - The payment of the item.
 * @returns The decision.
 */
export function classifyRouterFailure(failure: RouterFailure, payment: ExactPayment): RouterFailureDecision {
  const { asset, payTo } = payment;
  const { from, value, validBefore } = payment.authorization;
  const failed = (reason: Reason, message: string): RouterFailureDecision => ({ kind: "failed", reason, message });
  switch (failure.reason) {
    case "UsedOrCanceled":
      return { kind: "nonce-used" };
    case "GasLimitExceeded":
      return { kind: "send-alone" };
    case "NotYetValid":
      return { kind: "retry-later" };
    case "Expired":
      return failed(Reason.validBefore, `the token refused the authorization as expired (validBefore ${validBefore})`);
    case "InvalidSignature":
      return failed(
        Reason.invalidSignature,
        `the token refused the signature as not authorizing this transfer for ${from}`,
      );
    case "InsufficientBalance":
      return failed(Reason.insufficientFunds, `the balance of ${from} was below ${value} when the token was called`);
    case "InvalidToken":
      return failed(Reason.eip3009NotSupported, `${asset} has no code`);
    case "InvalidPayee":
      return failed(
        Reason.invalidPaymentRequirements,
        `payTo ${payTo} is the settlement router itself, which would strand the funds`,
      );
    case "Paused":
    case "Blocklisted":
      // The token's controls refuse it today, not for good (an unpause, an unblock): like NotYetValid, the
      // payment waits and is sent again, until validBefore. A payment not yet admitted is refused at /settle.
      return { kind: "retry-later" };
    case "Other":
      return failed(
        Reason.transactionFailed,
        `the token reverted with an error the router does not recognise${failure.errorSelector && failure.errorSelector !== "0x00000000" ? ` (selector ${failure.errorSelector})` : ""}; nothing was transferred`,
      );
    case "FeeExceedsValue":
    case "AmountMismatch":
      return failed(
        Reason.transactionFailed,
        `the router reported the fee-mode failure ${failure.reason} for a standard payment; nothing was transferred`,
      );
    case "InsufficientAllowance":
    case "AmountExceedsPermitted":
    case "UnauthorizedSettler":
      return failed(
        Reason.transactionFailed,
        `the router reported the Permit2-mode failure ${failure.reason} for a standard payment; nothing was transferred`,
      );
  }
}
