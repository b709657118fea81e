/**
 * The durable path of every on-chain write of the schemes that call contracts themselves (`batch-settlement`'s
 * deposit, claim, settle and refund; the Permit2 proxies' `settle` of `exact` and `upto`). It holds the
 * settlement engine's invariants for contract calls that are not `transferWithAuthorization` items:
 *
 * - I1: the intent (idempotency key + payload fingerprint) is persisted before anything is signed, and the
 *   signed bytes and their hash are persisted before they are broadcast;
 * - I2/I3: a key that has a transaction never gets a second one: a retry (or a concurrent call, which joins the
 *   first) waits on the stored hash, after rebroadcasting the same signed bytes; a different payload under the
 *   same key is refused;
 * - I4: one account sends these transactions, under one lock (it must not be one of the engine's lane keys);
 * - I6: a wait that runs out answers `settlement_pending` with the hash, never a failure; the receipt decides.
 *
 * Intents marked {@link BatchableIntent} that wait for the account's lock together go out in one transaction: one
 * Multicall3 `aggregate3` call with every call allowed to fail, so one payment that fails on chain does not take the
 * others down; each then reads its own effect from the receipt. A lone intent is sent as it is, at once.
 *
 * The seam with the engine: same journal database (own table, migrations 2 and 3), same RPC clients, own sender key.
 * One sender (one lock) per account: schemes that share an account share its sender.
 */

import { MULTICALL3_ADDRESS } from "@x402kit/bindings";
import type { Logger } from "pino";
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  type LocalAccount,
  multicall3Abi,
  type PublicClient,
  type TransactionReceipt,
  WaitForTransactionReceiptTimeoutError,
} from "viem";
import { isTransportError } from "../../chain/isTransportError.js";
import type { BatchSettlementIntent, BatchSettlementStore } from "../../domain/batchSettlementStore.js";
import { LeaseLostError, NotWriterError } from "../../domain/errors.js";
import type { SchemeSettleResponse } from "./types.js";

/** x402's shared "not final yet" answer (I6). */
export const SETTLEMENT_PENDING = "settlement_pending";

/** Gas headroom over the node's estimate, in percent. */
const GAS_HEADROOM_PERCENT = 20n;

export type IntentSender = {
  readonly account: LocalAccount;
  readonly store: BatchSettlementStore;
  readonly settleTimeoutMs: number;
  readonly logger: Logger;
  /** Serialises signing per account (I4). */
  lock<T>(run: () => Promise<T>): Promise<T>;
  /** Joins concurrent calls for one key. */
  readonly inFlight: Map<string, Promise<SchemeSettleResponse>>;
  /** Batchable intents waiting for the lock, oldest first. */
  readonly queue: Queued[];
  /** Most intents in one transaction. */
  readonly maxBatch: number;
  /**
   * Whether this instance may sign for the account now (the journal's writer; under signer leases, the holder of
   * the account's lease, handed over). Asked before every signature: a sender that lost its lease signs nothing
   * more, even for a call already under way (and the journal refuses what it would persist: `LeaseLostError`).
   */
  sending(): boolean;
};

/** What lets an intent share a transaction with others. */
export type BatchableIntent = {
  /** Intents of one group never share a transaction (their effects could not be told apart in the receipt). */
  group: string;
  /** Whether this intent's call took effect in a successful transaction (in a shared one, a call can fail alone). */
  tookEffect(receipt: TransactionReceipt): boolean;
};

type Call = { to: Address; data: Hex };
type Signed = { hash: Hex; raw: Hex };
/** One intent's outcome of signing: its transaction, the node's refusal, or an error before anything was sent. */
type SendOutcome = { signed: Signed } | { refused: SchemeSettleResponse } | { error: unknown };
type Queued = { p: SendIntentParameters; call: Call; done(outcome: SendOutcome): void };

