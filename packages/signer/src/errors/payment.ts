import { BaseError } from "./base.js";

/**
 * Why one offered requirement was not used. The first group comes from what this package can pay
 * (EVM `exact` with EIP-3009); the second from a spending policy.
 */
export type RejectionReason =
  | "unsupported_scheme"
  | "unsupported_network"
  | "unsupported_transfer_method"
  | "invalid_requirements"
  | "not_offered"
  | "network_not_allowed"
  | "asset_not_allowed"
  | "payee_not_allowed"
  | "amount_exceeds_limit"
  | "budget_exceeded"
  | "deposit_exceeds_limit";

/** One refused requirement and why. */
export type Rejection = {
  /** Index in `accepts` (−1 for a requirement that is not in `accepts` at all). */
  index: number;
  /** Machine-readable reason. */
  reason: RejectionReason;
  /** Human-readable explanation with the offending values. */
  message: string;
};

/** Type of {@link PaymentRefusedError}. */
export type PaymentRefusedErrorType = PaymentRefusedError & { name: "PaymentRefusedError" };

/**
 * None of the server's payment requirements can or may be paid. `rejections` says, for each offered
 * requirement, why it was refused (unsupported scheme or network, over the per-request limit, over
 * the time-window budget, asset/payee/network not allowed …). Nothing was signed.
 */
export class PaymentRefusedError extends BaseError {
  override name = "PaymentRefusedError" as const;
  /** One entry per refused requirement, in `accepts` order. */
  readonly rejections: readonly Rejection[];

  constructor({ rejections }: { rejections: readonly Rejection[] }) {
    super("No acceptable payment option: nothing was signed.", {
      metaMessages: rejections.map(
        (rejection) => `- accepts[${rejection.index}] ${rejection.reason}: ${rejection.message}`,
      ),
    });
    this.rejections = rejections;
  }
}
