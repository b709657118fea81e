// Engine: the composition root. Wires the pipeline (admit → persist → dispatch → track → decide) to the `exact`
// scheme, one network's lanes and tracker at a time, and answers from the journal.

import type { Logger } from "pino";
import type { Address, LocalAccount, TransactionReceipt } from "viem";
import type { NetworkRuntime } from "../chain/networkRuntime.js";
import type { Clock } from "../domain/clock.js";
import type { PaymentStore, SignerLease, SignerLeases } from "../domain/store.js";
import type { ExactPayment, PaymentRequest, SettlementRecord, SettleOutcome, TxAttempt } from "../domain/types.js";
import type { BatchSubmitter } from "../modes/batchSubmitter.js";
import { createExactScheme } from "../schemes/exact/createExactScheme.js";
import type { SignerLane } from "../signers/createSignerLane.js";
import type { FeePolicy } from "../signers/feeOracle.js";
import type { ChainCheckMode, VerifyContext, VerifyResult } from "../verify/verifyPayment.js";
import type { Faults } from "./faults.js";
import { createAdmitter } from "./pipeline/createAdmitter.js";
import { createBatchResults } from "./pipeline/createBatchResults.js";
import { createDispatcher } from "./pipeline/createDispatcher.js";
import { createLeaseKeeper, type LeaseEvents, type LeaseKeeper } from "./pipeline/createLeaseKeeper.js";
import { createNetworkLanes } from "./pipeline/createNetworkLanes.js";
import { createOutcomeWaiters } from "./pipeline/createOutcomeWaiters.js";
import { createPickup } from "./pipeline/createPickup.js";
import { createRetries } from "./pipeline/createRetries.js";
import type { Tracker } from "./pipeline/createTracker.js";
import { outcomeOf } from "./pipeline/outcomeOf.js";
import { reconcileJournal } from "./pipeline/reconcileJournal.js";

/** Engine policy. */
export type EngineConfig = {
  /** `direct`: one `transferWithAuthorization` per payment; `batched`: many per router call. */
  mode: "direct" | "batched";
  /** Longest a `/settle` caller waits for the receipt before `settlement_pending` (ms). */
  settleTimeoutMs: number;
  /** Chain re-check at settle before the payment is admitted. */
  settleChainCheck: ChainCheckMode;
  pollIntervalMs: number;
  /** How often the block number is read while transactions are in flight (ms). */
  blockPollIntervalMs: number;
  replaceAfterMs: number;
  /** Blocks searched for the transaction that used a nonce we did not use. */
  lookbackBlocks: bigint;
  queueLimitPerSigner: number;
  gasHeadroomPercent: number;
  /** Most gas one transaction may ask for (EIP-7825: 2^24). */
  maxTransactionGas: bigint;
  fees: FeePolicy;
  batch: { maxItems: number; maxWaitMs: number };
};

/** Observations the engine reports (implemented with prom-client by `metrics/`). */
export type EngineMetrics = Partial<LeaseEvents> & {
  mined(receipt: TransactionReceipt, kind: TxAttempt["kind"], items: number): void;
};

/** Parameters of {@link createSettlementEngine}. */
export type CreateSettlementEngineParameters = {
  networks: readonly NetworkRuntime[];
  accounts: readonly LocalAccount[];
  store: PaymentStore;
  clock: Clock;
  logger: Logger;
  faults: Faults;
  config: EngineConfig;
  verify: Omit<VerifyContext, "networks" | "clock" | "simulationSender">;
  metrics?: EngineMetrics | undefined;
  batchSubmitter?: BatchSubmitter | undefined;
  /**
   * A journal shared with other facilitator processes (Postgres). Set, the engine serves as a `follower` until
   * {@link SettlementEngine.promote}: it verifies, admits settlements into the journal as `received` (the writer
   * picks them up) and answers from the journal, polling it every `pollMs` while a caller waits; it signs nothing.
   * As the writer it picks up the `received` rows of followers every `pollMs`.
   */
  shared?: { role: "writer" | "follower"; pollMs: number } | undefined;
  /**
   * Signer leases (a journal several instances share, each signing for its own keys; see `SignerLeases`): this
   * instance builds a lane for every configured key but gives work only to the lanes whose leases it holds, claims
   * the journal's unowned rows (`received`, or queued by an instance without a live lease) every `pollMs`, and, on
   * taking a lease, reconciles that signer's in-flight transactions with the chain before signing with it. Holding
   * no lease, it admits settlements as `received` and answers from the journal. Overrides `shared`.
   */
  signerLeases?: { leases: SignerLeases; holder: string; ttlMs: number; pollMs: number } | undefined;
};

/** The answer to a settle request, before it is rendered on the wire. */
export type SettleResult = { outcome: SettleOutcome; payment: ExactPayment | undefined };

/** Health of one network. */
export type NetworkHealth = {
  network: string;
  rpc: boolean;
  signers: { address: Address; depth: number; healthy: boolean }[];
  tracking: number;
};

