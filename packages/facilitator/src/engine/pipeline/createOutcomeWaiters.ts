// Pipeline, decide: bounded waits of `/settle` callers on a record's outcome, woken as the journal changes it (I6).

import type { Clock } from "../../domain/clock.js";
import type { PaymentStore } from "../../domain/store.js";
import type { SettlementRecord, SettleOutcome } from "../../domain/types.js";

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
  /** How often a waiter re-reads the journal when no wake-up can come (a follower), or `undefined`. */
  pollMs(): number | undefined;
};

/**
 * Creates the waiters of an engine.
 *
 * @param parameters - See {@link CreateOutcomeWaitersParameters}.
 * @returns The {@link OutcomeWaiters}.
 */
export function createOutcomeWaiters(parameters: CreateOutcomeWaitersParameters): OutcomeWaiters {
  const { store, clock, outcomeOf, pollMs } = parameters;
  const waiters = new Map<string, Set<() => void>>();

  return {
    changed(ids) {
      for (const id of ids) {
        const set = waiters.get(id);
        if (!set) continue;
        waiters.delete(id);
        for (const wake of set) wake();
      }
    },

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
          // A follower's journal rows are moved by the writer, another process: no wake-up comes, so it polls.
          const poll = pollMs();
          const wait = poll === undefined ? remaining : Math.min(remaining, poll);
          await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)))]);
        } finally {
          clearTimeout(timer);
          set.delete(wake);
          if (set.size === 0 && waiters.get(id) === set) waiters.delete(id);
        }
      }
    },
  };
}
