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
  const slot = (chainId: number, signer: Address, nonce: number) =>
    enabled() ? store.settlementsForSlot(chainId, signer, nonce).map((record) => record.id) : [];

  return {
    getByKey: (key) => store.getByKey(key),
    getById: (id) => store.getById(id),
    insertSettlement(input) {
      const result = store.insertSettlement(input);
      if (result.created) touched([result.record.id]);
      return result;
    },
    insertSettlements(inputs) {
      const results = store.insertSettlements(inputs);
      touched(results.filter((result) => result.created).map((result) => result.record.id));
      return results;
    },
    markQueued(ids) {
      store.markQueued(ids);
      touched(ids);
    },
    recordSubmission(submission) {
      store.recordSubmission(submission);
      touched(submission.items.map((item) => item.id));
    },
    recordReplacement(attempt) {
      store.recordReplacement(attempt);
      touched(slot(attempt.chainId, attempt.signer, attempt.nonce));
    },
    abandonReplacement(replacement, previous) {
      store.abandonReplacement(replacement, previous);
      touched(slot(previous.chainId, previous.signer, previous.nonce));
    },
    markSubmitted(ids) {
      store.markSubmitted(ids);
      touched(ids);
    },
    markUnknown(ids, message) {
      store.markUnknown(ids, message);
      touched(ids);
    },
    requeue(ids, deadAttempts) {
      store.requeue(ids, deadAttempts);
      touched(ids);
    },
    settle(outcomes) {
      store.settle(outcomes);
      touched(outcomes.map((outcome) => outcome.id));
    },
    attemptsForSlot: (chainId, signer, nonce) => store.attemptsForSlot(chainId, signer, nonce),
    settlementsForSlot: (chainId, signer, nonce) => store.settlementsForSlot(chainId, signer, nonce),
    listByState: (states, chainId) => store.listByState(states, chainId),
    highestNonce: (chainId, signer) => store.highestNonce(chainId, signer),
    countByState: () => store.countByState(),
    commits: () => store.commits(),
    close: () => store.close(),
  };
}
