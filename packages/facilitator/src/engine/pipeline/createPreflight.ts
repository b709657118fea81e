// Pipeline, dispatch: decides the queued records that must not be signed: expired, skipped by a batch's dry run,
// or whose estimate reverted.

import type { Logger } from "pino";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { Clock } from "../../domain/clock.js";
import { errorSummary } from "../../domain/errorSummary.js";
import { Reason } from "../../domain/reasons.js";
import type { FinalOutcome, PaymentStore } from "../../domain/store.js";
import type { SettlementRecord } from "../../domain/types.js";
import type { CreateBatcherParameters } from "../../modes/createBatcher.js";
import type { Retries } from "./createRetries.js";
import type { SettlementScheme } from "./settlementScheme.js";

/** The checks a queued record passes before it is signed (the batcher calls them too). */
export type Preflight = Pick<CreateBatcherParameters, "dropExpired" | "takeOut" | "rejectItems">;

/** Parameters of {@link createPreflight}. */
export type CreatePreflightParameters = {
  store: PaymentStore;
  clock: Clock;
  scheme: SettlementScheme;
  byChain: ReadonlyMap<number, NetworkRuntime>;
  networkOf(record: SettlementRecord): NetworkRuntime;
  /** Records changed state: wake their waiters. */
  changed(ids: readonly string[]): void;
  retries: Retries;
  /** Sends one queued settlement on its own (a direct transfer on a lane of its chain). */
  sendAlone(chainId: number, id: string): void;
  logger: Logger;
};

/**
 * Creates the preflight of an engine's dispatch.
 *
 * @param parameters - See {@link CreatePreflightParameters}.
 * @returns The {@link Preflight}.
 */
export function createPreflight(parameters: CreatePreflightParameters): Preflight {
  const { store, clock, scheme, byChain, networkOf, changed, retries, sendAlone, logger } = parameters;
  const nowSeconds = () => BigInt(Math.floor(clock.now() / 1000));

  return {
    /** Fails unsent records whose authorization expired; returns the ones still worth sending. */
    async dropExpired(records) {
      const live: SettlementRecord[] = [];
      const expired: { id: string; outcome: FinalOutcome }[] = [];
      for (const r of records) {
        if (r.state !== "queued") continue;
        if (r.validBefore <= nowSeconds() + 1n) {
          expired.push({
            id: r.id,
            outcome: {
              state: "failed",
              reason: Reason.validBefore,
              message: "the authorization expired before it could be sent",
              txHash: undefined,
            },
          });
        } else live.push(r);
      }
      if (expired.length > 0) {
        await store.settle(expired);
        changed(expired.map((e) => e.id));
      }
      return live;
    },

    /**
     * Batched mode: decides the items a dry run says the router would skip, before the batch is signed. Reads
     * the chain for every item first and writes nothing unless every read succeeded (a transport error leaves
     * them all queued for the lane's retry). Returns the ids taken out of the batch.
     */
    async takeOut(chainId, items) {
      const network = byChain.get(chainId) as NetworkRuntime;
      const outcomes: { id: string; outcome: FinalOutcome }[] = [];
      const alone: string[] = [];
      const later: string[] = [];
      for (const { record, failure } of items) {
        const decision = await scheme.decideSkipped(network, record, failure);
        if (decision.kind === "send-alone") alone.push(record.id);
        else if (decision.kind === "retry-later") later.push(record.id);
        else if (decision.kind === "final") outcomes.push({ id: record.id, outcome: decision.outcome });
        // `keep`: the chain disagrees with the dry run, the item stays in the batch and its receipt decides.
      }
      await store.settle(outcomes);
      changed(outcomes.map((o) => o.id));
      for (const id of alone) sendAlone(chainId, id);
      retries.later(later);
      return new Set([...outcomes.map((o) => o.id), ...alone, ...later]);
    },

    /**
     * The estimate of a transaction carrying one payment reverted (nothing was signed): decide it from the chain.
     * It fails only on a definite reason (nonce used, expired, wrong token domain, funds); otherwise it stays
     * queued and is tried again later, on its own (`transferWithAuthorization`), until `validBefore`.
     */
    async rejectItems(ids, error) {
      const outcomes: { id: string; outcome: FinalOutcome }[] = [];
      const again: string[] = [];
      for (const id of ids) {
        const record = await store.getById(id);
        if (record?.state !== "queued") continue;
        const decision = await scheme.decideRejected(networkOf(record), record);
        if ("final" in decision) {
          outcomes.push({ id, outcome: decision.final });
          continue;
        }
        logger.info(
          { settlement: id, err: errorSummary(error), reason: decision.reason },
          "the transfer would revert for no definite reason; trying again later",
        );
        retries.sendAs(id, "direct");
        again.push(id);
      }
      await store.settle(outcomes);
      changed(outcomes.map((o) => o.id));
      retries.later(again);
    },
  };
}
