// Pipeline, decide: bounded waits of `/settle` callers on a record's outcome, woken as the journal changes it (I6).

import type { Clock } from "../../domain/clock.js";
import type { PaymentStore } from "../../domain/store.js";
import type { SettlementRecord, SettlementState, SettleOutcome } from "../../domain/types.js";

/** The callers waiting on settlements. */
export type OutcomeWaiters = {
  /** Records changed state: wake their waiters. */
  changed(ids: readonly string[]): void;
  /** The outcome of `id` once final, or as it stands (pending) when `timeoutMs` runs out. */
  waitForOutcome(id: string, timeoutMs: number): Promise<SettleOutcome>;
};

/** Parameters of {@link createOutcomeWaiters}. */
export type CreateOutcomeWaitersParameters = {
  store: PaymentStore;
  clock: Clock;
  outcomeOf(record: SettlementRecord): SettleOutcome;
  /**
   * How often the journal is polled for the waited settlements when another process may move them (a follower, or
   * under signer leases), or `undefined` when every change comes through {@link OutcomeWaiters.changed}.
   */
  pollMs(): number | undefined;
};

/**
 * Creates the waiters of an engine. When the journal may be moved by another process, one poller reads the states of
 * every waited settlement in one query per round (`statesOf`) and wakes those whose state moved, which then re-read
 * their record; a thousand callers waiting cost one query per round, not a thousand.
 *
 * @param parameters - See {@link CreateOutcomeWaitersParameters}.
 * @returns The {@link OutcomeWaiters}.
 */
export function createOutcomeWaiters(parameters: CreateOutcomeWaitersParameters): OutcomeWaiters {
  const { store, clock, outcomeOf, pollMs } = parameters;
  const waiters = new Map<string, Set<() => void>>();
  /** The state each polled settlement had when its waiters last read it: the poller wakes them once it moves. */
  const seen = new Map<string, SettlementState>();
  let poller: NodeJS.Timeout | undefined;

  const wakeAll = (ids: Iterable<string>) => {
    for (const id of ids) {
      const set = waiters.get(id);
      if (!set) continue;
      waiters.delete(id);
      for (const resolve of set) resolve();
    }
  };

  const pollOnce = async (): Promise<void> => {
    const ids = [...seen.keys()];
    if (ids.length === 0) return;
    try {
      const states = await store.statesOf(ids);
      wakeAll(ids.filter((id) => states.get(id) !== seen.get(id)));
    } catch {
      // The journal did not answer: the next round reads again, and every waiter keeps its own deadline.
    }
  };
  const schedule = () => {
    const poll = pollMs();
    if (poller !== undefined || seen.size === 0 || poll === undefined) return;
    poller = setTimeout(() => {
      void pollOnce().finally(() => {
        poller = undefined;
        schedule();
      });
    }, poll);
  };

  return {
    changed: wakeAll,

    async waitForOutcome(id, timeoutMs) {
      const deadline = clock.now() + timeoutMs;
      for (;;) {
        // Listen before reading: a change that commits while the read is in flight still wakes this caller (the
        // journal is asynchronous, so the read and the wake-up are no longer one turn of the event loop).
        let wake: () => void = () => {};
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        const set = waiters.get(id) ?? new Set();
        set.add(wake);
        waiters.set(id, set);
        let timer: NodeJS.Timeout | undefined;
        try {
          const record = await store.getById(id);
          if (!record) throw new Error(`settlement ${id} vanished from the journal`);
          const outcome = outcomeOf(record);
          const remaining = deadline - clock.now();
          if (outcome.status !== "pending" || remaining <= 0) return outcome;
          // Rows another process moves send no wake-up here: the shared poller watches this one's state.
          if (pollMs() !== undefined) {
            seen.set(id, record.state);
            schedule();
          }
          await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, remaining)))]);
        } finally {
          clearTimeout(timer);
          set.delete(wake);
          if (set.size === 0 && waiters.get(id) === set) waiters.delete(id);
          if (!waiters.has(id)) seen.delete(id);
        }
      }
    },
  };
}