const multicall3 = getAddress(MULTICALL3_ADDRESS);
const hasMulticall3 = new WeakMap<PublicClient, Promise<boolean>>();
/** Whether Multicall3 has code on the client's chain (asked once per client). */
function multicall3On(client: PublicClient): Promise<boolean> {
  let known = hasMulticall3.get(client);
  if (!known) {
    known = client.getCode({ address: multicall3 }).then(
      (code) => code !== undefined && code !== "0x",
      () => false,
    );
    hasMulticall3.set(client, known);
    known.then((yes) => {
      if (!yes) hasMulticall3.delete(client); // asked again next time: it may be deployed later
    });
  }
  return known;
}

/** Creates the sender of the scheme's transactions. */
export function createIntentSender(parameters: {
  account: LocalAccount;
  store: BatchSettlementStore;
  settleTimeoutMs: number;
  logger: Logger;
  /** Most batchable intents in one transaction (default 50; 1 sends each alone). */
  maxBatch?: number;
  /** See {@link IntentSender.sending}; default: always. */
  sending?: () => boolean;
}): IntentSender {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    ...parameters,
    maxBatch: Math.max(1, parameters.maxBatch ?? 50),
    sending: parameters.sending ?? (() => true),
    inFlight: new Map(),
    queue: [],
    lock<T>(run: () => Promise<T>): Promise<T> {
      const result = tail.then(run);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

export type SendIntentParameters = {
  client: PublicClient;
  chainId: number;
  network: string;
  key: string;
  kind: BatchSettlementIntent["kind"];
  fingerprint: Hex;
  payer: string | undefined;
  /** Reason of a mined but reverted transaction (and of a broadcast the node refused). */
  failedReason: string;
  /** Reason of a different payload under a key already used (I3). */
  conflictReason: string;
  /**
   * Runs only while nothing is signed for the key: the checks and the simulation. Returns the call to send, or a
   * refusal (nothing is kept, so a retry checks again, as the official facilitator does).
   */
  prepare(): Promise<{ call: { to: Address; data: Hex } } | { refusal: SchemeSettleResponse }>;
  /** The success answer of a mined transaction. */
  onMined(receipt: TransactionReceipt): Promise<SchemeSettleResponse>;
  /** Set when the call may share a transaction with other intents of the same chain. */
  batch?: BatchableIntent;
};

/** The refusal of a sender that may not sign now (answered 503 `not_writer`, retried where the sender is held). */
export function notSending(sender: IntentSender): NotWriterError {
  return new NotWriterError(`send the transactions of ${sender.account.address}`, "lease");
}

/**
 * Sends one write exactly once per idempotency key and answers as the official facilitator does.
 *
 * @returns The final answer, or `settlement_pending` with the hash while the chain has not decided.
 */
export function sendIntent(sender: IntentSender, parameters: SendIntentParameters): Promise<SchemeSettleResponse> {
  const joined = sender.inFlight.get(parameters.key);
  if (joined) return joined;
  const run = runIntent(sender, parameters)
    .catch((error: unknown) => {
      // The account's lease went to another instance mid-call: nothing more was persisted, so nothing was sent;
      // the client retries where the lease is now (503 not_writer).
      if (error instanceof LeaseLostError) throw notSending(sender);
      throw error;
    })
    .finally(() => sender.inFlight.delete(parameters.key));
  sender.inFlight.set(parameters.key, run);
  return run;
}

async function runIntent(sender: IntentSender, p: SendIntentParameters): Promise<SchemeSettleResponse> {
  const { store } = sender;
  const fail = (errorReason: string, errorMessage?: string, transaction = ""): SchemeSettleResponse => ({
    success: false,
    errorReason,
    ...(errorMessage ? { errorMessage } : {}),
    transaction,
    network: p.network,
    ...(p.payer ? { payer: p.payer } : {}),
  });

  const existing = await store.getIntent(p.key);
  if (existing && existing.fingerprint !== p.fingerprint) {
    return fail(p.conflictReason, "a different payload was already settled under this idempotency key");
  }
  if (existing?.state === "done" && existing.answer) return JSON.parse(existing.answer) as SchemeSettleResponse;
  if (existing?.state === "submitted") return track(sender, p, existing);
  if (!existing) {
    await store.insertIntent({
      key: p.key,
      kind: p.kind,
      chainId: p.chainId,
      fingerprint: p.fingerprint,
      signer: sender.account.address,
    });
  }

  const prepared = await p.prepare().catch((error: unknown) => ({
    refusal: fail(p.failedReason, error instanceof Error ? error.message.slice(0, 400) : String(error)),
  }));
  if ("refusal" in prepared) {
    await store.dropIntent(p.key);
    return prepared.refusal;
  }

  const outcome = p.batch
    ? await sendQueued(sender, p, prepared.call)
    : await sender.lock(async () => (await signAndSend(sender, [{ p, call: prepared.call }]))[0] as SendOutcome);
  if ("refused" in outcome) return outcome.refused;
  if ("error" in outcome) {
    const { error } = outcome;
    // Not this instance's to send (any more): the intent stays `received` for the lease's holder to send.
    if (error instanceof NotWriterError || error instanceof LeaseLostError) throw notSending(sender);
    // Signed and journaled before the failure: the receipt decides, never a guess (I6).
    const after = await store.getIntent(p.key);
    if (after?.state === "submitted") return track(sender, p, after);
    await store.dropIntent(p.key); // nothing was recorded as signed
    return fail(p.failedReason, error instanceof Error ? error.message.slice(0, 400) : String(error));
  }
  const signed = outcome.signed;
  const submitted = await store.getIntent(p.key);
  if (!submitted) throw new Error(`intent ${p.key} vanished`);
  sender.logger.info({ key: p.key, tx: signed.hash }, "intent transaction sent");
  return track(sender, p, submitted, false);
}

/**
 * Queues a batchable intent and takes the account's lock: whoever holds it next sends every queued intent of the
 * head's chain (distinct groups, at most `maxBatch`) in one transaction.
 */
function sendQueued(sender: IntentSender, p: SendIntentParameters, call: Call): Promise<SendOutcome> {
  return new Promise<SendOutcome>((resolve) => {
    sender.queue.push({ p, call, done: resolve });
    void sender.lock(async () => {
      const head = sender.queue[0];
      if (!head) return; // sent by an earlier holder of the lock
      const batch: Queued[] = [];
      const groups = new Set<string>();
      const shared = sender.maxBatch > 1 && sender.queue.length > 1 && (await multicall3On(head.p.client));
      for (const queued of [...sender.queue]) {
        if (batch.length >= (shared ? sender.maxBatch : 1)) break;
        const group = queued.p.batch?.group ?? queued.p.key;
        if (queued.p.chainId !== head.p.chainId || groups.has(group)) continue;
        groups.add(group);
        batch.push(queued);
        sender.queue.splice(sender.queue.indexOf(queued), 1);
      }
      let outcomes: SendOutcome[];
      try {
        outcomes = await signAndSend(sender, batch);
      } catch (error) {
        outcomes = batch.map(() => ({ error }));
      }
      for (const [i, queued] of batch.entries()) queued.done(outcomes[i] as SendOutcome);
    });
  });
}

/**
 * Signs one transaction for `items` (their call alone, or all of them through `aggregate3`), journals it for every
 * item in one database transaction, then broadcasts it. Runs under the account's lock.
 */
async function signAndSend(sender: IntentSender, items: readonly { p: SendIntentParameters; call: Call }[]) {
  const first = items[0] as { p: SendIntentParameters; call: Call };
  const { client, chainId } = first.p;
  const account = sender.account;
  // The lease may have gone while the call waited for the lock: sign nothing then (another instance sends now).
  if (!sender.sending()) throw notSending(sender);
  const call: Call =
    items.length === 1
      ? first.call
      : {
          to: multicall3,
          data: encodeFunctionData({
            abi: multicall3Abi,
            functionName: "aggregate3",
            args: [items.map((i) => ({ target: i.call.to, allowFailure: true, callData: i.call.data }))],
          }),
        };
  const [nonce, fees, gas] = await Promise.all([
    client.getTransactionCount({ address: account.address, blockTag: "pending" }),
    client.estimateFeesPerGas(),
    client.estimateGas({ account: account.address, ...call }),
  ]);
  const raw = await account.signTransaction!({
    chainId,
    type: "eip1559",
    nonce,
    to: call.to,
    data: call.data,
    gas: gas + (gas * GAS_HEADROOM_PERCENT) / 100n,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  });
  const hash = keccak256(raw);
  const tx = { signer: account.address, signerNonce: nonce, hash, raw };
  // I1: the bytes are journaled, for every item at once, before they can reach the network.
  if (items.length === 1) await sender.store.recordIntentTransaction(first.p.key, tx);
  else
    await sender.store.recordIntentsTransaction(
      items.map((i) => i.p.key),
      tx,
    );
  const sent: SendOutcome[] = items.map(() => ({ signed: { hash, raw } }));
  try {
    await client.sendRawTransaction({ serializedTransaction: raw });
  } catch (error) {
    if (isTransportError(error)) return sent; // it may be out: the receipt decides
    const known = await client.getTransaction({ hash }).then(
      () => true,
      () => false,
    );
    if (known) return sent;
    // The node refused these bytes and does not hold them, so they can never be mined: forget them (never
    // rebroadcast) and answer each call with the failure. The keys stay free, so a later identical request
    // prepares and signs afresh instead of inheriting a refusal that may have been passing (a fee or nonce race).
    const message = error instanceof Error ? error.message.slice(0, 400) : String(error);
    const refused: SendOutcome[] = [];
    for (const { p } of items) {
      await sender.store.dropRefusedIntent(p.key, hash);
      refused.push({
        refused: {
          success: false,
          errorReason: p.failedReason,
          errorMessage: message,
          transaction: "",
          network: p.network,
          ...(p.payer ? { payer: p.payer } : {}),
        },
      });
    }
    return refused;
  }
  if (items.length > 1) sender.logger.info({ items: items.length, tx: hash }, "intents sent in one transaction");
  return sent;
}

/** Waits (bounded) for the stored transaction's receipt and writes the final answer once the chain decided. */
async function track(
  sender: IntentSender,
  p: SendIntentParameters,
  intent: BatchSettlementIntent,
  rebroadcast = true,
): Promise<SchemeSettleResponse> {
  const hash = intent.txHash as Hex;
  if (rebroadcast && intent.rawTx) {
    // The same signed bytes are always safe to send again (I2); "already known" / "nonce too low" are fine.
    await p.client.sendRawTransaction({ serializedTransaction: intent.rawTx }).catch(() => undefined);
  }
  let receipt: TransactionReceipt;
  try {
    receipt = await p.client.waitForTransactionReceipt({ hash, timeout: sender.settleTimeoutMs, retryCount: 0 });
  } catch (error) {
    const message =
      error instanceof WaitForTransactionReceiptTimeoutError
        ? "the transaction is not mined yet; retry the same request for the outcome"
        : error instanceof Error
          ? error.message.slice(0, 400)
          : String(error);
    return {
      success: false,
      errorReason: SETTLEMENT_PENDING,
      errorMessage: message,
      transaction: hash,
      network: p.network,
      ...(p.payer ? { payer: p.payer } : {}),
    };
  }
  const answer: SchemeSettleResponse =
    receipt.status === "success" && (!p.batch || p.batch.tookEffect(receipt))
      ? await p.onMined(receipt)
      : {
          success: false,
          errorReason: p.failedReason,
          transaction: hash,
          network: p.network,
          ...(p.payer ? { payer: p.payer } : {}),
        };
  await sender.store.finishIntent(p.key, JSON.stringify(answer));
  return answer;
}

/**
 * Start-up reconciliation: rebroadcasts the signed bytes of every intent still `submitted` (a crash may have
 * come between journaling and sending). Their answers are written when the receipt is read, by the next
 * request with the same key.
 */
export async function rebroadcastSubmitted(
  sender: IntentSender,
  clientOf: (chainId: number) => PublicClient | undefined,
) {
  for (const intent of await sender.store.listSubmittedIntents()) {
    if (intent.signer?.toLowerCase() !== sender.account.address.toLowerCase()) continue; // another sender's
    const client = clientOf(intent.chainId);
    if (!client || !intent.rawTx) continue;
    await client.sendRawTransaction({ serializedTransaction: intent.rawTx }).catch(() => undefined);
  }
}
