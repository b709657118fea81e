/**
 * `@x402kit/signer/fetch`: a `fetch` that pays x402 402 responses within a spending policy
 * (per-request caps, time-window budgets, allowed networks, assets and payees) and never pays twice
 * for one request.
 *
 * @packageDocumentation
 */

export {
  InvalidPaymentRequiredError,
  type InvalidPaymentRequiredErrorType,
  InvalidPolicyError,
  type InvalidPolicyErrorType,
  PaymentAlreadyAttemptedError,
  type PaymentAlreadyAttemptedErrorType,
  PaymentTransportError,
  type PaymentTransportErrorType,
} from "../errors/fetch.js";
export {
  PaymentRefusedError,
  type PaymentRefusedErrorType,
  type Rejection,
  type RejectionReason,
} from "../errors/payment.js";
export {
  type BudgetExceeded,
  type CreateSpendLedgerReturnType,
  createSpendLedger,
  type SpendEntry,
  type SpendLedger,
} from "./createSpendLedger.js";
export {
  type GetPaymentResultParameters,
  type GetPaymentResultReturnType,
  getPaymentResult,
  type PaymentResult,
  type PaymentStatus,
} from "./getPaymentResult.js";
export {
  type RefundChannelErrorType,
  type RefundChannelParameters,
  type RefundChannelReturnType,
  refundChannel,
} from "./refundChannel.js";
export type { AssetPolicy, Budget, SpendingPolicy } from "./types.js";
export {
  DEFAULT_DEPOSIT_MULTIPLIER,
  DEFAULT_MAX_RESENDS,
  type FetchWithPayment,
  type WrapFetchWithPaymentErrorType,
  type WrapFetchWithPaymentParameters,
  type WrapFetchWithPaymentReturnType,
  wrapFetchWithPayment,
} from "./wrapFetchWithPayment.js";
