import { BaseError, HttpRequestError, TimeoutError } from "viem";

/**
 * Whether an error means "the RPC endpoint could not be reached or did not answer", as opposed to an
 * answer (a revert, a JSON-RPC error such as "nonce too low"). Only transport errors are retryable
 * faults; an answer is data.
 *
 * @param error - Anything thrown by a viem call.
 * @returns `true` for connection failures, timeouts and HTTP-level failures (5xx, 429).
 */
export function isTransportError(error: unknown): boolean {
  if (error instanceof BaseError) {
    const found = error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError);
    if (found instanceof TimeoutError) return true;
    if (found instanceof HttpRequestError) {
      // An HTTP answer with a JSON-RPC error body is an answer; a failed fetch or a 5xx/429 is not.
      return found.status === undefined || found.status >= 500 || found.status === 429;
    }
    return false;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return (
      error.name === "AbortError" ||
      error.name === "TimeoutError" ||
      code === "ECONNREFUSED" ||
      code === "ECONNRESET" ||
      /fetch failed|ECONNREFUSED|socket hang up/i.test(error.message)
    );
  }
  return false;
}
