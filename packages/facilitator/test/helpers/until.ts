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

/**
 * Sends the same `/settle` until the answer is no longer `settlement_pending` (bounded), as a resource
 * server following up a pending settlement does.
 *
 * @param facilitator - Anything that can post to the facilitator.
 * @param body - The `/settle` request body.
 * @param timeoutMs - Longest wait.
 * @returns The final answer.
 */
export function finalSettle<A extends { body: { errorReason?: unknown } }>(
  facilitator: { post(path: string, body: unknown): Promise<A> },
  body: unknown,
  timeoutMs?: number,
): Promise<A> {
  return until(
    async () => {
      const answer = await facilitator.post("/settle", body);
      return answer.body.errorReason === "settlement_pending" ? undefined : answer;
    },
    "the final settle answer",
    timeoutMs,
  );
}

/**
 * Polls until `done` answers true (bounded), for waits on a condition rather than on a value.
 *
 * @param done - Whether the awaited condition holds.
 * @param what - Named in the timeout error.
 * @param timeoutMs - Longest wait.
 */
export async function untilTrue(done: () => Promise<boolean>, what: string, timeoutMs?: number): Promise<void> {
  // `until` polls again on `undefined`, so `false` is mapped to it.
  await until(async () => ((await done()) ? true : undefined), what, timeoutMs);
}
