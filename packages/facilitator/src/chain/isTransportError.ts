import {
  BaseError,
  ExecutionRevertedError,
  HttpRequestError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
} from "viem";

/**
 * JSON-RPC error codes that are the provider's trouble, not an answer about the request: internal error
 * (-32603), limit exceeded / rate limited (-32005), resource unavailable (-32002).
 */
const providerFaultCodes: ReadonlySet<number> = new Set([-32603, -32005, -32002]);

/**
 * Whether an error means "the RPC endpoint could not be reached or did not answer", as opposed to an
 * answer (a revert, a JSON-RPC error such as "nonce too low"). Only transport errors are retryable
 * faults; an answer is data.
 *
 * @param error - Anything thrown by a viem call.
 * @returns `true` for connection failures, timeouts, HTTP-level failures (5xx, 429), WebSocket failures,
 * and provider faults answered as JSON-RPC errors (-32603, -32005, -32002) that are not reverts.
 */
export function isTransportError(error: unknown): boolean {
  if (error instanceof BaseError) {
    const found = error.walk(
      (e) =>
        e instanceof HttpRequestError ||
        e instanceof TimeoutError ||
        e instanceof WebSocketRequestError ||
        e instanceof SocketClosedError ||
        e instanceof RpcRequestError,
    );
    if (found instanceof TimeoutError || found instanceof WebSocketRequestError || found instanceof SocketClosedError) {
      return true;
    }
    if (found instanceof HttpRequestError) {
      // An HTTP answer with a JSON-RPC error body is an answer; a failed fetch or a 5xx/429 is not.
      return found.status === undefined || found.status >= 500 || found.status === 429;
    }
    if (found instanceof RpcRequestError && providerFaultCodes.has(found.code)) {
      // Some nodes answer a revert as -32603 "execution reverted": that is an answer.
      const reverted = error.walk((e) => e instanceof ExecutionRevertedError);
      return !reverted && !/revert/i.test(`${found.shortMessage} ${found.details}`);
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
