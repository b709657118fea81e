import type { Logger } from "pino";
import type { PublicClient } from "viem";
import { isTransportError } from "../chain/isTransportError.js";
import type { PaymentStore } from "../domain/store.js";
import type { SettlementRecord } from "../domain/types.js";
import type { SignerLane, TxJob } from "../signers/createSignerLane.js";
import type { BatchSubmitter, RouterFailure } from "./batchSubmitter.js";

/** Parameters of {@link createBatcher}. */
export type CreateBatcherParameters = {
  submitter: BatchSubmitter;
  store: PaymentStore;
  /** Most payments in one batch transaction. */
  maxItems: number;
  /**
   * `0`: group commit, a batch goes as soon as a signer lane of its chain is free. `> 0`: a fixed window, the
   * batch goes when its oldest payment has waited this long (ms) or `maxItems` wait, whatever the lanes do.
   */
  maxWaitMs: number;
  pickLane(chainId: number): SignerLane | undefined;
  /**
   * No lane of the chain may be given work now (signer leases: none held, or the last one being handed over): the
   * batch's payments go back to the dispatch, which leaves them for an instance that holds a lease. Without it, a
   * batch with no lane is an error (every chain has lanes).
   */
  unsendable?(ids: readonly string[], chainId: number): void;
  /** Whether some signer lane of the chain has no job waiting or running and no transaction unconfirmed. */
  laneFree(chainId: number): boolean;
  /** The public client of a chain (for the dry run and the estimate). */
  clientOf(chainId: number): PublicClient;
  /** Fails expired queued records and returns the rest. */
  dropExpired(records: SettlementRecord[]): Promise<SettlementRecord[]>;
  /**
   * Decides the items a dry run says the router would skip, and returns the ids it took out of the batch
   * (decided, or sent another way). Reads the chain first and writes only when every read succeeded, so a
   * failed call leaves every item queued.
   */
  takeOut(
    chainId: number,
    items: readonly { record: SettlementRecord; failure: RouterFailure }[],
  ): Promise<Set<string>>;
  /** The router call of a one-item batch would revert: decide that item on its own (a bigger batch is split). */
  rejectItems(ids: readonly string[], error: unknown): Promise<void>;
  logger: Logger;
};

/**
 * Collects queued payments per chain and sends them through the batch settlement router.
 *
 * By default (`maxWaitMs` 0) it group-commits, the way a database commits its log: a payment that finds a
 * signer lane free goes at once, alone; payments that arrive while every lane has a transaction in flight
 * gather and go together as soon as one is free (confirmed), up to `maxItems` per transaction (a full batch
 * goes at once). With `maxWaitMs` > 0 it keeps a fixed window instead: a batch goes when its oldest payment
 * has waited that long or `maxItems` wait. Items are already `queued` in the journal, so a crash before the
 * flush loses nothing: start-up dispatches them again. Each caller waits on its own settlement id; the
 * engine decides each item from the receipt (I5).
 */
export type Batcher = {
  /** Queues payments of one chain for their batch. */
  add(ids: readonly string[], chainId: number): void;
  /** A signer lane of the chain became free: in group-commit mode, what waits goes now. */
  laneFree(chainId: number): void;
  /**
   * Sends payments of a batch that failed as a whole (mined reverted, or its call would revert) right away,
   * split in two batches, so that whatever broke the whole call is isolated instead of failing every item.
   */
  split(ids: readonly string[], chainId: number): void;
  flushAll(): void;
  /** Payments waiting for a flush. */
  size(): number;
  stop(): void;
};

/**
 * Creates the batcher of the `batched` mode.
 *
 * Right before a batch is signed, its call is dry-run (`eth_call`) together with `eth_estimateGas`, in
 * parallel. Items the router would skip are decided then (`takeOut`) and left out, so a batch never pays gas
 * for items that cannot settle and a batch of bad items sends nothing; when every item would settle, the
 * estimate is used as is. The receipt still decides every item that is sent: the dry run is advice, the
 * chain is the fact.
 *
 * @param parameters - See {@link CreateBatcherParameters}.
 * @returns A {@link Batcher}.
 */
