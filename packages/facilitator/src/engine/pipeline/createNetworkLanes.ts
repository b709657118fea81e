// Pipeline, dispatch → track: one network's signer lanes, wired to the receipt tracker that follows what they send.

import type { Logger } from "pino";
import type { LocalAccount, TransactionReceipt } from "viem";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { Clock } from "../../domain/clock.js";
import type { PaymentStore } from "../../domain/store.js";
import type { SettlementRecord, TxAttempt } from "../../domain/types.js";
import { createSignerLane, type SignerLane } from "../../signers/createSignerLane.js";
import { createFeeOracle, type FeePolicy } from "../../signers/feeOracle.js";
import type { Faults } from "../faults.js";
import type { Retries } from "./createRetries.js";
import { createTracker, type Tracker } from "./createTracker.js";
import type { SettlementScheme } from "./settlementScheme.js";

/** Parameters of {@link createNetworkLanes}. */
export type CreateNetworkLanesParameters = {
  network: NetworkRuntime;
  accounts: readonly LocalAccount[];
  store: PaymentStore;
  clock: Clock;
  logger: Logger;
  faults: Faults;
  scheme: SettlementScheme;
  retries: Retries;
  config: {
    pollIntervalMs: number;
    blockPollIntervalMs: number;
    replaceAfterMs: number;
    queueLimitPerSigner: number;
    gasHeadroomPercent: number;
    maxTransactionGas: bigint;
    fees: FeePolicy;
  };
  /** Hands records back to the dispatch stage. */
  dispatch(records: readonly SettlementRecord[]): Promise<void>;
  /** Records changed state: wake their waiters. */
  changed(ids: readonly string[]): void;
  /** A transaction was mined (for metrics). */
  mined(receipt: TransactionReceipt, kind: TxAttempt["kind"], items: number): void;
  /** A lane of this network became free (a batcher that group-commits sends what waits). */
  laneFree(chainId: number): void;
};

/**
 * Creates one network's lanes (one per signer) and its tracker.
 *
 * @param parameters - See {@link CreateNetworkLanesParameters}.
 * @returns The lanes and the tracker.
 */
export function createNetworkLanes(parameters: CreateNetworkLanesParameters): {
  lanes: SignerLane[];
  tracker: Tracker;
} {
  const { network, accounts, store, clock, logger, faults, scheme, retries, config, dispatch, changed } = parameters;
  const fees = createFeeOracle(network.client, config.fees);
  const laneMap = new Map<string, SignerLane>();
  const tracker = createTracker({
    network,
    store,
    lanes: laneMap,
    clock,
    logger,
    pollIntervalMs: config.pollIntervalMs,
    blockPollIntervalMs: config.blockPollIntervalMs,
    replaceAfterMs: config.replaceAfterMs,
    hooks: {
      settledBy: (receipt, records) => scheme.settledBy(receipt, records, network.chainId),
      notSettled: (record, context) => scheme.notSettled(record, context),
      requeued: (records) => {
        // Counted here, after the journal moved them back to the queue: a check that failed half-way
        // (an RPC fault) is run again without using up a retry.
        for (const r of records) retries.counted(r.id);
        return dispatch(records);
      },
      changed,
      mined: parameters.mined,
    },
  });
  const lanes = accounts.map((account) =>
    createSignerLane({
      account,
      network,
      store,
      fees,
      faults,
      logger,
      clock,
      queueLimit: config.queueLimitPerSigner,
      gasHeadroomPercent: config.gasHeadroomPercent,
      maxTransactionGas: config.maxTransactionGas,
      events: {
        submitted(attempt, items) {
          tracker.track(attempt);
          changed(items.map((i) => i.id));
        },
        free: () => parameters.laneFree(network.chainId),
      },
    }),
  );
  for (const lane of lanes) laneMap.set(lane.address.toLowerCase(), lane);
  return { lanes, tracker };
}
