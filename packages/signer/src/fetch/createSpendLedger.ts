import type { Budget } from "./types.js";

/** One recorded payment. */
export type SpendEntry = {
  /** Unique id of the authorization (`<from>:<nonce>`); recording it twice has no effect. */
  id: string;
  /** What is being spent: `<CAIP-2 network>:<lower-case asset>`. */
  key: string;
  /** Amount in atomic units. */
  amount: bigint;
  /** When it was signed, in unix milliseconds. */
  at: number;
};

/** A budget that a reservation would exceed, and what was already spent in its window. */
export type BudgetExceeded = { budget: Budget; spent: bigint };

/**
 * Running totals of what a paying client has signed, per asset, for time-window budgets. Checking
 * and recording happen in one synchronous `reserve`, so concurrent requests cannot both slip under a
 * budget.
 */
export type SpendLedger = {
  /**
   * Records `entry` unless it would exceed one of `budgets` in its window ending at `entry.at`.
   * Re-recording an id already present changes nothing and succeeds.
   *
   * @returns `undefined` when recorded, or the first budget it would exceed.
   */
  reserve(entry: SpendEntry, budgets: readonly Budget[]): BudgetExceeded | undefined;
  /** Removes an entry that was reserved but never signed. */
  release(id: string): void;
  /** Total recorded for `key` in the window of `windowSeconds` ending at `at` (unix ms). */
  spent(key: string, windowSeconds: number, at: number): bigint;
};

export type CreateSpendLedgerReturnType = SpendLedger;

/**
 * An in-memory {@link SpendLedger}. Share one between several wrapped `fetch` functions to give them
 * a common budget. Entries older than the longest window checked for their asset are dropped. State is lost on restart:
 * implement `SpendLedger` over durable storage when budgets must survive one.
 *
 * @returns A new, empty ledger.
 *
 * @example
 * ```ts
 * import { createSpendLedger, wrapFetchWithPayment } from "@x402kit/signer/fetch";
 * const ledger = createSpendLedger();
 * const payA = wrapFetchWithPayment(fetch, { signer, policy, ledger });
 * const payB = wrapFetchWithPayment(fetch, { signer, policy, ledger }); // same budget
 * ```
 */
export function createSpendLedger(): CreateSpendLedgerReturnType {
  const entries = new Map<string, SpendEntry>();
  // Per key, the longest budget window any caller has checked against it: an entry of that key is
  // kept at least that long, so a wrapper without budgets sharing the ledger never prunes the
  // entries another wrapper's budgets still count.
  const longestWindowMs = new Map<string, number>();

  const prune = (key: string, now: number) => {
    const keep = longestWindowMs.get(key) ?? 0;
    for (const [id, entry] of entries) if (entry.key === key && entry.at <= now - keep) entries.delete(id);
  };
  const spent = (key: string, windowSeconds: number, at: number) => {
    let total = 0n;
    const from = at - windowSeconds * 1000;
    for (const entry of entries.values())
      if (entry.key === key && entry.at > from && entry.at <= at) total += entry.amount;
    return total;
  };

  return {
    reserve(entry, budgets) {
      if (entries.has(entry.id)) return undefined;
      for (const budget of budgets) {
        const already = spent(entry.key, budget.windowSeconds, entry.at);
        if (already + entry.amount > budget.amount) return { budget, spent: already };
      }
      for (const budget of budgets) {
        const windowMs = budget.windowSeconds * 1000;
        if (windowMs > (longestWindowMs.get(entry.key) ?? 0)) longestWindowMs.set(entry.key, windowMs);
      }
      prune(entry.key, entry.at);
      entries.set(entry.id, entry);
      return undefined;
    },
    release(id) {
      entries.delete(id);
    },
    spent,
  };
}
