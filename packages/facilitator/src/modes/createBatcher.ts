import type { Logger } from "pino";
import type { PaymentStore } from "../domain/store.js";
import type { SettlementRecord } from "../domain/types.js";
import type { SignerLane, TxJob } from "../signers/createSignerLane.js";
import type { BatchSubmitter } from "./batchSubmitter.js";

/** Parameters of {@link createBatcher}. */
export type CreateBatcherParameters = {
  submitter: BatchSubmitter;
  store: PaymentStore;
  /** Flush when this many payments wait. */
  maxItems: number;
  /** Flush when the oldest waiting payment has waited this long (ms). */
  maxWaitMs: number;
  pickLane(chainId: number): SignerLane | undefined;
  /** Fails expired queued records and returns the rest. */
  dropExpired(records: SettlementRecord[]): SettlementRecord[];
  /** The router call would revert as a whole: decide each item on its own. */
  rejectItems(ids: readonly string[], error: unknown): Promise<void>;
  logger: Logger;
};

/**
 * Collects queued payments per chain and sends them through the batch settlement router every
 * `maxWaitMs` or `maxItems`, whichever comes first. Items are already `queued` in the journal, so a
 * crash before the flush loses nothing: start-up dispatches them again. Each caller waits on its own
 * settlement id; the engine decides each item from the receipt (I5).
 */
export type Batcher = {
  add(id: string, chainId: number): void;
  flushAll(): void;
  /** Payments waiting for a flush. */
  size(): number;
  stop(): void;
};

/**
 * Creates the batcher of the `batched` mode.
 *
 * @param parameters - See {@link CreateBatcherParameters}.
 * @returns A {@link Batcher}.
 */
export function createBatcher(parameters: CreateBatcherParameters): Batcher {
  const { submitter, store, maxItems, maxWaitMs, pickLane, dropExpired, rejectItems } = parameters;
  const buffers = new Map<number, string[]>();
  const timers = new Map<number, NodeJS.Timeout>();

  const job = (chainId: number, ids: string[]): TxJob => ({
    kind: "batch",
    items: ids.map((id, batchIndex) => ({ id, batchIndex })),
    async build() {
      const router = submitter.routerAddress(chainId);
      if (!router) throw new Error(`no batch settlement router on chain ${chainId}`);
      const records = ids.map((id) => store.getById(id)).filter((r): r is SettlementRecord => r !== undefined);
      const live = dropExpired(records);
      if (live.length === 0) return undefined;
      return {
        to: router,
        data: submitter.encode(live.map((r) => r.payment)),
        items: live.map((r, batchIndex) => ({ id: r.id, batchIndex })),
      };
    },
    rejected: (error, items) =>
      rejectItems(
        items.map((i) => i.id),
        error,
      ),
  });

  const flush = (chainId: number) => {
    const timer = timers.get(chainId);
    if (timer) clearTimeout(timer);
    timers.delete(chainId);
    const buffer = buffers.get(chainId) ?? [];
    while (buffer.length > 0) {
      const ids = buffer.splice(0, maxItems);
      const lane = pickLane(chainId);
      if (!lane) throw new Error(`no signer for chain ${chainId}`);
      lane.enqueue(job(chainId, ids));
    }
  };

  return {
    add(id, chainId) {
      const buffer = buffers.get(chainId) ?? [];
      buffer.push(id);
      buffers.set(chainId, buffer);
      if (buffer.length >= maxItems) flush(chainId);
      else if (!timers.has(chainId)) {
        const timer = setTimeout(() => flush(chainId), maxWaitMs);
        timer.unref();
        timers.set(chainId, timer);
      }
    },
    flushAll() {
      for (const chainId of buffers.keys()) flush(chainId);
    },
    size: () => [...buffers.values()].reduce((n, b) => n + b.length, 0),
    stop() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
