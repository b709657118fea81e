// Pipeline, dispatch: hands queued (or received) records to a signer lane, alone (direct), or to the batcher.

import type { Logger } from "pino";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { Clock } from "../../domain/clock.js";
import { errorSummary } from "../../domain/errorSummary.js";
import { InvalidTransitionError } from "../../domain/errors.js";
import type { PaymentStore } from "../../domain/store.js";
import type { SettlementRecord } from "../../domain/types.js";
import type { BatchSubmitter } from "../../modes/batchSubmitter.js";
import { type Batcher, createBatcher } from "../../modes/createBatcher.js";
import type { SignerLane, TxJob } from "../../signers/createSignerLane.js";
import { createPreflight } from "./createPreflight.js";
import type { Retries } from "./createRetries.js";
import type { SettlementScheme } from "./settlementScheme.js";

/** The dispatch stage of an engine. */
export type Dispatcher = {
  /** Hands queued or received records to a lane (direct) or the batcher. */
  dispatch(records: readonly SettlementRecord[]): Promise<void>;
  /** Whether some signer lane of the chain takes another job. */
  hasCapacity(chainId: number): boolean;
  /** The batcher, in batched mode. */
  batcher: Batcher | undefined;
};

/** Parameters of {@link createDispatcher}. */
export type CreateDispatcherParameters = {
  store: PaymentStore;
  clock: Clock;
  scheme: SettlementScheme;
  byChain: ReadonlyMap<number, NetworkRuntime>;
  /** The signer lanes of each chain (filled in once the lanes exist). */
  lanesByChain: ReadonlyMap<number, readonly SignerLane[]>;
  networkOf(record: SettlementRecord): NetworkRuntime;
  /** Records changed state: wake their waiters. */
  changed(ids: readonly string[]): void;
  retries: Retries;
  mode: "direct" | "batched";
  batch: { maxItems: number; maxWaitMs: number };
  batchSubmitter: BatchSubmitter | undefined;
  logger: Logger;
  /**
   * Whether a lane may be given work (signer leases: only the lanes of signers this instance holds); default: all.
   * With no usable lane a record stays queued, for whichever instance holds a lease to claim.
   */
  usable?: ((lane: SignerLane) => boolean) | undefined;
  /**
   * With `usable`: gives up queued records no lane here may send (see `SignerLeases.disown`), so another instance
   * claims them now; without it they are tried again later.
   */
  disown?: ((ids: readonly string[]) => Promise<void>) | undefined;
};

/**
 * Creates the dispatch stage of an engine.
 *
 * @param parameters - See {@link CreateDispatcherParameters}.
 * @returns The {@link Dispatcher}.
 */
export function createDispatcher(parameters: CreateDispatcherParameters): Dispatcher {
  const { store, scheme, byChain, lanesByChain, retries, batchSubmitter, logger } = parameters;
  const usable = parameters.usable ?? (() => true);
  const lanesOf = (chainId: number) => (lanesByChain.get(chainId) ?? []).filter(usable);

  const pickLane = (chainId: number): SignerLane | undefined => {
    const lanes = lanesOf(chainId);
    let best: SignerLane | undefined;
    for (const lane of lanes) {
      if (!lane.hasCapacity()) continue;
      if (!best || lane.depth() < best.depth()) best = lane;
    }
    return best;
  };

  /** The least busy lane of a chain with room, else its first lane. */
  const laneOf = (chainId: number): SignerLane | undefined => pickLane(chainId) ?? lanesOf(chainId)[0];

  /** Records no usable lane here can send (signer leases): given up for another instance, or tried again later. */
  const unsendable = async (ids: readonly string[]): Promise<void> => {
    if (ids.length === 0) return;
    logger.info(
      { settlements: ids.length },
      "no signer lease held for these: left queued for an instance that holds one",
    );
    try {
      if (parameters.disown) {
        await parameters.disown(ids);
        return;
      }
    } catch (error) {
      logger.warn({ err: errorSummary(error) }, "could not give settlements up; trying them again later");
    }
    retries.later(ids);
  };

  const preflight = createPreflight({
    ...parameters,
    sendAlone(chainId, id) {
      const lane = laneOf(chainId);
      if (lane) lane.enqueue(directJob(id));
      else void unsendable([id]);
    },
  });

  const directJob = (id: string): TxJob => ({
    kind: "direct",
    items: [{ id, batchIndex: undefined }],
    async build() {
      const record = await store.getById(id);
      if (!record) return undefined;
      const [live] = await preflight.dropExpired([record]);
      if (!live) return undefined;
      return { ...scheme.directCall(live.payment), items: [{ id, batchIndex: undefined }] };
    },
    rejected: (error, items) =>
      preflight.rejectItems(
        items.map((i) => i.id),
        error,
      ),
  });

  const batcher =
    parameters.mode === "batched" && batchSubmitter
      ? createBatcher({
          submitter: batchSubmitter,
          store,
          maxItems: Math.min(parameters.batch.maxItems, batchSubmitter.maxItems),
          maxWaitMs: parameters.batch.maxWaitMs,
          pickLane: laneOf,
          unsendable: (ids) => void unsendable(ids),
          laneFree: (chainId) => lanesOf(chainId).some((lane) => lane.free()),
          clientOf: (chainId) => (byChain.get(chainId) as NetworkRuntime).client,
          dropExpired: preflight.dropExpired,
          takeOut: preflight.takeOut,
          rejectItems: preflight.rejectItems,
          logger,
        })
      : undefined;

  const dispatch = async (records: readonly SettlementRecord[]): Promise<void> => {
    const split = new Map<number, string[]>();
    const batched = new Map<number, string[]>();
    const noLane: string[] = [];
    for (const record of records) {
      if (record.state === "received") {
        try {
          await store.markQueued([record.id]);
        } catch (error) {
          // Queued already by the pickup of a shared journal's received rows (or the other way round): one dispatch.
          if (error instanceof InvalidTransitionError) continue;
          throw error;
        }
      }
      const taken = retries.takeWay(record.id);
      if (parameters.usable && laneOf(record.key.chainId) === undefined) {
        // No lease held (or one still being handed over), in either mode: another instance sends it.
        noLane.push(record.id);
        continue;
      }
      // A payment the scheme sends only on its own (a counterfactual wallet's deploys the wallet in the same
      // transaction) never goes in a batch.
      const way = scheme.alone(record.payment) ? "direct" : taken;
      if (batcher && way === "split") {
        split.set(record.key.chainId, [...(split.get(record.key.chainId) ?? []), record.id]);
        continue;
      }
      if (batcher && way !== "direct") {
        batched.set(record.key.chainId, [...(batched.get(record.key.chainId) ?? []), record.id]);
        continue;
      }
      const lane = laneOf(record.key.chainId);
      if (!lane) throw new Error(`no signer for chain ${record.key.chainId}`);
      lane.enqueue(directJob(record.id));
    }
    await unsendable(noLane);
    // All at once, so that records dispatched together (start-up recovery, a requeued batch) share a batch.
    for (const [chainId, ids] of batched) batcher?.add(ids, chainId);
    for (const [chainId, ids] of split) {
      // One item of a reverted batch goes out on its own; more are split in two batches.
      if (ids.length === 1) {
        retries.sendAs(ids[0] as string, "direct");
        await dispatch(
          (await Promise.all(ids.map((id) => store.getById(id)))).filter((r): r is SettlementRecord => r !== undefined),
        );
      } else batcher?.split(ids, chainId);
    }
  };

  return { dispatch, hasCapacity: (chainId) => pickLane(chainId) !== undefined, batcher };
}
