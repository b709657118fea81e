import type { Logger } from "pino";
import { type Address, type Hex, keccak256, type LocalAccount, parseTransaction } from "viem";
import { isTransportError } from "../chain/isTransportError.js";
import type { NetworkRuntime } from "../chain/networkRuntime.js";
import { rpcErrorText } from "../chain/rpcErrorText.js";
import type { Clock } from "../domain/clock.js";
import { errorSummary, redactHex } from "../domain/errorSummary.js";
import { LeaseLostError, RpcUnavailableError, TransactionGasCapError } from "../domain/errors.js";
import type { PaymentStore } from "../domain/store.js";
import type { TxAttempt } from "../domain/types.js";
import type { Faults } from "../engine/faults.js";
import type { FeeOracle, Fees } from "./feeOracle.js";

/** A transaction the lane must get on chain for some settlements. */
export type TxJob = {
  kind: "direct" | "batch";
  /** Settlement ids carried, with their batch index. */
  items: { id: string; batchIndex: number | undefined }[];
  /**
   * Builds the call right before signing, for the lane's account (`sender`). It may drop items that can no
   * longer settle (expired, or failing a dry run) after recording their outcome, and returns `undefined` when
   * nothing is left to send. `gas`, when given, is an `eth_estimateGas` of exactly this call (the lane adds its
   * headroom); otherwise the lane estimates.
   */
  build(context: {
    sender: Address;
  }): Promise<{ to: Address; data: Hex; items: TxJob["items"]; gas?: bigint } | undefined>;
  /**
   * The call cannot be sent: the node refused to estimate it (it would revert), it needs more gas than a
   * transaction may have, or building or signing it kept failing. Decide its items; nothing was signed for them.
   */
  rejected(error: unknown, items: TxJob["items"]): Promise<void>;
};

/** What a lane reports to the engine. */
export type LaneEvents = {
  /** A transaction was persisted and broadcast (or its broadcast is unknown): track its receipt. */
  submitted(attempt: TxAttempt, items: TxJob["items"]): void;
  /** The lane became free (see {@link SignerLane.free}): a batcher that group-commits sends what waits. */
  free?(): void;
};

/** Parameters of {@link createSignerLane}. */
export type CreateSignerLaneParameters = {
  account: LocalAccount;
  network: NetworkRuntime;
  store: PaymentStore;
  fees: FeeOracle;
  faults: Faults;
  logger: Logger;
  clock: Clock;
  events: LaneEvents;
  /** Most jobs waiting plus transactions unconfirmed before new work is refused (503). */
  queueLimit: number;
  /** Percent added to `eth_estimateGas` (default 20). */
  gasHeadroomPercent: number;
  /** Most gas one transaction may ask for (EIP-7825: 2^24); the headroom is trimmed to fit under it. */
  maxTransactionGas: bigint;
};

/**
 * One signer on one network: the only writer for that account (I4). Jobs run one at a time in arrival
 * order: estimate, take the next account nonce, sign locally, persist hash + raw bytes + nonce (I1),
 * then broadcast the raw bytes. Receipts are awaited elsewhere, so the lane pipelines transactions.
 */
export type SignerLane = {
  readonly address: Address;
  readonly network: NetworkRuntime;
  /** Jobs waiting plus transactions not yet resolved. */
  depth(): number;
  /** No job waiting or running and no transaction unresolved: a new job would be signed and sent at once. */
  free(): boolean;
  hasCapacity(): boolean;
  /** Seeds the nonce allocator from the chain's pending nonce and the journal. */
  start(): Promise<void>;
  enqueue(job: TxJob): void;
  /** Replaces a stuck transaction: same nonce, same calldata, higher fee. */
  replace(attempt: TxAttempt): void;
  /** Re-sends exactly the bytes of a persisted transaction (always safe). Resolves with the node's answer. */
  rebroadcast(attempt: TxAttempt): Promise<BroadcastResult>;
  /**
   * Forgets what this lane knew of its account (unresolved transactions, the next nonce): its signer's lease went to
   * another instance, which tracks them now. The next job re-reads the nonce from the chain and the journal.
   */
  reset(): void;
  /** Counts a transaction found in the journal at start-up as unresolved (the tracker releases it later). */
  adopted(): void;
  /** Called by the tracker when a transaction of this lane is resolved. */
  released(): void;
  /** Resolves when no job is waiting or running. */
  idle(): Promise<void>;
  /** Whether the last chain interaction of this lane failed at the transport level. */
  healthy(): boolean;
};

/** How a node answered a raw transaction. */
export type BroadcastResult =
  /** Accepted now or earlier ("already known"). */
  | "accepted"
  /** The account nonce is taken by another transaction, or another one holds it in the pool. */
  | "nonce-conflict"
  /** No answer (transport failure): the node may or may not have it. */
  | "unknown"
  /** Refused for another reason (fees, funds, gas limit); the message is logged. */
  | "rejected";

type Work = { kind: "job"; job: TxJob } | { kind: "replace"; attempt: TxAttempt };

