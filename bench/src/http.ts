/** One JSON POST as the client saw it. */
export type Exchange = {
  /** HTTP status, or 0 when no answer came (timeout, connection error). */
  status: number;
  /** The parsed JSON body, when there was one. */
  body: Record<string, unknown> | undefined;
  /** `timeout`, `connection` or `invalid_json` when the exchange did not produce a JSON answer. */
  error: string | undefined;
  ms: number;
};

/**
 * POSTs JSON and measures the round trip. Never throws: failures come back as data.
 *
 * @param url - Full URL.
 * @param body - Body, serialised with `JSON.stringify`.
 * @param timeoutMs - Longest wait for the whole answer.
 */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<Exchange> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    try {
      return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, error: undefined, ms };
    } catch {
      return { status: res.status, body: undefined, error: "invalid_json", ms };
    }
  } catch (error) {
    const name = (error as { name?: string }).name;
    const timedOut = name === "TimeoutError" || name === "AbortError";
    return { status: 0, body: undefined, error: timedOut ? "timeout" : "connection", ms: performance.now() - started };
  }
}
