// Pipeline, admit: idempotent admission of a parsed payment into the journal (I3), single-flight per payload.

import { randomUUID } from "node:crypto";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { QueueFullError, ShuttingDownError } from "../../domain/errors.js";
import type { PaymentStore } from "../../domain/store.js";
import type { ExactPayment, SettlementRecord, SettleOutcome } from "../../domain/types.js";
import { createAdmissionGroup } from "./createAdmissionGroup.js";
import type { SettlementScheme } from "./settlementScheme.js";

/** Admitted into the journal, or answered without it (invalid, or settled by someone else). */
export type Admission = { record: SettlementRecord } | { answer: SettleOutcome };

/** The admit stage of an engine. */
export type Admitter = {
  /**
   * The journal record a payment settles under (admitted now, or earlier under its key), or the answer when
   * it is not journaled: invalid, settled by someone else, or its key taken by a different payload.
   */
  admit(payment: ExactPayment, network: NetworkRuntime): Promise<Admission>;
};

/** Parameters of {@link createAdmitter}. */
export type CreateAdmitterParameters = {
  store: PaymentStore;
  scheme: SettlementScheme;
  /** Whether this engine signs (`queued`) or only journals for the writer (`received`). */
  writing(): boolean;
  draining(): boolean;
  hasCapacity(chainId: number): boolean;
  /** Hands the records of one commit on to the dispatch stage. */
  dispatch(records: readonly SettlementRecord[]): Promise<void>;
};

/**
 * Creates the admit stage of an engine.
 *
 * @param parameters - See {@link CreateAdmitterParameters}.
 * @returns An {@link Admitter}.
 */
export function createAdmitter(parameters: CreateAdmitterParameters): Admitter {
  const { store, scheme, writing, draining, hasCapacity, dispatch } = parameters;
  const admitting = new Map<string, Promise<Admission>>();

  // A follower only journals: the writer picks its received rows up.
  const admissions = createAdmissionGroup(store, (records) => (writing() ? dispatch(records) : Promise.resolve()));

  const admitNew = async (payment: ExactPayment, network: NetworkRuntime): Promise<Admission> => {
    if (!hasCapacity(network.chainId)) {
      throw new QueueFullError({ network: network.caip2, retryAfterSeconds: 2 });
    }
    const answer = await scheme.check(payment, network);
    if (answer) return { answer };
    // Committed with the other settlements of this turn, then dispatched with them: inserted as queued. A follower
    // inserts it received, for the writer to pick up.
    const { record } = await admissions.insert({
      id: randomUUID(),
      key: scheme.key(payment),
      fingerprint: scheme.fingerprint(payment),
      payment,
      state: writing() ? "queued" : "received",
    });
    return { record };
  };

  return {
    async admit(payment, network) {
      const key = scheme.key(payment);
      const fingerprint = scheme.fingerprint(payment);
      let record = await store.getByKey(key);
      if (!record) {
        if (draining()) throw new ShuttingDownError();
        const flightKey = `${key.chainId}:${key.asset}:${key.from}:${key.nonce}:${fingerprint}`;
        let admission = admitting.get(flightKey);
        if (!admission) {
          admission = admitNew(payment, network).finally(() => admitting.delete(flightKey));
          admitting.set(flightKey, admission);
        }
        const admitted = await admission;
        if ("answer" in admitted) return admitted;
        record = admitted.record;
      }
      if (record.fingerprint !== fingerprint) return { answer: scheme.conflict(payment, record) };
      return { record };
    },
  };
}
