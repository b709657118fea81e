/**
 * Polls until `check` returns a value, every 50 ms, for at most `timeoutMs` (bounded loops only).
 *
 * @param check - Returns the awaited value, or `undefined` to poll again.
 * @param what - Named in the timeout error.
 * @param timeoutMs - Longest wait.
 * @returns The first value `check` returned.
 */
export async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
