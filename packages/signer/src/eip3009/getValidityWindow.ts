import { InvalidAuthorizationError, type InvalidAuthorizationErrorType } from "../errors/signer.js";

/** Seconds the official client back-dates `validAfter` by, to absorb clock skew. */
export const VALID_AFTER_SKEW_SECONDS = 600;

export type GetValidityWindowParameters = {
  /** The requirement's `maxTimeoutSeconds`: how long the authorization stays valid. */
  maxTimeoutSeconds: number;
  /** Current unix time in seconds. Defaults to the system clock. */
  now?: number | bigint | undefined;
  /** How far to back-date `validAfter`. Defaults to {@link VALID_AFTER_SKEW_SECONDS} (600). */
  validAfterSkewSeconds?: number | undefined;
};
export type GetValidityWindowReturnType = { validAfter: bigint; validBefore: bigint };
export type GetValidityWindowErrorType = InvalidAuthorizationErrorType;

/**
 * The EIP-3009 validity window the official x402 client signs: `validAfter = now − 600` (so a payee
 * whose clock runs behind still accepts it) and `validBefore = now + maxTimeoutSeconds`.
 *
 * @param parameters - {@link GetValidityWindowParameters}
 * @returns `{ validAfter, validBefore }` in unix seconds.
 * @throws {InvalidAuthorizationError} When `maxTimeoutSeconds` is not a positive integer.
 *
 * @example
 * ```ts
 * import { getValidityWindow } from "@x402kit/signer";
 * getValidityWindow({ maxTimeoutSeconds: 60, now: 1_700_000_000 });
 * // { validAfter: 1699999400n, validBefore: 1700000060n }
 * ```
 */
export function getValidityWindow(parameters: GetValidityWindowParameters): GetValidityWindowReturnType {
  const { maxTimeoutSeconds } = parameters;
  if (!Number.isSafeInteger(maxTimeoutSeconds) || maxTimeoutSeconds <= 0) {
    throw new InvalidAuthorizationError({
      reason: `maxTimeoutSeconds must be a positive integer, got ${maxTimeoutSeconds}`,
    });
  }
  const skew = BigInt(parameters.validAfterSkewSeconds ?? VALID_AFTER_SKEW_SECONDS);
  const now = BigInt(parameters.now ?? Math.floor(Date.now() / 1000));
  const validAfter = now > skew ? now - skew : 0n;
  return { validAfter, validBefore: now + BigInt(maxTimeoutSeconds) };
}
