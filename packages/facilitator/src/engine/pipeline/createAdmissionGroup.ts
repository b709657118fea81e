// Pipeline, persist: group commit of admitted settlements into the journal, before anything can be sent.

import type { NewSettlement, PaymentStore } from "../../domain/store.js";
import type { SettlementRecord } from "../../domain/types.js";

/** What an insert into the journal gave: the record holding the key, and whether this call created it. */
export type Admitted = { record: SettlementRecord; created: boolean };

/**
 * Group commit for the journal's inserts: settlements admitted in the same turn of the event loop (for example
 * all the `/settle` checks answered by one JSON-RPC batch) are inserted in one transaction, one commit and one
 * fsync, then handed on together. Each caller still gets its own answer, only after the commit (I1: a payment is
 * persisted before anything can be sent for it).
 */
export type AdmissionGroup = {
  /** Inserts `input` with the others of this turn; resolves once they are committed. */
  insert(input: NewSettlement): Promise<Admitted>;
};

/**
 * Creates the admission group of an engine.
 *
 * @param store - The journal.
 * @param created - Called once per commit with the records it created (to dispatch them together).
 * @returns An {@link AdmissionGroup}.
 */
export function createAdmissionGroup(
  store: PaymentStore,
  created: (records: readonly SettlementRecord[]) => Promise<void>,
): AdmissionGroup {
  type Waiting = { input: NewSettlement; resolve(value: Admitted): void; reject(error: unknown): void };
  let waiting: Waiting[] = [];
  /**
   * Groups commit one after another, in the order they formed, and each is handed on (dispatched) before the next
   * commits: payments keep their arrival order into lanes and batches on any journal (on Postgres two transactions
   * in flight could commit in either order). A group forming while one commits simply grows.
   */
  let committing: Promise<void> = Promise.resolve();

  const commit = async () => {
    const group = waiting;
    waiting = [];
    let results: Admitted[] | undefined;
    try {
      results = await store.insertSettlements(group.map((w) => w.input));
    } catch {
      // The transaction rolled back as a whole: each insert again on its own, so that one bad row fails alone.
      results = undefined;
    }
    const outcomes: ({ ok: true; value: Admitted } | { ok: false; error: unknown })[] = [];
    for (const [i, w] of group.entries()) {
      if (results) {
        outcomes.push({ ok: true, value: results[i] as Admitted });
        continue;
      }
      try {
        outcomes.push({ ok: true, value: await store.insertSettlement(w.input) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    const fresh = outcomes.flatMap((o) => (o.ok && o.value.created ? [o.value.record] : []));
    let handOff: { error: unknown } | undefined;
    try {
      if (fresh.length > 0) await created(fresh);
    } catch (error) {
      // Persisted but not handed on (no signer for the chain): each caller hears the error; the journal keeps them.
      handOff = { error };
    }
    for (const [i, w] of group.entries()) {
      const o = outcomes[i];
      if (handOff) w.reject(handOff.error);
      else if (o?.ok) w.resolve(o.value);
      else w.reject(o?.error);
    }
  };

  return {
    insert(input) {
      return new Promise<Admitted>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (waiting.length === 1) {
          committing = committing
            .then(() => new Promise<void>((next) => setImmediate(next)))
            .then(commit)
            // commit() answers every caller itself; nothing it throws may stop the groups after it.
            .catch(() => {});
        }
      });
    },
  };
}
