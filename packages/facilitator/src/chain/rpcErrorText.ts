import { BaseError } from "viem";

/**
 * The most specific message of a viem error chain, lower-cased, for classifying node answers such as
 * "nonce too low" or "already known". Node answers have no standard codes; this is the one place
 * that reads their text.
 *
 * @param error - Anything thrown by a viem call.
 * @returns The concatenated messages of the chain, lower-cased.
 */
export function rpcErrorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current instanceof BaseError) parts.push(current.shortMessage, current.details ?? "");
    else if (current instanceof Error) parts.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(" | ").toLowerCase();
}
