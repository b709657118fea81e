import type { BatchSettlementStore, BatchSettlementStoreHost } from "../domain/batchSettlementStore.js";
import { FacilitatorError } from "../domain/errors.js";
import type { PaymentStore, SignerLeases } from "../domain/store.js";

/** The leases of a store once it is open (a store without them cannot share signers). */
const leasesOf = async (opening: Promise<PaymentStore>): Promise<SignerLeases> => {
  const leases = (await opening).leases;
  if (!leases) throw new FacilitatorError("This journal has no signer leases");
  return leases;
};

/**
 * A {@link PaymentStore} that is still opening (a Postgres pool being migrated): every call waits for it. This lets
 * `createFacilitator` stay synchronous while `start()` (the first to call the journal) reports a failed open.
 *
 * @param opening - The store being opened.
 * @returns A store that forwards each call once `opening` resolved, and rejects them with its error if it failed.
 */
export function deferStore(
  opening: Promise<PaymentStore & BatchSettlementStoreHost>,
): PaymentStore & BatchSettlementStoreHost {
  let ready: PaymentStore | undefined;
  // The failure is reported to the callers (start-up first); an unobserved rejection must not crash the process.
  opening.then(
    (store) => {
      ready = store;
    },
    () => {},
  );
  const call =
    <K extends Exclude<keyof PaymentStore, "commits" | "close" | "lockWriter" | "leases">>(method: K) =>
    async (...args: Parameters<PaymentStore[K]>): Promise<Awaited<ReturnType<PaymentStore[K]>>> => {
      const store = await opening;
      return (store[method] as (...a: Parameters<PaymentStore[K]>) => Promise<Awaited<ReturnType<PaymentStore[K]>>>)(
        ...args,
      );
    };
  const intents =
    <K extends keyof BatchSettlementStore>(method: K) =>
    async (...args: Parameters<BatchSettlementStore[K]>): Promise<Awaited<ReturnType<BatchSettlementStore[K]>>> => {
      const store = (await opening).batchSettlement;
      return (
        store[method] as (
          ...a: Parameters<BatchSettlementStore[K]>
        ) => Promise<Awaited<ReturnType<BatchSettlementStore[K]>>>
      )(...args);
    };
  return {
    batchSettlement: {
      getIntent: intents("getIntent"),
      insertIntent: intents("insertIntent"),
      recordIntentTransaction: intents("recordIntentTransaction"),
      recordIntentsTransaction: intents("recordIntentsTransaction"),
      finishIntent: intents("finishIntent"),
      dropIntent: intents("dropIntent"),
      dropRefusedIntent: intents("dropRefusedIntent"),
      listSubmittedIntents: intents("listSubmittedIntents"),
    },
    getByKey: call("getByKey"),
    getById: call("getById"),
    statesOf: call("statesOf"),
    insertSettlement: call("insertSettlement"),
    insertSettlements: call("insertSettlements"),
    markQueued: call("markQueued"),
    recordSubmission: call("recordSubmission"),
    recordReplacement: call("recordReplacement"),
    abandonReplacement: call("abandonReplacement"),
    markSubmitted: call("markSubmitted"),
    markUnknown: call("markUnknown"),
    requeue: call("requeue"),
    settle: call("settle"),
    attemptsForSlot: call("attemptsForSlot"),
    settlementsForSlot: call("settlementsForSlot"),
    listByState: call("listByState"),
    highestNonce: call("highestNonce"),
    countByState: call("countByState"),
    commits: () => ready?.commits() ?? 0,
    leases: {
      acquire: async (signer, holder, ttlMs) => (await leasesOf(opening)).acquire(signer, holder, ttlMs),
      renew: async (signer, ttlMs) => (await leasesOf(opening)).renew(signer, ttlMs),
      release: async (signer) => (await leasesOf(opening)).release(signer),
      list: async () => (await leasesOf(opening)).list(),
      claimUnowned: async (chainId, limit) => (await leasesOf(opening)).claimUnowned(chainId, limit),
      held: () => ready?.leases?.held() ?? [],
      heartbeat: async (holder, signers, ttlMs) => (await leasesOf(opening)).heartbeat(holder, signers, ttlMs),
      leave: async (holder, signers) => (await leasesOf(opening)).leave(holder, signers),
      disown: async (ids) => (await leasesOf(opening)).disown(ids),
    },
    async lockWriter(options) {
      const store = await opening;
      await store.lockWriter?.(options);
    },
    async close() {
      const store = await opening.catch(() => undefined);
      await store?.close();
    },
  };
}
