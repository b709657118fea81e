import { RpcUnavailableError } from "../domain/errors.js";
import { isTransportError } from "./isTransportError.js";
import type { NetworkRuntime } from "./networkRuntime.js";

/**
 * Runs chain calls, turning transport failures into {@link RpcUnavailableError} (a retryable fault,
 * answered 503), so that no caller mistakes an unreachable node for a fact about a payment.
 *
 * @param network - The network called.
 * @param run - The calls.
 * @returns What `run` returns.
 */
export async function withRpc<T>(network: Pick<NetworkRuntime, "caip2">, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RpcUnavailableError) throw error;
    if (isTransportError(error)) throw new RpcUnavailableError({ network: network.caip2, cause: error });
    throw error;
  }
}