export function createBatcher(parameters: CreateBatcherParameters): Batcher {
  const {
    submitter,
    store,
    maxItems,
    maxWaitMs,
    pickLane,
    laneFree,
    clientOf,
    dropExpired,
    takeOut,
    rejectItems,
    logger,
  } = parameters;
  const groupCommit = maxWaitMs === 0;
  const buffers = new Map<number, string[]>();
  const timers = new Map<number, NodeJS.Timeout>();

  const job = (chainId: number, initialIds: string[]): TxJob => {
    // Items taken out by a dry run leave this job for good, even if a later step of the same try fails.
    let ids = initialIds;
    return {
      kind: "batch",
      items: ids.map((id, batchIndex) => ({ id, batchIndex })),
      async build({ sender }) {
        const router = submitter.routerAddress(chainId);
        if (!router) throw new Error(`no batch settlement router on chain ${chainId}`);
        const client = clientOf(chainId);
        let live = await dropExpired(
          (await Promise.all(ids.map((id) => store.getById(id)))).filter((r): r is SettlementRecord => r !== undefined),
        );
        ids = live.map((r) => r.id);
        while (live.length > 0) {
          const data = submitter.encode(live.map((r) => r.payment));
          const [simulated, estimated] = await Promise.allSettled([
            submitter.simulate({ client, router, sender, data }),
            client.estimateGas({ account: sender, to: router, data }),
          ]);
          if (simulated.status === "rejected") throw simulated.reason;
          const failures = simulated.value;
          const skipped =
            failures && failures.length === live.length
              ? live.flatMap((record, i) => {
                  const failure = failures[i];
                  return failure ? [{ record, failure }] : [];
                })
              : [];
          if (skipped.length === 0) {
            if (estimated.status === "rejected" && isTransportError(estimated.reason)) throw estimated.reason;
            return {
              to: router,
              data,
              items: live.map((r, batchIndex) => ({ id: r.id, batchIndex })),
              // A refused estimate is left to the lane, which estimates again and reports the refusal.
              ...(estimated.status === "fulfilled" ? { gas: estimated.value } : {}),
            };
          }
          const taken = await takeOut(chainId, skipped);
          logger.info(
            { chainId, items: live.length, skipped: skipped.map((s) => s.failure.reason), takenOut: taken.size },
            "dry run: leaving out items the router would skip",
          );
          if (taken.size === 0) {
            // Nothing could be decided (the chain disagrees with the dry run): send as is, the receipt decides.
            return { to: router, data, items: live.map((r, batchIndex) => ({ id: r.id, batchIndex })) };
          }
          live = live.filter((r) => !taken.has(r.id));
          ids = live.map((r) => r.id);
        }
        return undefined;
      },
      rejected: async (error, items) => {
        const rejectedIds = items.map((i) => i.id);
        if (rejectedIds.length > 1) {
          // The call reverts as a whole (a malformed or too heavy batch, or one item that breaks the router):
          // that says nothing about any one item, so each half goes out as its own batch (I5).
          logger.info({ chainId, items: rejectedIds.length }, "the batch call would revert; splitting it");
          sendSplit(chainId, rejectedIds);
          return;
        }
        await rejectItems(rejectedIds, error);
      },
    };
  };

  const send = (chainId: number, ids: string[]) => {
    const lane = pickLane(chainId);
    if (lane) lane.enqueue(job(chainId, ids));
    else if (parameters.unsendable) parameters.unsendable(ids, chainId);
    else throw new Error(`no signer for chain ${chainId}`);
  };

  /** Sends `ids` now as two batches of (about) half each, or one batch when there is one item. */
  const sendSplit = (chainId: number, ids: readonly string[]) => {
    const middle = Math.ceil(ids.length / 2);
    for (const half of ids.length > 1 ? [ids.slice(0, middle), ids.slice(middle)] : [ids]) send(chainId, [...half]);
  };

  /** Sends every full batch waiting, and with `all` the rest too (one partial batch). */
  const flush = (chainId: number, all: boolean) => {
    const buffer = buffers.get(chainId);
    if (!buffer) return;
    while (buffer.length >= maxItems) send(chainId, buffer.splice(0, maxItems));
    if (all && buffer.length > 0) send(chainId, buffer.splice(0, buffer.length));
    if (buffer.length === 0) {
      const timer = timers.get(chainId);
      if (timer) clearTimeout(timer);
      timers.delete(chainId);
    }
  };

  return {
    add(ids, chainId) {
      if (ids.length === 0) return;
      const buffer = buffers.get(chainId) ?? [];
      buffer.push(...ids);
      buffers.set(chainId, buffer);
      if (groupCommit) {
        // A full batch cannot get fuller: it goes now (pipelined behind the lane's transaction in flight).
        flush(chainId, laneFree(chainId));
        return;
      }
      flush(chainId, false);
      if (buffer.length > 0 && !timers.has(chainId)) {
        const timer = setTimeout(() => flush(chainId, true), maxWaitMs);
        timer.unref();
        timers.set(chainId, timer);
      }
    },
    laneFree(chainId) {
      if (groupCommit) flush(chainId, true);
    },
    split: (ids, chainId) => sendSplit(chainId, ids),
    flushAll() {
      for (const chainId of buffers.keys()) flush(chainId, true);
    },
    size: () => [...buffers.values()].reduce((n, b) => n + b.length, 0),
    stop() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
