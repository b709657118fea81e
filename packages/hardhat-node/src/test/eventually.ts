/**
 * Polls (every 100 ms, at most `timeoutMs`) until `condition` holds.
 *
 * @param condition - Checked each round.
 * @param timeoutMs - Upper bound.
 * @returns Whether it held in time.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}