/**
 * The settlement engine: verification, idempotent admission into the journal, signer lanes, receipt
 * tracking and start-up reconciliation. Everything it answers comes from the journal, and everything
 * the journal says final comes from the chain.
 */
export type SettlementEngine = {
  verify(request: PaymentRequest): Promise<VerifyResult>;
  settle(request: PaymentRequest): Promise<SettleResult>;
  /** The outcome of a settlement id as it stands now (pending when not final). */
  outcomeOf(record: SettlementRecord): SettleOutcome;
  getSettlement(id: string): Promise<SettlementRecord | undefined>;
  /** Reconciles the journal with the chain, then starts trackers (a follower: nothing until {@link promote}). */
  start(): Promise<void>;
  /** A follower becomes the writer (it holds the journal's writer lock now): reconciles and starts signing. */
  promote(): Promise<void>;
  /** `writer` signs and sends; a `follower` (shared journal) admits into the journal and answers from it. */
  role(): "writer" | "follower";
  /** Signer leases: the leases this instance holds and the store's last round trip; undefined without leases. */
  leases(): { held: SignerLease[]; store: { reachable: boolean; latencyMs: number | undefined } } | undefined;
  /** Signer leases: hands every held lease back at once (graceful shutdown, after the drain). */
  releaseLeases(): Promise<void>;
  /** Stops taking new settlements and waits (bounded) for in-flight ones to resolve. */
  drain(timeoutMs: number): Promise<void>;
  stop(): void;
  health(): Promise<NetworkHealth[]>;
  signers(): Address[];
  lanes(): readonly SignerLane[];
};

/**
 * Creates the settlement engine.
 *
 * @param parameters - See {@link CreateSettlementEngineParameters}.
 * @returns A {@link SettlementEngine}; call `start()` before use.
 */
