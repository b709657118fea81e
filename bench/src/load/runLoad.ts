import { type Exchange, postJson } from "../http.js";
import { sleep } from "../processes.js";
import type { Payment } from "./signPayments.js";

/** What happened to one payment, as its payer saw it. */
export type PaymentOutcome = {
  payment: Payment;
  verify: Exchange | undefined;
  /** The last `/settle` exchange (after any `settlement_pending` retries). */
  settle: Exchange | undefined;
  /** From the first `/settle` request to the final answer. */
  settleMs: number | undefined;
  /** `/settle` re-sent because the answer was `settlement_pending`. */
  pendingRetries: number;
  /** The run's deadline passed before this payment was attempted. */
  skipped: boolean;
};

/** Options of {@link runLoad}. */
export type RunLoadOptions = {
  /** The facilitator's base URL. */
  url: string;
  /** Several instances of one facilitator: payer `i` uses `urls[i % urls.length]` (instead of `url`). */
  urls?: readonly string[] | undefined;
  /** Longest wait for one HTTP answer. */
  requestTimeoutMs: number;
  /** No payment starts after this many ms; a pending settlement stops being polled then too. */
  runTimeoutMs: number;
  /** Pause before re-sending a `/settle` that answered `settlement_pending`. */
  pendingRetryMs?: number;
};

/** The outcome of a whole run. */
export type LoadRun = { outcomes: PaymentOutcome[]; durationMs: number };

/**
 * Closed-loop load: one concurrent worker per payer, each sending its payments one after another,
 * `POST /verify` then (if valid) `POST /settle`. A `settlement_pending` answer is followed up by
 * re-sending the same `/settle` (the official v2 resource server does this once; we keep going until
 * the deadline), so that the final answer is what counts.
 *
 * @param perPayer - The payments of each payer, in order.
 * @param options - {@link RunLoadOptions}
 */
export async function runLoad(perPayer: readonly (readonly Payment[])[], options: RunLoadOptions): Promise<LoadRun> {
  const started = performance.now();
  const deadline = started + options.runTimeoutMs;
  const retryMs = options.pendingRetryMs ?? 1_000;
  const outcomes: PaymentOutcome[] = [];
  let lastAnswer = started;

  await Promise.all(
    perPayer.map(async (payments, payerIndex) => {
      // Several facilitator instances: each payer talks to one of them, round-robin.
      const url = options.urls?.[payerIndex % options.urls.length] ?? options.url;
      for (const payment of payments) {
        const outcome: PaymentOutcome = {
          payment,
          verify: undefined,
          settle: undefined,
          settleMs: undefined,
          pendingRetries: 0,
          skipped: false,
        };
        outcomes.push(outcome);
        if (performance.now() >= deadline) {
          outcome.skipped = true;
          continue;
        }
        outcome.verify = await postJson(`${url}/verify`, payment.body, options.requestTimeoutMs);
        lastAnswer = performance.now();
        if (outcome.verify.body?.isValid !== true) continue;
        const settleStarted = performance.now();
        let settle = await postJson(`${url}/settle`, payment.body, options.requestTimeoutMs);
        while (settle.body?.errorReason === "settlement_pending" && performance.now() + retryMs < deadline) {
          await sleep(retryMs);
          outcome.pendingRetries++;
          settle = await postJson(`${url}/settle`, payment.body, options.requestTimeoutMs);
        }
        outcome.settle = settle;
        lastAnswer = performance.now();
        outcome.settleMs = lastAnswer - settleStarted;
      }
    }),
  );
  return { outcomes, durationMs: lastAnswer - started };
}
