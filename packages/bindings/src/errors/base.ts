/**
 * The root of every error `@x402kit/bindings` throws. Modelled on viem's `BaseError`
 * (https://github.com/wevm/viem/blob/main/src/errors/base.ts): a one-line `shortMessage`, optional
 * `details` and `metaMessages`, the original `cause`, and a literal `name` per subclass so callers
 * can switch on `error.name` without `instanceof` across package copies.
 */

/** Package version shown in error messages. */
export const BINDINGS_VERSION = "0.1.0";

/** Arguments shared by every {@link BaseError}. */
export type BaseErrorParameters = {
  /** The error that caused this one, if any. Its message becomes `details`. */
  cause?: unknown;
  /** Extra detail when there is no cause. */
  details?: string | undefined;
  /** Further lines shown between the short message and the details. */
  metaMessages?: readonly string[] | undefined;
};

/** Type of {@link BaseError}. */
export type BaseErrorType = BaseError & { name: "BaseError" };

/**
 * Base class of every error thrown by `@x402kit/bindings`.
 *
 * @example
 * ```ts
 * import { BaseError, getContracts } from "@x402kit/bindings";
 * try {
 *   getContracts({ client });
 * } catch (error) {
 *   if (error instanceof BaseError) console.error(error.shortMessage);
 * }
 * ```
 */
export class BaseError extends Error {
  /** Detail of the failure, taken from the cause when there is one. */
  readonly details: string;
  /** Further explanatory lines. */
  readonly metaMessages: readonly string[] | undefined;
  /** The one-line summary, without details. */
  readonly shortMessage: string;
  /** Version of the package that threw. */
  readonly version: string = `@x402kit/bindings@${BINDINGS_VERSION}`;

  override name = "BaseError";

  constructor(shortMessage: string, args: BaseErrorParameters = {}) {
    const details = (() => {
      if (args.cause instanceof BaseError) return args.cause.details;
      if (args.cause instanceof Error) return args.cause.message;
      return args.details ?? "";
    })();
    const message = [
      shortMessage || "An error occurred.",
      ...(args.metaMessages && args.metaMessages.length > 0 ? ["", ...args.metaMessages] : []),
      ...(details ? ["", `Details: ${details}`] : []),
      `Version: @x402kit/bindings@${BINDINGS_VERSION}`,
    ].join("\n");
    super(message, args.cause === undefined ? undefined : { cause: args.cause });
    this.details = details;
    this.metaMessages = args.metaMessages;
    this.shortMessage = shortMessage;
  }
}
