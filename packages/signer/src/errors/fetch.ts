import { BaseError } from "./base.js";

/** Type of {@link InvalidPaymentRequiredError}. */
export type InvalidPaymentRequiredErrorType = InvalidPaymentRequiredError & { name: "InvalidPaymentRequiredError" };

/**
 * A 402 response carries no usable x402 `PaymentRequired`: no `PAYMENT-REQUIRED` header and no v1
 * JSON body, or one that does not decode or validate (see `cause`). Nothing was signed.
 */
export class InvalidPaymentRequiredError extends BaseError {
  override name = "InvalidPaymentRequiredError" as const;
  /** URL of the request that got the 402. */
  readonly url: string;

  constructor({ url, cause }: { url: string; cause?: unknown }) {
    super(`The 402 response from ${url} has no valid x402 payment requirements.`, {
      cause,
      details: cause === undefined ? "no PAYMENT-REQUIRED header and no x402 v1 JSON body" : undefined,
    });
    this.url = url;
  }
}

/** Type of {@link PaymentAlreadyAttemptedError}. */
export type PaymentAlreadyAttemptedErrorType = PaymentAlreadyAttemptedError & { name: "PaymentAlreadyAttemptedError" };

/** The request already carried a payment header and still got a 402; it is not paid again. */
export class PaymentAlreadyAttemptedError extends BaseError {
  override name = "PaymentAlreadyAttemptedError" as const;

  constructor({ url }: { url: string }) {
    super(`The request to ${url} already carried a payment and got 402 again; not paying twice.`);
  }
}

/** Type of {@link PaymentTransportError}. */
export type PaymentTransportErrorType = PaymentTransportError & { name: "PaymentTransportError" };

/**
 * The paid request failed in transport (connection reset, DNS, timeout) on every attempt. The
 * authorization was signed and may already have been settled by the server, so it must not be
 * replaced by a new one: re-send `headers` (the same authorization) later to collect the response.
 */
export class PaymentTransportError extends BaseError {
  override name = "PaymentTransportError" as const;
  /** The payment header(s) that were sent, to re-send as they are. */
  readonly headers: Readonly<Record<string, string>>;
  /** How many times the paid request was sent. */
  readonly attempts: number;

  constructor({ headers, attempts, cause }: { headers: Record<string, string>; attempts: number; cause: unknown }) {
    super(`The paid request failed in transport after ${attempts} attempt(s); the same authorization may be re-sent.`, {
      cause,
    });
    this.headers = headers;
    this.attempts = attempts;
  }
}

/** Type of {@link InvalidPolicyError}. */
export type InvalidPolicyErrorType = InvalidPolicyError & { name: "InvalidPolicyError" };

/** A spending policy is malformed (a bad address, a negative limit, an unknown network …). */
export class InvalidPolicyError extends BaseError {
  override name = "InvalidPolicyError" as const;

  constructor({ reason }: { reason: string }) {
    super(`Invalid spending policy: ${reason}.`);
  }
}
