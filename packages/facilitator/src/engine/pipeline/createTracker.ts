// Pipeline, track: watches one network's transactions until every account-nonce slot resolves from the chain.

import type { Logger } from "pino";
import { type Address, type Hex, type TransactionReceipt, TransactionReceiptNotFoundError } from "viem";
import { isTransportError } from "../../chain/isTransportError.js";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { Clock } from "../../domain/clock.js";
import { errorSummary } from "../../domain/errorSummary.js";
import type { FinalOutcome, PaymentStore } from "../../domain/store.js";
import type { SettlementRecord, TxAttempt } from "../../domain/types.js";
import type { SignerLane } from "../../signers/createSignerLane.js";

/** Why a carried settlement did not settle in the transaction that resolved its slot. */
export type NotSettledContext =
  /** Our transaction was mined but did not transfer this item (reverted, or the router skipped it). */
  | { kind: "mined"; receipt: TransactionReceipt }
  /** Another transaction took our account nonce: none of our attempts can ever be mined (I2). */
  | { kind: "slot-taken" };

/**
 * What the engine decides for an item that was not settled: final, back to the queue (no transaction carrying
 * it can be mined any more), or not decidable yet (its nonce is used but the chain does not say by whom): it
 * stays `unknown` and is looked at again later, never guessed.
 */
export type NotSettledDecision = { final: FinalOutcome } | { requeue: true } | { undecided: string };

/** Hooks the tracker calls into the engine. */
export type TrackerHooks = {
  /** Per-record: did this mined receipt settle it? (Direct or batch decoding, cross-checked with token events.) */
  settledBy(receipt: TransactionReceipt, records: readonly SettlementRecord[]): boolean[];
  /** Decides the outcome of a record its transaction did not settle (reads the chain). */
  notSettled(record: SettlementRecord, context: NotSettledContext): Promise<NotSettledDecision>;
  /** Records were returned to the queue: dispatch them again. */
  requeued(records: readonly SettlementRecord[]): Promise<void>;
  /** Records changed state: wake their waiters. */
  changed(ids: readonly string[]): void;
  /** A transaction was mined (for metrics). */
  mined(receipt: TransactionReceipt, kind: TxAttempt["kind"], items: number): void;
};

/** Parameters of {@link createTracker}. */
export type CreateTrackerParameters = {
  network: NetworkRuntime;
  store: PaymentStore;
  lanes: ReadonlyMap<string, SignerLane>;
  clock: Clock;
  logger: Logger;
  hooks: TrackerHooks;
  /** How often pending transactions are checked (ms). */
  pollIntervalMs: number;
  /** While slots are tracked, how often the block number is read; a new block checks them at once (ms). */
  blockPollIntervalMs: number;
  /** A transaction still unmined after this long is re-sent or replaced with a higher fee (ms). */
  replaceAfterMs: number;
};

type Slot = {
  signer: Address;
  nonce: number;
  lastActionAt: number;
  misses: number;
  /** Set when the slot resolved but some of its settlements were undecided: when to look again. */
  retryAt?: number | undefined;
  /** Whether the mined transaction was reported to the metrics. */
  reported?: boolean | undefined;
};

/**
 * Watches the transactions of one network until each account-nonce slot resolves, and resolves it from
 * the chain only: a receipt (by any attempt's hash), else the account nonce, else `authorizationState`
 * (I2). Stuck transactions are re-sent (same bytes) or replaced (same nonce and calldata, higher fee).
 */
export type Tracker = {
  track(attempt: Pick<TxAttempt, "signer" | "nonce">): void;
  /** Stops tracking every slot of a signer (its lease went to another instance, which tracks them now). */
  forget(signer: Address): void;
  /** Whether a slot is tracked already. */
  has(attempt: Pick<TxAttempt, "signer" | "nonce">): boolean;
  /** Runs one check now (and again after the current one if one is running). */
  poke(): void;
  start(): void;
  stop(): void;
  /** Slots still unresolved. */
  size(): number;
  /** Whether the last check reached the RPC. */
  healthy(): boolean;
};

/**
 * Creates the receipt tracker of one network.
 *
 * @param parameters - See {@link CreateTrackerParameters}.
 * @returns A {@link Tracker}.
 */
