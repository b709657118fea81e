import { Agent, request } from "node:http";

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

// node:http with keep-alive costs the load generator about half the CPU of fetch per request, which
// leaves more of a shared machine to the facilitator under test.
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

/**
 * POSTs JSON over HTTP/1.1 (keep-alive) and measures the round trip. Never throws: failures come back
 * as data.
 *
 * @param url - Full `http://` URL.
 * @param body - Body, serialised with `JSON.stringify`.
 * @param timeoutMs - Longest wait for the whole answer.
 */
export function postJson(url: string, body: unknown, timeoutMs: number): Promise<Exchange> {
  const started = performance.now();
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    let settled = false;
    const done = (exchange: Omit<Exchange, "ms">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...exchange, ms: performance.now() - started });
    };
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", () => done({ status: res.statusCode ?? 0, body: undefined, error: "connection" }));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
            done({ status, body: parsed, error: undefined });
          } catch {
            done({ status, body: undefined, error: "invalid_json" });
          }
        });
      },
    );
    const timer = setTimeout(() => {
      done({ status: 0, body: undefined, error: "timeout" });
      req.destroy();
    }, timeoutMs);
    req.on("error", () => done({ status: 0, body: undefined, error: "connection" }));
    req.end(payload);
  });
}
