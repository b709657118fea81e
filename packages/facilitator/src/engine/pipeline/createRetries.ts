// Pipeline, dispatch: the retry book of queued settlements: how often each was tried, which way it goes next, when.

import type { Logger } from "pino";
import { errorSummary } from "../../domain/errorSummary.js";
import type { PaymentStore } from "../../domain/store.js";
import type { SettlementRecord } from "../../domain/types.js";

/** Which way a settlement's next dispatch goes: a batch split in two, or alone as a direct transfer. */
export type RetryWay = "split" | "direct";

/** The retries of an engine's settlements. */
export type Retries = {
  /** How many times a settlement went back to the queue. */
  count(id: string): number;
  /** Counts one more return to the queue (without scheduling anything). */
  counted(id: string): void;
  /** The next dispatch of `id` goes `way`. */
  sendAs(id: string, way: RetryWay): void;
  /** The way set for the next dispatch of `id`, forgotten as it is read. */
  takeWay(id: string): RetryWay | undefined;
  /**
   * Dispatches queued settlements again after a pause that grows with each retry (from `pollIntervalMs`, at most
   * 30 s); an expired one fails truthfully when its turn comes (`dropExpired`).
   */
  later(ids: readonly string[]): void;
  /** Cancels every scheduled retry. */
  stop(): void;
};

/** Parameters of {@link createRetries}. */
export type CreateRetriesParameters = {
  store: PaymentStore;
  logger: Logger;
  pollIntervalMs: number;
  dispatch(records: readonly SettlementRecord[]): Promise<void>;
};

/**
 * Creates the retry book of an engine.
 *
 * @param parameters - See {@link CreateRetriesParameters}.
 * @returns The {@link Retries}.
 */
export function createRetries(parameters: CreateRetriesParameters): Retries {
  const { store, logger, pollIntervalMs, dispatch } = parameters;
  const requeues = new Map<string, number>();
  /** Ids whose next dispatch goes another way: a batch split in two, or alone as a direct transfer. */
  const retryAs = new Map<string, RetryWay>();
  const retryTimers = new Set<NodeJS.Timeout>();

  return {
    count: (id) => requeues.get(id) ?? 0,
    counted: (id) => void requeues.set(id, (requeues.get(id) ?? 0) + 1),
    sendAs: (id, way) => void retryAs.set(id, way),
    takeWay(id) {
      const way = retryAs.get(id);
      retryAs.delete(id);
      return way;
    },
    later(ids) {
      for (const id of ids) {
        const retries = requeues.get(id) ?? 0;
        requeues.set(id, retries + 1);
        const timer = setTimeout(
          () => {
            retryTimers.delete(timer);
            void (async () => {
              const record = await store.getById(id);
              if (record?.state === "queued") await dispatch([record]);
            })().catch((error: unknown) => {
              logger.error({ settlement: id, err: errorSummary(error) }, "could not dispatch a settlement again");
            });
          },
          Math.min(pollIntervalMs * 2 ** retries, 30_000),
        );
        timer.unref();
        retryTimers.add(timer);
      }
    },
    stop() {
      for (const t of retryTimers) clearTimeout(t);
      retryTimers.clear();
    },
  };
}