export function createTracker(parameters: CreateTrackerParameters): Tracker {
  const { network, store, lanes, clock, hooks, pollIntervalMs, blockPollIntervalMs, replaceAfterMs } = parameters;
  const logger = parameters.logger.child({ network: network.caip2 });
  const slots = new Map<string, Slot>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let transportOk = true;
  let started = false;
  /** Stops the block watcher; set while slots are tracked. */
  let unwatch: (() => void) | undefined;

  /**
   * Receipts by block, not by timer: while something is in flight, each new block runs a check, so a mined
   * transaction is seen within `blockPollIntervalMs` of its block (and its signer is free for the next batch).
   */
  const watchBlocks = () => {
    if (unwatch || !started || slots.size === 0) return;
    unwatch = network.client.watchBlockNumber({
      pollingInterval: blockPollIntervalMs,
      emitOnBegin: false,
      onBlockNumber: () => void tick(),
      // A failed read is the periodic check's business (it marks the RPC unhealthy); the watcher keeps polling.
      onError: () => {},
    });
  };
  const unwatchBlocks = () => {
    unwatch?.();
    unwatch = undefined;
  };

  const slotKey = (signer: string, nonce: number) => `${signer.toLowerCase()}:${nonce}`;
  const laneOf = (signer: string) => lanes.get(signer.toLowerCase());

  const receiptOf = async (hash: Hex): Promise<TransactionReceipt | undefined> => {
    try {
      return await network.client.getTransactionReceipt({ hash });
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return undefined;
      throw error;
    }
  };

  const finish = (key: string, slot: Slot) => {
    slots.delete(key);
    laneOf(slot.signer)?.released();
  };

  /**
   * Applies the decisions for a resolved slot: final outcomes, requeues, and undecided settlements, which stay
   * `unknown` and keep the slot tracked (looked at again after `replaceAfterMs`). Returns whether the slot is done.
   */
  const apply = async (
    slot: Slot,
    attempts: TxAttempt[],
    outcomes: { id: string; outcome: FinalOutcome }[],
    requeue: SettlementRecord[],
    undecided: { record: SettlementRecord; message: string }[],
  ): Promise<boolean> => {
    await store.settle(outcomes);
    // While some settlement of the slot is undecided its attempts stay live, so that the slot is found again.
    if (requeue.length > 0) {
      await store.requeue(
        requeue.map((r) => r.id),
        undecided.length > 0 ? [] : attempts.map((a) => a.hash),
      );
    }
    for (const { record, message } of undecided) await store.markUnknown([record.id], message);
    if (undecided.length > 0) {
      slot.retryAt = clock.now() + replaceAfterMs;
      logger.warn(
        { signer: slot.signer, nonce: slot.nonce, settlements: undecided.map((u) => u.record.id) },
        "settlements left unknown: their nonce is used but the chain does not say by which transaction",
      );
    }
    return undecided.length === 0;
  };

  const resolveMined = async (key: string, slot: Slot, receipt: TransactionReceipt, attempts: TxAttempt[]) => {
    const records = (await store.settlementsForSlot(network.chainId, slot.signer, slot.nonce)).filter(
      (r) => r.state === "submitted" || r.state === "unknown",
    );
    const settled = hooks.settledBy(receipt, records);
    const outcomes: { id: string; outcome: FinalOutcome }[] = [];
    const requeue: SettlementRecord[] = [];
    const undecided: { record: SettlementRecord; message: string }[] = [];
    for (const [i, record] of records.entries()) {
      if (settled[i]) {
        outcomes.push({
          id: record.id,
          outcome: { state: "confirmed", txHash: receipt.transactionHash, blockNumber: receipt.blockNumber },
        });
        continue;
      }
      const decision = await hooks.notSettled(record, { kind: "mined", receipt });
      if ("final" in decision) outcomes.push({ id: record.id, outcome: decision.final });
      else if ("requeue" in decision) requeue.push(record);
      else undecided.push({ record, message: decision.undecided });
    }
    const done = await apply(slot, attempts, outcomes, requeue, undecided);
    if (!slot.reported) {
      slot.reported = true;
      hooks.mined(receipt, attempts[0]?.kind ?? "direct", records.length);
    }
    if (done) finish(key, slot);
    hooks.changed(records.map((r) => r.id));
    if (requeue.length > 0) {
      await hooks.requeued(await Promise.all(requeue.map(async (r) => (await store.getById(r.id)) ?? r)));
    }
  };

  const resolveTaken = async (key: string, slot: Slot, attempts: TxAttempt[]) => {
    const records = (await store.settlementsForSlot(network.chainId, slot.signer, slot.nonce)).filter(
      (r) => r.state === "submitted" || r.state === "unknown",
    );
    const outcomes: { id: string; outcome: FinalOutcome }[] = [];
    const requeue: SettlementRecord[] = [];
    const undecided: { record: SettlementRecord; message: string }[] = [];
    for (const record of records) {
      const decision = await hooks.notSettled(record, { kind: "slot-taken" });
      if ("final" in decision) outcomes.push({ id: record.id, outcome: decision.final });
      else if ("requeue" in decision) requeue.push(record);
      else undecided.push({ record, message: decision.undecided });
    }
    const done = await apply(slot, attempts, outcomes, requeue, undecided);
    if (!slot.reported) {
      slot.reported = true;
      logger.warn(
        { signer: slot.signer, nonce: slot.nonce },
        "account nonce taken by a transaction not in the journal",
      );
    }
    if (done) finish(key, slot);
    hooks.changed(records.map((r) => r.id));
    if (requeue.length > 0) {
      await hooks.requeued(await Promise.all(requeue.map(async (r) => (await store.getById(r.id)) ?? r)));
    }
  };

  /**
   * A slot whose nonce is not mined yet. Unknown broadcasts are re-sent (same bytes) every check; a
   * transaction still unmined after `replaceAfterMs`, or whose bytes the node refuses, is re-sent if the node
   * has lost it and replaced (same nonce and calldata, higher fee) otherwise, so that one refused or
   * underpriced transaction never blocks every later nonce of its signer (I4).
   */
  const checkPending = async (slot: Slot, attempts: TxAttempt[]) => {
    const latest = attempts.at(-1);
    const lane = laneOf(slot.signer);
    if (!latest || !lane) return;
    const records = await store.settlementsForSlot(network.chainId, slot.signer, slot.nonce);
    const unknown = records.filter((r) => r.state === "unknown");
    const now = clock.now();
    if (unknown.length > 0) {
      // Broadcast outcome unknown: re-send exactly the same bytes (always safe, I2).
      const result = await lane.rebroadcast(latest);
      if (result === "accepted") {
        await store.markSubmitted(unknown.map((r) => r.id));
        slot.lastActionAt = now;
        return;
      }
      // No answer: try again next check. Refused: fall through to the fee bump once it is due.
      if (result === "unknown") return;
    }
    if (now - slot.lastActionAt < replaceAfterMs) return;
    slot.lastActionAt = now;
    const known = await network.client.getTransaction({ hash: latest.hash }).catch((error: unknown) => {
      if (isTransportError(error)) throw error;
      return undefined;
    });
    if (!known && unknown.length === 0) {
      // Dropped from the pool: the same bytes first; only if the node refuses them, a replacement.
      const result = await lane.rebroadcast(latest);
      if (result === "accepted" || result === "unknown") return;
    }
    lane.replace(latest);
  };

  const checkSigner = async (signer: Address, entries: [string, Slot][]) => {
    const mined = await network.client.getTransactionCount({ address: signer, blockTag: "latest" });
    for (const [key, slot] of entries.sort((a, b) => a[1].nonce - b[1].nonce)) {
      const attempts = await store.attemptsForSlot(network.chainId, slot.signer, slot.nonce);
      if (attempts.length === 0) {
        // Every attempt was proven dead and its settlements requeued elsewhere.
        finish(key, slot);
        continue;
      }
      if (slot.nonce < mined) {
        if (slot.retryAt !== undefined && clock.now() < slot.retryAt) continue;
        const receipts = await Promise.all(attempts.map((a) => receiptOf(a.hash)));
        const receipt = receipts.find((r) => r !== undefined);
        if (receipt) {
          await resolveMined(key, slot, receipt, attempts);
          continue;
        }
        // The nonce is used but by none of our hashes. Ask twice before concluding (node indexes lag).
        slot.misses++;
        if (slot.misses >= 2) await resolveTaken(key, slot, attempts);
        continue;
      }
      await checkPending(slot, attempts);
    }
  };

  const tick = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const bySigner = new Map<string, [string, Slot][]>();
        for (const entry of slots) {
          const signer = entry[1].signer.toLowerCase();
          const list = bySigner.get(signer) ?? [];
          list.push(entry);
          bySigner.set(signer, list);
        }
        try {
          await Promise.all([...bySigner.values()].map((entries) => checkSigner(entries[0]![1].signer, entries)));
          transportOk = true;
        } catch (error) {
          if (isTransportError(error) || (error as { name?: string }).name === "RpcUnavailableError") {
            transportOk = false;
          } else {
            logger.error({ err: errorSummary(error) }, "receipt tracker error");
          }
        }
      } while (again);
    } finally {
      running = false;
      if (slots.size === 0) unwatchBlocks();
    }
  };

  return {
    track(attempt) {
      const key = slotKey(attempt.signer, attempt.nonce);
      if (!slots.has(key)) {
        slots.set(key, { signer: attempt.signer, nonce: attempt.nonce, lastActionAt: clock.now(), misses: 0 });
      }
      watchBlocks();
      setImmediate(() => void tick());
    },
    forget(signer) {
      for (const [key, slot] of slots) {
        if (slot.signer.toLowerCase() === signer.toLowerCase()) slots.delete(key);
      }
      if (slots.size === 0) unwatchBlocks();
    },
    has: (attempt) => slots.has(slotKey(attempt.signer, attempt.nonce)),
    poke: () => void tick(),
    start() {
      started = true;
      watchBlocks();
      if (!timer) {
        timer = setInterval(() => void tick(), pollIntervalMs);
        timer.unref();
      }
    },
    stop() {
      started = false;
      unwatchBlocks();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    size: () => slots.size,
    healthy: () => transportOk,
  };
}
