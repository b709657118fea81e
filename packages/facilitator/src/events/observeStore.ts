import type { Address } from "viem";
import type { PaymentStore } from "../domain/store.js";

/**
 * Wraps a journal so that every state change is reported after it committed: `onChange` gets the ids of the
 * settlements a write touched. Reads and the writes themselves pass through unchanged; the report is
 * deferred to the next turn of the event loop (`setImmediate`) and batched, so observing adds no work to the
 * settle path, and a fault in `onChange` cannot fail a write.
 *
 * @param store - The journal the engine uses.
 * @param onChange - Called with the ids written since the last report (deduplicated).
 * @param enabled - Whether anyone observes; when false nothing is collected.
 * @returns A {@link PaymentStore} with the same behaviour.
 */
export function observeStore(
  store: PaymentStore,
  onChange: (ids: readonly string[]) => void,
  enabled: () => boolean,
): PaymentStore {
  let pending: Set<string> | undefined;
  const touched = (ids: Iterable<string>) => {
    if (!enabled()) return;
    if (!pending) {
      pending = new Set();
      setImmediate(() => {
        const ids = [...(pending ?? [])];
        pending = undefined;
        if (ids.length > 0) onChange(ids);
      });
    }
    for (const id of ids) pending.add(id);
  };
  const slot = async (chainId: number, signer: Address, nonce: number) =>
    enabled() ? (await store.settlementsForSlot(chainId, signer, nonce)).map((record) => record.id) : [];

  return {
    getByKey: (key) => store.getByKey(key),
    getById: (id) => store.getById(id),
    statesOf: (ids) => store.statesOf(ids),
    async insertSettlement(input) {
      const result = await store.insertSettlement(input);
      if (result.created) touched([result.record.id]);
      return result;
    },
    async insertSettlements(inputs) {
      const results = await store.insertSettlements(inputs);
      touched(results.filter((result) => result.created).map((result) => result.record.id));
      return results;
    },
    async markQueued(ids) {
      await store.markQueued(ids);
      touched(ids);
    },
    async recordSubmission(submission) {
      await store.recordSubmission(submission);
      touched(submission.items.map((item) => item.id));
    },
    async recordReplacement(attempt) {
      await store.recordReplacement(attempt);
      // Not awaited: observing never delays the writer (a failed read only loses the report).
      slot(attempt.chainId, attempt.signer, attempt.nonce).then(touched, () => {});
    },
    async abandonReplacement(replacement, previous) {
      await store.abandonReplacement(replacement, previous);
      slot(previous.chainId, previous.signer, previous.nonce).then(touched, () => {});
    },
    async markSubmitted(ids) {
      await store.markSubmitted(ids);
      touched(ids);
    },
    async markUnknown(ids, message) {
      await store.markUnknown(ids, message);
      touched(ids);
    },
    async requeue(ids, deadAttempts) {
      await store.requeue(ids, deadAttempts);
      touched(ids);
    },
    async settle(outcomes) {
      await store.settle(outcomes);
      touched(outcomes.map((outcome) => outcome.id));
    },
    attemptsForSlot: (chainId, signer, nonce) => store.attemptsForSlot(chainId, signer, nonce),
    settlementsForSlot: (chainId, signer, nonce) => store.settlementsForSlot(chainId, signer, nonce),
    listByState: (states, chainId) => store.listByState(states, chainId),
    highestNonce: (chainId, signer) => store.highestNonce(chainId, signer),
    countByState: () => store.countByState(),
    commits: () => store.commits(),
    close: () => store.close(),
    ...(store.lockWriter ? { lockWriter: store.lockWriter.bind(store) } : {}),
    ...(store.leases ? { leases: store.leases } : {}),
  };
}
