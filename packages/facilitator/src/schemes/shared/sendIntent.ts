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
 * The seam with the engine: same journal database (own table, migrations 2 and 3), same RPC clients, own sender key.
 * One sender (one lock) per account: schemes that share an account share its sender.
 */
import type { Logger } from "pino";
import {
  type Address,
  type Hex,
  keccak256,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  WaitForTransactionReceiptTimeoutError,
} from "viem";
import { isTransportError } from "../../chain/isTransportError.js";
import type { BatchSettlementIntent, BatchSettlementStore } from "../../domain/batchSettlementStore.js";
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
};

/** Creates the sender of the scheme's transactions. */
export function createIntentSender(parameters: {
  account: LocalAccount;
  store: BatchSettlementStore;
  settleTimeoutMs: number;
  logger: Logger;
}): IntentSender {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    ...parameters,
    inFlight: new Map(),
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
};

/**
 * Sends one write exactly once per idempotency key and answers as the official facilitator does.
 *
 * @returns The final answer, or `settlement_pending` with the hash while the chain has not decided.
 */
export function sendIntent(sender: IntentSender, parameters: SendIntentParameters): Promise<SchemeSettleResponse> {
  const joined = sender.inFlight.get(parameters.key);
  if (joined) return joined;
  const run = runIntent(sender, parameters).finally(() => sender.inFlight.delete(parameters.key));
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
  if (!existing) await store.insertIntent({ key: p.key, kind: p.kind, chainId: p.chainId, fingerprint: p.fingerprint });

  const prepared = await p.prepare().catch((error: unknown) => ({
    refusal: fail(p.failedReason, error instanceof Error ? error.message.slice(0, 400) : String(error)),
  }));
  if ("refusal" in prepared) {
    await store.dropIntent(p.key);
    return prepared.refusal;
  }

  const account = sender.account;
  let signed: { hash: Hex; raw: Hex };
  try {
    signed = await sender.lock(async () => {
      const [nonce, fees, gas] = await Promise.all([
        p.client.getTransactionCount({ address: account.address, blockTag: "pending" }),
        p.client.estimateFeesPerGas(),
        p.client.estimateGas({ account: account.address, ...prepared.call }),
      ]);
      const raw = await account.signTransaction!({
        chainId: p.chainId,
        type: "eip1559",
        nonce,
        to: prepared.call.to,
        data: prepared.call.data,
        gas: gas + (gas * GAS_HEADROOM_PERCENT) / 100n,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
      const hash = keccak256(raw);
      // I1: the bytes are journaled before they can reach the network.
      await store.recordIntentTransaction(p.key, { signer: account.address, signerNonce: nonce, hash, raw });
      try {
        await p.client.sendRawTransaction({ serializedTransaction: raw });
      } catch (error) {
        if (isTransportError(error)) return { hash, raw }; // it may be out: the receipt decides
        const known = await p.client.getTransaction({ hash }).then(
          () => true,
          () => false,
        );
        if (!known) {
          // The node refused these bytes and does not hold them, so they can never be mined: forget them (never
          // rebroadcast) and answer this call with the failure. The key stays free, so a later identical request
          // prepares and signs afresh instead of inheriting a refusal that may have been passing (a fee or nonce race).
          await store.dropRefusedIntent(p.key, hash);
          throw new RefusedBroadcast(
            JSON.stringify(fail(p.failedReason, error instanceof Error ? error.message.slice(0, 400) : String(error))),
          );
        }
      }
      return { hash, raw };
    });
  } catch (error) {
    if (error instanceof RefusedBroadcast) return JSON.parse(error.message) as SchemeSettleResponse;
    // Signed and journaled before the failure: the receipt decides, never a guess (I6).
    const after = await store.getIntent(p.key);
    if (after?.state === "submitted") return track(sender, p, after);
    await store.dropIntent(p.key); // nothing was recorded as signed
    return fail(p.failedReason, error instanceof Error ? error.message.slice(0, 400) : String(error));
  }
  const submitted = await store.getIntent(p.key);
  if (!submitted) throw new Error(`intent ${p.key} vanished`);
  sender.logger.info({ key: p.key, tx: signed.hash }, "intent transaction sent");
  return track(sender, p, submitted, false);
}

/** The node refused the signed bytes; `message` is the JSON failure answer. */
class RefusedBroadcast extends Error {}

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
    receipt.status === "success"
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