/** Unexpected (non-transport) errors in a row after which a job is handed back instead of retried in place. */
const MAX_JOB_FAULTS_IN_A_ROW = 3;

/**
 * Creates the lane of one signer account on one network.
 *
 * @param parameters - See {@link CreateSignerLaneParameters}.
 * @returns A {@link SignerLane}.
 */
export function createSignerLane(parameters: CreateSignerLaneParameters): SignerLane {
  const { account, network, store, fees, faults, clock, events, queueLimit, gasHeadroomPercent, maxTransactionGas } =
    parameters;
  const logger = parameters.logger.child({ signer: account.address, network: network.caip2 });
  const queue: Work[] = [];
  let running = false;
  let inflight = 0;
  let nextNonce: number | undefined;
  let transportOk = true;
  let idleWaiters: (() => void)[] = [];
  /** Fees of the last replacement the node refused, by account nonce (cleared once one is accepted). */
  const refused = new Map<number, Fees>();

  const resync = async (): Promise<void> => {
    const pending = await network.client.getTransactionCount({ address: account.address, blockTag: "pending" });
    const journal = await store.highestNonce(network.chainId, account.address);
    nextNonce = Math.max(pending, journal === undefined ? 0 : journal + 1);
  };

  const broadcast = async (raw: Hex): Promise<BroadcastResult> => {
    try {
      await network.client.request({ method: "eth_sendRawTransaction", params: [raw] });
      transportOk = true;
      return "accepted";
    } catch (error) {
      // The node's words first: some answer "already known" or "nonce too low" with a provider-fault code.
      const text = rpcErrorText(error);
      if (/already known|known transaction|already imported|already in the mempool/.test(text)) return "accepted";
      if (/nonce too low|nonce has already been used|replacement transaction underpriced|already used/.test(text)) {
        return "nonce-conflict";
      }
      if (isTransportError(error)) {
        transportOk = false;
        return "unknown";
      }
      transportOk = true;
      logger.warn({ err: redactHex(text).slice(0, 500) }, "node refused a transaction");
      return "rejected";
    }
  };

  /** One try at a job. Returns `true` when done, `false` to retry after a pause. */
  const tryJob = async (job: TxJob): Promise<boolean> => {
    // Fees are read while the call is built (dry run and estimate), not after: one round trip less per job.
    const pendingFee = fees.current();
    pendingFee.catch(() => {});
    const built = await job.build({ sender: account.address });
    if (!built) return true;
    let gas: bigint;
    try {
      gas =
        built.gas ?? (await network.client.estimateGas({ account: account.address, to: built.to, data: built.data }));
    } catch (error) {
      if (isTransportError(error)) throw error;
      await job.rejected(error, built.items);
      return true;
    }
    if (gas > maxTransactionGas) {
      // No chain would take it (EIP-7825): nothing was signed, so the job decides what to do (a batch splits).
      await job.rejected(new TransactionGasCapError({ gas, cap: maxTransactionGas }), built.items);
      return true;
    }
    gas = (gas * BigInt(100 + gasHeadroomPercent)) / 100n;
    if (gas > maxTransactionGas) gas = maxTransactionGas;
    const fee = await pendingFee;
    if (nextNonce === undefined) await resync();
    const nonce = nextNonce as number;
    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: network.chainId,
      nonce,
      to: built.to,
      data: built.data,
      gas,
      maxFeePerGas: fee.maxFeePerGas,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas,
    });
    const attempt: TxAttempt = {
      chainId: network.chainId,
      signer: account.address,
      nonce,
      hash: keccak256(raw),
      raw,
      maxFeePerGas: fee.maxFeePerGas,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas,
      kind: job.kind,
      createdAt: clock.now(),
    };
    // I1: the transaction is known by hash before it can exist anywhere else.
    await store.recordSubmission({ attempt, items: built.items });
    nextNonce = nonce + 1;
    faults.at("crash-after-persist");
    const result = await broadcast(raw);
    const ids = built.items.map((i) => i.id);
    switch (result) {
      case "accepted":
        inflight++;
        events.submitted(attempt, built.items);
        faults.at(job.kind === "batch" ? "crash-after-batch-broadcast" : "crash-after-broadcast");
        return true;
      case "unknown":
        // The node may have it: keep the nonce taken and let the tracker re-send the same bytes (I2).
        await store.markUnknown(ids, "broadcast outcome unknown (RPC unreachable)");
        inflight++;
        events.submitted(attempt, built.items);
        return true;
      default:
        // The node refused these bytes, so they can never be mined: the payment may get a new
        // transaction (I2). Re-read the nonce before the next try (I4).
        logger.info({ nonce, result, hash: attempt.hash }, "transaction refused; retrying with a fresh nonce");
        await store.requeue(ids, [attempt.hash]);
        await resync();
        return false;
    }
  };

  const tryReplace = async (previous: TxAttempt): Promise<void> => {
    const still = await store.settlementsForSlot(previous.chainId, previous.signer, previous.nonce);
    if (!still.some((s) => s.state === "submitted" || s.state === "unknown")) return;
    const tx = parseTransaction(previous.raw);
    if (tx.type !== "eip1559" || tx.to == null) return;
    // After a refused replacement, bump from its fees: the same fees would sign the same refused bytes.
    const refusedFee = refused.get(previous.nonce);
    const fee = await fees.replacement({
      maxFeePerGas: max(previous.maxFeePerGas, refusedFee?.maxFeePerGas ?? 0n),
      maxPriorityFeePerGas: max(previous.maxPriorityFeePerGas, refusedFee?.maxPriorityFeePerGas ?? 0n),
    });
    if (!fee) {
      logger.warn(
        { nonce: previous.nonce, hash: previous.hash },
        "stuck transaction not replaced: fee ceiling reached",
      );
      return;
    }
    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: network.chainId,
      nonce: previous.nonce,
      to: tx.to,
      data: tx.data ?? "0x",
      gas: tx.gas ?? 0n,
      maxFeePerGas: fee.maxFeePerGas,
      maxPriorityFeePerGas: fee.maxPriorityFeePerGas,
    });
    const attempt: TxAttempt = { ...previous, hash: keccak256(raw), raw, ...fee, createdAt: clock.now() };
    await store.recordReplacement(attempt);
    const result = await broadcast(raw);
    if (result === "rejected" || result === "nonce-conflict") {
      // Refused bytes can never be mined: they must not become the slot's latest attempt, or every later
      // re-send and fee bump would start from a transaction that does not exist.
      await store.abandonReplacement(attempt, previous);
      refused.set(previous.nonce, fee);
      logger.warn(
        { nonce: previous.nonce, old: previous.hash, refused: attempt.hash, result },
        "the node refused a replacement; the previous attempt stays the latest",
      );
      return;
    }
    refused.delete(previous.nonce);
    logger.info(
      { nonce: previous.nonce, old: previous.hash, new: attempt.hash, result },
      "replaced a stuck transaction",
    );
  };

  const isFree = () => !running && queue.length === 0 && inflight === 0;
  /** Tells the engine, once the current call stack is done, that the lane is free (if it still is). */
  let freeScheduled = false;
  const announceFree = () => {
    if (!events.free || freeScheduled || !isFree()) return;
    freeScheduled = true;
    queueMicrotask(() => {
      freeScheduled = false;
      if (isFree()) events.free?.();
    });
  };

  const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5000)));

  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const work = queue[0] as Work;
        let faultsInARow = 0;
        for (let attempt = 0; ; attempt++) {
          try {
            if (work.kind === "replace") {
              await tryReplace(work.attempt);
              break;
            }
            if (await tryJob(work.job)) break;
          } catch (error) {
            // An unreachable RPC (raw, or already wrapped by `withRpc` in a job's build) is retried quietly.
            if (isTransportError(error) || error instanceof RpcUnavailableError) transportOk = false;
            else if (error instanceof LeaseLostError) {
              // Another instance holds this signer now: nothing of it may be signed here. Hand the job back at once
              // (only queued items are ever sent again; the dispatch gives them to a lane this instance holds).
              logger.warn({ err: errorSummary(error) }, "signer lease lost; handing the job back");
              if (work.kind === "job") {
                await work.job.rejected(error, work.job.items).catch((handBack: unknown) => {
                  logger.error({ err: errorSummary(handBack) }, "could not hand a job back");
                });
              }
              break;
            } else {
              logger.error({ err: errorSummary(error) }, "signer lane error");
              // A job that keeps failing before anything is signed (a broken signer, a payment that breaks the
              // batch encoding) must not hold every later job of this signer: hand it back. Only queued items
              // are ever sent again, so nothing persisted can be sent twice; the job decides (a batch splits,
              // a lone payment is retried later on its own), and nothing is failed that could still settle.
              if (work.kind === "job" && ++faultsInARow >= MAX_JOB_FAULTS_IN_A_ROW) {
                try {
                  await work.job.rejected(error, work.job.items);
                  break;
                } catch (handBack) {
                  logger.error({ err: errorSummary(handBack) }, "could not hand a failing job back; retrying it");
                }
              }
            }
            if (work.kind === "replace") break;
          }
          await pause(attempt);
        }
        queue.shift();
      }
    } finally {
      running = false;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
      announceFree();
    }
  };

  return {
    address: account.address,
    network,
    depth: () => queue.length + inflight,
    free: isFree,
    hasCapacity: () => queue.length + inflight < queueLimit,
    start: resync,
    enqueue(job) {
      queue.push({ kind: "job", job });
      void run();
    },
    replace(attempt) {
      queue.push({ kind: "replace", attempt });
      void run();
    },
    rebroadcast: (attempt) => broadcast(attempt.raw),
    adopted() {
      inflight++;
    },
    reset() {
      inflight = 0;
      nextNonce = undefined;
      refused.clear();
    },
    released() {
      if (inflight > 0) inflight--;
      announceFree();
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    healthy: () => transportOk,
  };
}

/** The larger of two bigints (`Math.max` does not take them). */
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