export function createSettlementEngine(parameters: CreateSettlementEngineParameters): SettlementEngine {
  const { networks, accounts, store, clock, logger, faults, config, metrics, batchSubmitter } = parameters;
  if (config.mode === "batched" && !batchSubmitter) {
    throw new Error("batched mode needs a BatchSubmitter (the settlement router)");
  }

  const byChain = new Map(networks.map((n) => [n.chainId, n]));
  const lanesByChain = new Map<number, SignerLane[]>();
  const trackers = new Map<number, Tracker>();
  let draining = false;
  const leasing = parameters.signerLeases;
  const shared = leasing ? { role: "writer" as const, pollMs: leasing.pollMs } : parameters.shared;
  let writing = (shared?.role ?? "writer") === "writer";
  // Late-bound: the keeper hands leases over through the trackers and dispatch built below.
  let keeper: LeaseKeeper | undefined;
  /** Whether this instance signs now: the writer of its journal, or (leases) the holder of at least one signer. */
  const signing = () => (keeper ? keeper.signing() : writing);

  const verifyContext: VerifyContext = {
    ...parameters.verify,
    networks,
    clock,
    simulationSender: (network) => lanesByChain.get(network.chainId)?.[0]?.address,
  };

  const networkOf = (record: SettlementRecord): NetworkRuntime => {
    const network = byChain.get(record.key.chainId);
    if (!network) throw new Error(`settlement ${record.id} is on chain ${record.key.chainId}, which is not configured`);
    return network;
  };

  // Decide: waits on the journal. Dispatch: retries, then lanes or the batcher. Both late-bound where they meet.
  const answerOf = (record: SettlementRecord): SettleOutcome => outcomeOf(record, scheme.payer(record.payment));
  const waiters = createOutcomeWaiters({
    store,
    clock,
    outcomeOf: answerOf,
    // Under leases another instance may send any payment (a takeover): every wait also polls the journal.
    pollMs: () => (leasing ? leasing.pollMs : writing || !shared ? undefined : shared.pollMs),
  });
  const { changed } = waiters;
  const retries = createRetries({
    store,
    logger,
    pollIntervalMs: config.pollIntervalMs,
    dispatch: (records) => dispatch(records),
  });
  const scheme = createExactScheme({
    verifyContext,
    settleChainCheck: config.settleChainCheck,
    lookbackBlocks: config.lookbackBlocks,
    networkOf,
    batchResults: createBatchResults(batchSubmitter, logger),
    retries,
  });
  const dispatcher = createDispatcher({
    store,
    clock,
    scheme,
    byChain,
    lanesByChain,
    networkOf,
    changed,
    retries,
    mode: config.mode,
    batch: config.batch,
    batchSubmitter,
    logger,
    usable: leasing ? (lane) => keeper?.holds(lane.address) === true : undefined,
    disown: leasing ? (ids) => leasing.leases.disown(ids) : undefined,
  });
  const { dispatch, batcher } = dispatcher;

  // Track: one tracker and one lane per signer on each network.
  for (const network of networks) {
    const { lanes, tracker } = createNetworkLanes({
      network,
      accounts,
      store,
      clock,
      logger,
      faults,
      scheme,
      retries,
      config,
      dispatch,
      changed,
      mined: (receipt, kind, items) => metrics?.mined(receipt, kind, items),
      laneFree: (chainId) => batcher?.laneFree(chainId),
    });
    lanesByChain.set(network.chainId, lanes);
    trackers.set(network.chainId, tracker);
  }

  // Admit and persist.
  const admitter = createAdmitter({
    store,
    scheme,
    writing: signing,
    draining: () => draining,
    // Holding no signer lease, this instance only journals (received): the holders' pickups bound their own queues.
    hasCapacity: (chainId) => (keeper && !keeper.signing() ? true : dispatcher.hasCapacity(chainId)),
    dispatch,
  });

  const pickup = shared
    ? createPickup({
        networks,
        store,
        logger,
        pollMs: shared.pollMs,
        draining: () => draining,
        dispatch,
        take: leasing
          ? async (chainId) =>
              keeper?.signing() ? leasing.leases.claimUnowned(chainId, config.queueLimitPerSigner) : []
          : undefined,
      })
    : undefined;

  if (leasing) {
    keeper = createLeaseKeeper({
      leases: leasing.leases,
      signers: accounts.map((a) => a.address),
      holder: leasing.holder,
      ttlMs: leasing.ttlMs,
      clock,
      logger,
      events: metrics,
      // I2 for a signer taken over: its persisted transactions re-sent as the same bytes and tracked, its lane
      // seeded from the chain's pending nonce and the journal, before any new job of it is signed.
      gained: (signer) =>
        reconcileJournal({
          networks,
          store,
          logger,
          lanesByChain,
          trackers,
          batchSubmitter: batcher ? batchSubmitter : undefined,
          dispatch,
          signers: new Set([signer.toLowerCase()]),
        }),
      idle: (signer) =>
        [...lanesByChain.values()]
          .flat()
          .every((lane) => lane.address.toLowerCase() !== signer.toLowerCase() || lane.free()),
      lost(signer) {
        for (const tracker of trackers.values()) tracker.forget(signer);
        // Payments gathered for a batch go now: to another lane held here, or back for an instance that holds one.
        batcher?.flushAll();
        for (const lane of [...lanesByChain.values()].flat()) {
          if (lane.address.toLowerCase() === signer.toLowerCase()) lane.reset();
        }
      },
    });
  }

  /** The writer's start: reconciles the journal with the chain, starts the trackers (and a shared journal's pickup). */
  const startWriting = async (): Promise<void> => {
    await reconcileJournal({
      networks,
      store,
      logger,
      lanesByChain,
      trackers,
      batchSubmitter: batcher ? batchSubmitter : undefined,
      dispatch,
    });
    pickup?.start();
  };

  const engine: SettlementEngine = {
    verify: (request) => scheme.verify(request),

    async settle(request) {
      const parsed = scheme.parse(request);
      if (!parsed.ok) return { outcome: parsed.answer, payment: undefined };
      const { payment, network } = parsed;
      const admitted = await admitter.admit(payment, network);
      if ("answer" in admitted) return { outcome: admitted.answer, payment };
      return { outcome: await waiters.waitForOutcome(admitted.record.id, config.settleTimeoutMs), payment };
    },

    outcomeOf: answerOf,
    getSettlement: (id) => store.getById(id),

    async start() {
      if (keeper) {
        for (const tracker of trackers.values()) tracker.start();
        await keeper.start();
        pickup?.start();
        return;
      }
      if (writing) await startWriting();
    },

    async promote() {
      if (writing) return;
      writing = true;
      logger.info("this facilitator is the journal's writer now: reconciling, then signing");
      await startWriting();
    },

    role: () => (signing() ? "writer" : "follower"),

    leases: () => (keeper ? { held: keeper.held(), store: keeper.store() } : undefined),

    async releaseLeases() {
      await keeper?.release();
    },

    async drain(timeoutMs) {
      draining = true;
      batcher?.flushAll();
      const deadline = clock.now() + timeoutMs;
      const busy = () =>
        [...lanesByChain.values()]
          .flat()
          .some((l) => l.depth() > 0 && (keeper === undefined || keeper.holds(l.address))) ||
        (batcher?.size() !== undefined && batcher.size() > 0);
      while (busy() && clock.now() < deadline) {
        for (const t of trackers.values()) t.poke();
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    stop() {
      pickup?.stop();
      for (const t of trackers.values()) t.stop();
      retries.stop();
      batcher?.stop();
    },

    async health() {
      return Promise.all(
        networks.map(async (network) => {
          const rpc = await network.client
            .getBlockNumber({ cacheTime: 0 })
            .then(() => true)
            .catch(() => false);
          const lanes = lanesByChain.get(network.chainId) ?? [];
          return {
            network: network.caip2,
            rpc,
            signers: lanes.map((l) => ({ address: l.address, depth: l.depth(), healthy: l.healthy() })),
            tracking: trackers.get(network.chainId)?.size() ?? 0,
          };
        }),
      );
    },

    signers: () => accounts.map((a) => a.address),
    lanes: () => [...lanesByChain.values()].flat(),
  };
  return engine;
}
