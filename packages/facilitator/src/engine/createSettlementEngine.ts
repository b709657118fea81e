import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Address, Hex, LocalAccount, TransactionReceipt } from "viem";
import { eip3009Abi } from "../chain/eip3009Abi.js";
import { isTransportError } from "../chain/isTransportError.js";
import type { NetworkRuntime } from "../chain/networkRuntime.js";
import { withRpc } from "../chain/withRpc.js";
import type { Clock } from "../domain/clock.js";
import { errorSummary } from "../domain/errorSummary.js";
import {
  InvalidTransitionError,
  QueueFullError,
  RouterMisconfiguredError,
  ShuttingDownError,
} from "../domain/errors.js";
import { paymentFingerprint, settlementKey } from "../domain/fingerprint.js";
import { Reason } from "../domain/reasons.js";
import { inFlightStates, unsentStates } from "../domain/stateMachine.js";
import type { FinalOutcome, PaymentStore } from "../domain/store.js";
import type { ExactPayment, PaymentRequest, SettlementRecord, SettleOutcome, TxAttempt } from "../domain/types.js";
import type { BatchItemResult, BatchSubmitter, RouterFailure } from "../modes/batchSubmitter.js";
import { createBatcher } from "../modes/createBatcher.js";
import { directCall, needsWalletDeployment } from "../modes/encodeDirectTransfer.js";
import { classifyRouterFailure } from "../modes/router/classifyRouterFailure.js";
import { findAuthorizationUse, transferredExactly } from "../schemes/exact/findAuthorizationUse.js";
import { createSignerLane, type SignerLane, type TxJob } from "../signers/createSignerLane.js";
import { createFeeOracle, type FeePolicy } from "../signers/feeOracle.js";
import {
  type ChainCheckMode,
  checkPayment,
  diagnose,
  parsePayment,
  type VerifyContext,
  type VerifyResult,
} from "../verify/verifyPayment.js";
import type { Faults } from "./faults.js";
import { createAdmissionGroup } from "./pipeline/createAdmissionGroup.js";
import {
  createTracker,
  type NotSettledContext,
  type NotSettledDecision,
  type Tracker,
} from "./pipeline/createTracker.js";

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
export type EngineMetrics = {
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
  const waiters = new Map<string, Set<() => void>>();
  const admitting = new Map<string, Promise<Admission>>();
  const requeues = new Map<string, number>();
  let draining = false;
  const shared = parameters.shared;
  let writing = (shared?.role ?? "writer") === "writer";
  let pickupTimer: NodeJS.Timeout | undefined;

  const verifyContext: VerifyContext = {
    ...parameters.verify,
    networks,
    clock,
    simulationSender: (network) => lanesByChain.get(network.chainId)?.[0]?.address,
  };

  const changed = (ids: readonly string[]) => {
    for (const id of ids) {
      const set = waiters.get(id);
      if (!set) continue;
      waiters.delete(id);
      for (const wake of set) wake();
    }
  };

  const networkOf = (record: SettlementRecord): NetworkRuntime => {
    const network = byChain.get(record.key.chainId);
    if (!network) throw new Error(`settlement ${record.id} is on chain ${record.key.chainId}, which is not configured`);
    return network;
  };

  const nowSeconds = () => BigInt(Math.floor(clock.now() / 1000));

  /** Fails unsent records whose authorization expired; returns the ones still worth sending. */
  const dropExpired = async (records: SettlementRecord[]): Promise<SettlementRecord[]> => {
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
  };

  const authorizationUsed = (network: NetworkRuntime, payment: ExactPayment): Promise<boolean> =>
    withRpc(network, () =>
      network.client.readContract({
        address: payment.asset,
        abi: eip3009Abi,
        functionName: "authorizationState",
        args: [payment.authorization.from, payment.authorization.nonce],
      }),
    );

  /**
   * The outcome of a payment whose nonce is used: confirmed if the transaction that used it paid exactly this
   * payment (front-run, or an earlier transaction of ours), failed otherwise (canceled, or spent elsewhere).
   * When the log search finds no use, the receipt in hand (`mined`) is checked; if it did not pay either, the
   * answer is `undefined`: who used the nonce is not known, so neither outcome can be said truthfully.
   */
  const decideNonceUsed = async (
    network: NetworkRuntime,
    payment: ExactPayment,
    mined: TransactionReceipt | undefined,
  ): Promise<FinalOutcome | undefined> => {
    const use = await findAuthorizationUse(network, payment, config.lookbackBlocks);
    if (use.kind === "paid") return { state: "confirmed", txHash: use.txHash, blockNumber: use.blockNumber };
    if (use.kind === "not-found") {
      if (mined?.status === "success" && transferredExactly(mined.logs, payment)) {
        return { state: "confirmed", txHash: mined.transactionHash, blockNumber: mined.blockNumber };
      }
      return undefined;
    }
    const message = use.canceled
      ? `the payer canceled the authorization (transaction ${use.txHash})`
      : `the authorization nonce was used by transaction ${use.txHash}, which did not pay this payment`;
    return { state: "failed", reason: Reason.nonceAlreadyUsed, message, txHash: mined?.transactionHash };
  };

  /** The answer for a nonce used by a transaction nobody can name, when nothing of ours can carry it any more. */
  const usedElsewhere = (): FinalOutcome => ({
    state: "failed",
    reason: Reason.nonceAlreadyUsed,
    message: "the authorization nonce was used by a transaction this facilitator did not send",
    txHash: undefined,
  });

  /**
   * Whether a diagnosis is a fact that no later attempt can change. `validAfter` is not: the chain's clock
   * catches up with ours (verify accepted it by ours).
   */
  const definite = (diagnosis: { reason: Reason; transient?: true } | undefined): boolean =>
    diagnosis !== undefined && diagnosis.reason !== Reason.validAfter && diagnosis.transient !== true;

  /** The last decoded batch receipt: every item of a batch asks for the same one. */
  let decoded: { hash: Hex; results: Map<number, BatchItemResult> } | undefined;
  /** Per-item results of a mined batch, by index; `undefined` when the router's logs do not decode. */
  const batchResults = (receipt: TransactionReceipt, chainId: number): Map<number, BatchItemResult> | undefined => {
    if (!batchSubmitter) return undefined;
    if (decoded?.hash === receipt.transactionHash) return decoded.results;
    try {
      const results = new Map(batchSubmitter.decode(receipt, chainId).map((r) => [r.index, r]));
      decoded = { hash: receipt.transactionHash, results };
      return results;
    } catch (error) {
      logger.warn(
        { tx: receipt.transactionHash, err: errorSummary(error) },
        "the router's logs do not decode; deciding batch items from the token's logs alone",
      );
      return undefined;
    }
  };

  /**
   * Decides a payment that could not be executed (mined without transferring it, or its transaction can
   * never be mined). "failed" only when it can no longer be settled by us: a nonce used elsewhere is looked
   * up, and if that transaction paid this payment, it is a success. While the authorization is unused and
   * valid, a reverted transaction is tried again (a whole batch split in two, a lone batch item sent on its
   * own), bounded by `validBefore`. A batch item the router skipped is decided by the router's reason
   * (`classifyRouterFailure`), after `authorizationState` (the chain's word on the nonce comes first).
   */
  const decideNotSettled = async (
    record: SettlementRecord,
    context: NotSettledContext,
  ): Promise<NotSettledDecision> => {
    const network = networkOf(record);
    const payment = record.payment;
    const minedReceipt = context.kind === "mined" ? context.receipt : undefined;
    const minedHash = minedReceipt?.transactionHash;
    if (await authorizationUsed(network, payment)) {
      const final = await decideNonceUsed(network, payment, minedReceipt);
      if (final) return { final };
      return {
        undecided: `the authorization nonce is used, but no AuthorizationUsed event in the last ${config.lookbackBlocks} blocks says by which transaction`,
      };
    }
    const block = await withRpc(network, () => network.client.getBlock({ blockTag: "latest" }));
    const expired = payment.authorization.validBefore <= block.timestamp + 1n;
    const expiredOutcome = (message: string): NotSettledDecision => ({
      final: { state: "failed", reason: Reason.validBefore, message, txHash: minedHash },
    });
    if (context.kind === "slot-taken") {
      return expired ? expiredOutcome("the authorization expired") : { requeue: true };
    }
    const { receipt } = context;
    if (expired) return expiredOutcome("the authorization expired before its transaction was mined");
    const isBatch = record.batchIndex !== undefined;
    const retries = requeues.get(record.id) ?? 0;
    if (receipt.status === "reverted") {
      // The transaction reverted as a whole and the authorization is still unused: nothing about this payment
      // is final. A batch is split (the engine's `requeued` hook sends its halves), a direct one sent again.
      retryAs.set(record.id, isBatch ? "split" : "direct");
      return { requeue: true };
    }
    const item = isBatch ? batchResults(receipt, record.key.chainId)?.get(record.batchIndex as number) : undefined;
    if (item?.status === "skipped") {
      const decision = classifyRouterFailure(item.failure, payment);
      if (decision.kind === "failed") {
        return {
          final: {
            state: "failed",
            reason: decision.reason,
            message: `${decision.message} (item ${record.batchIndex} of batch transaction ${receipt.transactionHash})`,
            txHash: minedHash,
          },
        };
      }
      if (decision.kind === "send-alone") {
        retryAs.set(record.id, "direct");
        return { requeue: true };
      }
      if (decision.kind === "retry-later") return { requeue: true };
      // A nonce-used item whose nonce reads unused (a reorg?) is tried again, twice; then diagnosed below.
      if (retries < 2) return { requeue: true };
    }
    const diagnosis = await diagnose(network, payment);
    if (!definite(diagnosis) && retries < 2) return { requeue: true };
    return {
      final: {
        state: "failed",
        reason: diagnosis?.reason ?? Reason.transactionFailed,
        message:
          diagnosis?.message ??
          `transaction ${receipt.transactionHash} did not transfer this payment${item?.status === "skipped" ? ` (the router skipped it: ${item.failure.reason})` : ""}`,
        txHash: minedHash,
      },
    };
  };

  /**
   * Batched mode: decides the items a dry run says the router would skip, before the batch is signed. Reads
   * the chain for every item first and writes nothing unless every read succeeded (a transport error leaves
   * them all queued for the lane's retry). Returns the ids taken out of the batch.
   */
  const takeOut = async (
    chainId: number,
    items: readonly { record: SettlementRecord; failure: RouterFailure }[],
  ): Promise<Set<string>> => {
    const network = byChain.get(chainId) as NetworkRuntime;
    const outcomes: { id: string; outcome: FinalOutcome }[] = [];
    const alone: string[] = [];
    const later: string[] = [];
    for (const { record, failure } of items) {
      const decision = classifyRouterFailure(failure, record.payment);
      if (decision.kind === "send-alone") alone.push(record.id);
      else if (decision.kind === "retry-later") later.push(record.id);
      else if (decision.kind === "failed") {
        outcomes.push({
          id: record.id,
          outcome: {
            state: "failed",
            reason: decision.reason,
            message: `${decision.message} (a dry run of the batch; nothing was sent)`,
            txHash: undefined,
          },
        });
      } else if (await authorizationUsed(network, record.payment)) {
        const final = (await decideNonceUsed(network, record.payment, undefined)) ?? usedElsewhere();
        outcomes.push({ id: record.id, outcome: final });
      }
      // A nonce the dry run calls used but the chain calls unused stays in the batch: its receipt decides.
    }
    await store.settle(outcomes);
    changed(outcomes.map((o) => o.id));
    for (const id of alone) {
      const lane = pickLane(chainId) ?? lanesByChain.get(chainId)?.[0];
      lane?.enqueue(directJob(id));
    }
    retryLater(later);
    return new Set([...outcomes.map((o) => o.id), ...alone, ...later]);
  };

  /**
   * The estimate of a transaction carrying one payment reverted (nothing was signed): decide it from the chain.
   * It fails only on a definite reason (nonce used, expired, wrong token domain, funds); otherwise it stays
   * queued and is tried again later, on its own (`transferWithAuthorization`), until `validBefore`.
   */
  const rejectItems = async (ids: readonly string[], error: unknown): Promise<void> => {
    const outcomes: { id: string; outcome: FinalOutcome }[] = [];
    const again: string[] = [];
    for (const id of ids) {
      const record = await store.getById(id);
      if (record?.state !== "queued") continue;
      const network = networkOf(record);
      if (await authorizationUsed(network, record.payment)) {
        outcomes.push({ id, outcome: (await decideNonceUsed(network, record.payment, undefined)) ?? usedElsewhere() });
        continue;
      }
      const diagnosis = await diagnose(network, record.payment);
      if (diagnosis && definite(diagnosis)) {
        outcomes.push({
          id,
          outcome: { state: "failed", reason: diagnosis.reason, message: diagnosis.message, txHash: undefined },
        });
        continue;
      }
      logger.info(
        { settlement: id, err: errorSummary(error), reason: diagnosis?.reason },
        "the transfer would revert for no definite reason; trying again later",
      );
      retryAs.set(id, "direct");
      again.push(id);
    }
    await store.settle(outcomes);
    changed(outcomes.map((o) => o.id));
    retryLater(again);
  };

  /** Ids whose next dispatch goes another way: a batch split in two, or alone as a direct transfer. */
  const retryAs = new Map<string, "split" | "direct">();
  const retryTimers = new Set<NodeJS.Timeout>();
  /**
   * Dispatches queued settlements again after a pause that grows with each retry (from `pollIntervalMs`, at most
   * 30 s); an expired one fails truthfully when its turn comes (`dropExpired`).
   */
  const retryLater = (ids: readonly string[]) => {
    for (const id of ids) {
      const retries = requeues.get(id) ?? 0;
      requeues.set(id, retries + 1);
      const timer = setTimeout(
        () => {
          retryTimers.delete(timer);
          void (async () => {
            const record = await store.getById(id);
            if (record?.state === "queued") await dispatch([record]);
          })().catch((error: unknown) => {
            logger.error({ settlement: id, err: errorSummary(error) }, "could not dispatch a settlement again");
          });
        },
        Math.min(config.pollIntervalMs * 2 ** retries, 30_000),
      );
      timer.unref();
      retryTimers.add(timer);
    }
  };

  const pickLane = (chainId: number): SignerLane | undefined => {
    const lanes = lanesByChain.get(chainId) ?? [];
    let best: SignerLane | undefined;
    for (const lane of lanes) {
      if (!lane.hasCapacity()) continue;
      if (!best || lane.depth() < best.depth()) best = lane;
    }
    return best;
  };

  const hasCapacity = (chainId: number): boolean => pickLane(chainId) !== undefined;

  const directJob = (id: string): TxJob => ({
    kind: "direct",
    items: [{ id, batchIndex: undefined }],
    async build() {
      const record = await store.getById(id);
      if (!record) return undefined;
      const [live] = await dropExpired([record]);
      if (!live) return undefined;
      return { ...directCall(live.payment), items: [{ id, batchIndex: undefined }] };
    },
    rejected: (error, items) =>
      rejectItems(
        items.map((i) => i.id),
        error,
      ),
  });

  const batcher =
    config.mode === "batched" && batchSubmitter
      ? createBatcher({
          submitter: batchSubmitter,
          store,
          maxItems: Math.min(config.batch.maxItems, batchSubmitter.maxItems),
          maxWaitMs: config.batch.maxWaitMs,
          pickLane: (chainId) => pickLane(chainId) ?? lanesByChain.get(chainId)?.[0],
          laneFree: (chainId) => (lanesByChain.get(chainId) ?? []).some((lane) => lane.free()),
          clientOf: (chainId) => (byChain.get(chainId) as NetworkRuntime).client,
          dropExpired,
          takeOut,
          rejectItems,
          logger,
        })
      : undefined;

  /** Hands queued or received records to a lane (direct) or the batcher. */
  const dispatch = async (records: readonly SettlementRecord[]): Promise<void> => {
    const split = new Map<number, string[]>();
    const batched = new Map<number, string[]>();
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
      // A counterfactual wallet's payment deploys it in the same transaction: it goes on its own, not in a batch.
      const way = needsWalletDeployment(record.payment) ? "direct" : retryAs.get(record.id);
      retryAs.delete(record.id);
      if (batcher && way === "split") {
        split.set(record.key.chainId, [...(split.get(record.key.chainId) ?? []), record.id]);
        continue;
      }
      if (batcher && way !== "direct") {
        batched.set(record.key.chainId, [...(batched.get(record.key.chainId) ?? []), record.id]);
        continue;
      }
      const lane = pickLane(record.key.chainId) ?? lanesByChain.get(record.key.chainId)?.[0];
      if (!lane) throw new Error(`no signer for chain ${record.key.chainId}`);
      lane.enqueue(directJob(record.id));
    }
    // All at once, so that records dispatched together (start-up recovery, a requeued batch) share a batch.
    for (const [chainId, ids] of batched) batcher?.add(ids, chainId);
    for (const [chainId, ids] of split) {
      // One item of a reverted batch goes out on its own; more are split in two batches.
      if (ids.length === 1) {
        retryAs.set(ids[0] as string, "direct");
        await dispatch(
          (await Promise.all(ids.map((id) => store.getById(id)))).filter((r): r is SettlementRecord => r !== undefined),
        );
      } else batcher?.split(ids, chainId);
    }
  };

  for (const network of networks) {
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
        settledBy: (receipt, records) => {
          if (receipt.status !== "success") return records.map(() => false);
          // A batch item is settled when the router reports it settled and its own token logs (between the
          // previous item's router log and its own) show the transfer; a direct payment by the receipt's logs.
          const items = records.some((r) => r.batchIndex !== undefined)
            ? batchResults(receipt, network.chainId)
            : undefined;
          return records.map((r) => {
            if (r.batchIndex === undefined || !items) return transferredExactly(receipt.logs, r.payment);
            const item = items.get(r.batchIndex);
            return item?.status === "settled" && transferredExactly(item.logs, r.payment);
          });
        },
        notSettled: decideNotSettled,
        requeued: (records) => {
          // Counted here, after the journal moved them back to the queue: a check that failed half-way
          // (an RPC fault) is run again without using up a retry.
          for (const r of records) requeues.set(r.id, (requeues.get(r.id) ?? 0) + 1);
          return dispatch(records);
        },
        changed,
        mined: (receipt, kind, items) => metrics?.mined(receipt, kind, items),
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
          free: () => batcher?.laneFree(network.chainId),
        },
      }),
    );
    for (const lane of lanes) laneMap.set(lane.address.toLowerCase(), lane);
    lanesByChain.set(network.chainId, lanes);
    trackers.set(network.chainId, tracker);
  }

  // A follower only journals: the writer picks its received rows up.
  const admissions = createAdmissionGroup(store, (records) => (writing ? dispatch(records) : Promise.resolve()));

  /** Admitted into the journal, or answered without it (invalid, or settled by someone else). */
  type Admission = { record: SettlementRecord } | { answer: SettleOutcome };

  const admit = async (payment: ExactPayment, network: NetworkRuntime): Promise<Admission> => {
    if (!hasCapacity(network.chainId)) {
      throw new QueueFullError({ network: network.caip2, retryAfterSeconds: 2 });
    }
    const checked = await checkPayment(verifyContext, payment, network, { chainCheck: config.settleChainCheck });
    if (!checked.isValid && checked.reason === Reason.nonceAlreadyUsed) {
      // Used before we ever saw it: if that transaction paid exactly this payment, the payment happened.
      const use = await findAuthorizationUse(network, payment, config.lookbackBlocks);
      if (use.kind === "paid") {
        return {
          answer: {
            status: "confirmed",
            payer: payment.authorization.from,
            txHash: use.txHash,
            blockNumber: use.blockNumber,
          },
        };
      }
    }
    if (!checked.isValid) {
      return {
        answer: {
          status: "failed",
          payer: payment.authorization.from,
          reason: checked.reason,
          message: checked.message,
          txHash: undefined,
        },
      };
    }
    // Committed with the other settlements of this turn, then dispatched with them: inserted as queued. A follower
    // inserts it received, for the writer to pick up.
    const { record } = await admissions.insert({
      id: randomUUID(),
      key: settlementKey(payment),
      fingerprint: paymentFingerprint(payment),
      payment,
      state: writing ? "queued" : "received",
    });
    return { record };
  };

  const outcomeOf = (record: SettlementRecord): SettleOutcome => {
    const payer = record.payment.authorization.from;
    if (record.state === "confirmed" && record.txHash) {
      return { status: "confirmed", payer, txHash: record.txHash, blockNumber: record.blockNumber, id: record.id };
    }
    if (record.state === "failed") {
      return {
        status: "failed",
        payer,
        reason: record.reason ?? Reason.transactionFailed,
        message: record.message,
        txHash: record.txHash,
        id: record.id,
      };
    }
    return { status: "pending", payer, txHash: record.txHash, id: record.id };
  };

  const waitForOutcome = async (id: string, timeoutMs: number): Promise<SettleOutcome> => {
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      // Listen before reading: a change that commits while the read is in flight still wakes this caller (the
      // journal is asynchronous, so the read and the wake-up are no longer one turn of the event loop).
      let wake: () => void = () => {};
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const set = waiters.get(id) ?? new Set();
      set.add(wake);
      waiters.set(id, set);
      let timer: NodeJS.Timeout | undefined;
      try {
        const record = await store.getById(id);
        if (!record) throw new Error(`settlement ${id} vanished from the journal`);
        const outcome = outcomeOf(record);
        const remaining = deadline - clock.now();
        if (outcome.status !== "pending" || remaining <= 0) return outcome;
        // A follower's journal rows are moved by the writer, another process: no wake-up comes, so it polls.
        const wait = writing || !shared ? remaining : Math.min(remaining, shared.pollMs);
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)))]);
      } finally {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && waiters.get(id) === set) waiters.delete(id);
      }
    }
  };

  /** The writer's start: reconciles the journal with the chain, starts the trackers (and a shared journal's pickup). */
  const startWriting = async (): Promise<void> => {
    for (const network of networks) {
      if (batcher && batchSubmitter) {
        // Fail fast on a wrong router address; an unreachable RPC only delays the check to the first batch.
        await batchSubmitter.checkRouter(network.client, network.chainId).catch((error: unknown) => {
          if (error instanceof RouterMisconfiguredError || !isTransportError(error)) throw error;
          logger.warn({ network: network.caip2, err: errorSummary(error) }, "cannot check the batch router yet");
        });
      }
      const lanes = lanesByChain.get(network.chainId) ?? [];
      // Seed every nonce allocator now if the RPC answers; otherwise each lane seeds itself before its
      // first transaction, and the facilitator starts degraded instead of crash-looping.
      await Promise.all(
        lanes.map((lane) =>
          lane.start().catch((error: unknown) => {
            logger.warn({ signer: lane.address, err: errorSummary(error) }, "cannot seed the signer nonce yet");
          }),
        ),
      );
      const tracker = trackers.get(network.chainId) as Tracker;
      // In-flight rows: re-send exactly the persisted bytes, lowest nonce first, then track (I2).
      const inFlight = await store.listByState(inFlightStates, network.chainId);
      const slots = new Map<string, { signer: Address; nonce: number }>();
      for (const r of inFlight) {
        if (r.signer === undefined || r.signerNonce === undefined) continue;
        slots.set(`${r.signer}:${r.signerNonce}`, { signer: r.signer, nonce: r.signerNonce });
      }
      const ordered = [...slots.values()].sort((a, b) => a.nonce - b.nonce);
      for (const slot of ordered) {
        const lane = lanes.find((l) => l.address.toLowerCase() === slot.signer.toLowerCase());
        const latest = (await store.attemptsForSlot(network.chainId, slot.signer, slot.nonce)).at(-1);
        if (!lane) {
          logger.warn(
            { signer: slot.signer, nonce: slot.nonce },
            "an in-flight transaction belongs to a signer no longer configured; it is tracked but never replaced",
          );
        } else if (!tracker.has(slot)) lane.adopted();
        if (lane && latest) {
          const result = await lane.rebroadcast(latest);
          logger.info(
            { signer: slot.signer, nonce: slot.nonce, hash: latest.hash, result },
            "reconciling a persisted transaction",
          );
        }
        tracker.track({ signer: (lane?.address ?? slot.signer) as Address, nonce: slot.nonce });
      }
      tracker.start();
      // Never-sent rows go back to the queue (expired ones fail truthfully when their turn comes).
      await dispatch(await store.listByState(unsentStates, network.chainId));
    }
    if (shared) startPickup();
  };

  /** The writer of a shared journal: dispatches the rows followers admitted (`received`), every `pollMs`. */
  const startPickup = () => {
    if (!shared || pickupTimer) return;
    let running = false;
    const pickup = async () => {
      if (running || draining) return;
      running = true;
      try {
        for (const network of networks) {
          const received = await store.listByState(["received"], network.chainId);
          if (received.length === 0) continue;
          // One journal transaction for the lot; if another dispatch moved one of them meanwhile, row by row.
          const queued = await store.markQueued(received.map((r) => r.id)).then(
            () => received.map((r) => ({ ...r, state: "queued" as const })),
            (error: unknown) => {
              if (error instanceof InvalidTransitionError) return received;
              throw error;
            },
          );
          await dispatch(queued);
        }
      } catch (error) {
        logger.warn({ err: errorSummary(error) }, "cannot pick up the journal's received settlements yet");
      } finally {
        running = false;
      }
    };
    pickupTimer = setInterval(() => void pickup(), shared.pollMs);
    pickupTimer.unref();
  };

  const engine: SettlementEngine = {
    async verify(request) {
      const parsed = parsePayment(verifyContext, request);
      if (!parsed.ok) return { isValid: false, payer: parsed.payer, reason: parsed.reason, message: parsed.message };
      return checkPayment(verifyContext, parsed.payment, parsed.network);
    },

    async settle(request) {
      const parsed = parsePayment(verifyContext, request);
      if (!parsed.ok) {
        return {
          outcome: {
            status: "failed",
            payer: parsed.payer as Address,
            reason: parsed.reason,
            message: parsed.message,
            txHash: undefined,
          },
          payment: undefined,
        };
      }
      const { payment, network } = parsed;
      const key = settlementKey(payment);
      const fingerprint = paymentFingerprint(payment);
      let record = await store.getByKey(key);
      if (!record) {
        if (draining) throw new ShuttingDownError();
        const flightKey = `${key.chainId}:${key.asset}:${key.from}:${key.nonce}:${fingerprint}`;
        let admission = admitting.get(flightKey);
        if (!admission) {
          admission = admit(payment, network).finally(() => admitting.delete(flightKey));
          admitting.set(flightKey, admission);
        }
        const admitted = await admission;
        if ("answer" in admitted) return { outcome: admitted.answer, payment };
        record = admitted.record;
      }
      if (record.fingerprint !== fingerprint) {
        return {
          outcome: {
            status: "failed",
            payer: payment.authorization.from,
            reason: Reason.duplicateSettlement,
            message: `authorization nonce ${payment.authorization.nonce} of ${payment.authorization.from} was already presented with a different payload (settlement ${record.id})`,
            txHash: undefined,
          },
          payment,
        };
      }
      return { outcome: await waitForOutcome(record.id, config.settleTimeoutMs), payment };
    },

    outcomeOf,
    getSettlement: (id) => store.getById(id),

    async start() {
      if (writing) await startWriting();
    },

    async promote() {
      if (writing) return;
      writing = true;
      logger.info("this facilitator is the journal's writer now: reconciling, then signing");
      await startWriting();
    },

    role: () => (writing ? "writer" : "follower"),

    async drain(timeoutMs) {
      draining = true;
      batcher?.flushAll();
      const deadline = clock.now() + timeoutMs;
      const busy = () =>
        [...lanesByChain.values()].flat().some((l) => l.depth() > 0) ||
        (batcher?.size() !== undefined && batcher.size() > 0);
      while (busy() && clock.now() < deadline) {
        for (const t of trackers.values()) t.poke();
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    stop() {
      clearInterval(pickupTimer);
      for (const t of trackers.values()) t.stop();
      for (const t of retryTimers) clearTimeout(t);
      retryTimers.clear();
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
