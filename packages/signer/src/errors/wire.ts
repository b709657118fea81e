import { BaseError } from "./base.js";

/** One problem found by a schema, with the path of the offending field. */
export type SchemaIssue = {
  /** Dotted path of the field (`accepts.0.payTo`), or `""` for the value itself. */
  path: string;
  /** What is wrong. */
  message: string;
};

/** Type of {@link SchemaValidationError}. */
export type SchemaValidationErrorType = SchemaValidationError & { name: "SchemaValidationError" };

/**
 * A value does not match an x402 wire schema (a `PaymentRequired`, `PaymentPayload`, facilitator
 * body, registration file …). `issues` lists every problem with its path.
 */
export class SchemaValidationError extends BaseError {
  override name = "SchemaValidationError" as const;
  /** Name of the schema that rejected the value, e.g. `PaymentPayload`. */
  readonly schema: string;
  /** The problems found. */
  readonly issues: readonly SchemaIssue[];

  constructor({ schema, issues }: { schema: string; issues: readonly SchemaIssue[] }) {
    super(`Invalid ${schema}.`, {
      metaMessages: issues.slice(0, 10).map((issue) => `- ${issue.path || "(root)"}: ${issue.message}`),
    });
    this.schema = schema;
    this.issues = issues;
  }
}

/** Why a header value could not be decoded. */
export type HeaderDecodeFailure = "too_long" | "not_base64" | "not_utf8" | "not_json";

/** Type of {@link HeaderDecodeError}. */
export type HeaderDecodeErrorType = HeaderDecodeError & { name: "HeaderDecodeError" };

/**
 * An x402 header value is not base64 (standard alphabet) of UTF-8 JSON, or is longer than allowed.
 * A decoded value that is JSON but not the expected object raises {@link SchemaValidationError}.
 */
export class HeaderDecodeError extends BaseError {
  override name = "HeaderDecodeError" as const;
  /** The header being decoded, e.g. `PAYMENT-SIGNATURE`. */
  readonly header: string;
  /** Which decoding step failed. */
  readonly reason: HeaderDecodeFailure;

  constructor({ header, reason, cause }: { header: string; reason: HeaderDecodeFailure; cause?: unknown }) {
    const text: Record<HeaderDecodeFailure, string> = {
      too_long: "is longer than the allowed maximum",
      not_base64: "is not base64 (standard alphabet)",
      not_utf8: "does not decode to UTF-8 text",
      not_json: "does not decode to JSON",
    };
    super(`The ${header} header value ${text[reason]}.`, { cause });
    this.header = header;
    this.reason = reason;
  }
}

/** Type of {@link UnknownNetworkError}. */
export type UnknownNetworkErrorType = UnknownNetworkError & { name: "UnknownNetworkError" };

/**
 * A network id cannot be mapped: an unknown v1 name, a CAIP-2 id outside `eip155`, or (for
 * `chainIdToV1Network`) a chain id that has no v1 name, such as a local chain `31337`.
 */
export class UnknownNetworkError extends BaseError {
  override name = "UnknownNetworkError" as const;
  /** The network id or chain id that could not be mapped. */
  readonly network: string;

  constructor({ network, details }: { network: string; details?: string }) {
    super(`Unknown network "${network}".`, { details });
    this.network = network;
  }
}
