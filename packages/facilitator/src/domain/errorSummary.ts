/**
 * A log-safe summary of an error: its name and shortest message, with long hex strings (signatures,
 * calldata, raw transactions, which RPC errors like to echo) shortened to their first and last bytes.
 * Logs never carry a full signature or key.
 *
 * @param error - Anything thrown.
 * @returns `{ name, message }` for a log line.
 */
export function errorSummary(error: unknown): { name: string; message: string } {
  const e = error as { name?: unknown; shortMessage?: unknown; message?: unknown } | null;
  const name = typeof e?.name === "string" ? e.name : typeof error;
  const raw =
    typeof e?.shortMessage === "string" ? e.shortMessage : typeof e?.message === "string" ? e.message : String(error);
  return { name, message: redactHex(raw.split("\n")[0] ?? "").slice(0, 500) };
}

/**
 * Shortens every hex string longer than 32 bytes to `0xabcd…wxyz`, so signatures and calldata never
 * reach a log whole (32-byte hashes stay readable).
 *
 * @param text - Any text.
 * @returns The text with long hex strings shortened.
 */
export function redactHex(text: string): string {
  return text.replace(/0x[0-9a-fA-F]{66,}/g, (hex) => `${hex.slice(0, 10)}…${hex.slice(-4)}`);
}
