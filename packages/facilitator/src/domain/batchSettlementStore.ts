import type { Address, Hex } from "viem";

/**
 * One on-chain write of the `batch-settlement` scheme (a deposit, a claim batch, a settle sweep or a refund), or of
 * a Permit2 proxy (`exact` over Permit2, `upto`), journaled beside the EIP-3009 settlements: the engine's items are `transferWithAuthorization` payments, these
 * are contract calls with their own idempotency keys (see `schemes/batchSettlement/idempotencyKey.ts`).
 *
 * States: `received` (persisted, nothing signed) → `submitted` (signed bytes and hash persisted before the
 * broadcast, I1) → `done` (a mined receipt decided it; `answer` is the final wire answer).
 */
export type BatchSettlementIntent = {
  key: string;
  /** `permit2_exact` / `permit2_upto`: a Permit2 proxy's `settle` (migration 3; see `schemes/permit2/`). */
  kind: "deposit" | "claim" | "settle" | "refund" | "permit2_exact" | "permit2_upto";
  chainId: number;
  /** Hash of the request that created the key; a different payload under the same key is refused (I3). */
  fingerprint: Hex;
  state: "received" | "submitted" | "done";
  signer: Address | undefined;
  signerNonce: number | undefined;
  txHash: Hex | undefined;
  rawTx: Hex | undefined;
  /** The final answer (JSON), once `done`. */
  answer: string | undefined;
  createdAt: number;
  updatedAt: number;
};

/**
 * The journal of batch-settlement writes (port). Both journals (SQLite and Postgres) hold it in their database
 * (migration 2, `store/sql/createSqlBatchSettlementStore.ts`); every method is atomic. Under signer leases every
 * write of a sender's intent is fenced by that sender's lease, as the settlement journal's writes are by their
 * signers' (`LeaseLostError`).
 */
export interface BatchSettlementStore {
  getIntent(key: string): Promise<BatchSettlementIntent | undefined>;
  /**
   * Inserts a `received` intent unless the key exists; returns the stored row and whether this call created it.
   * `signer`: the account that will send it; under signer leases the insert (and every later write of the row) is
   * refused with `LeaseLostError` unless this instance holds that account's lease.
   */
  insertIntent(input: {
    key: string;
    kind: BatchSettlementIntent["kind"];
    chainId: number;
    fingerprint: Hex;
    signer?: Address;
  }): Promise<{ intent: BatchSettlementIntent; created: boolean }>;
  /** Persists the signed transaction of a `received` intent and moves it to `submitted` (before broadcast). */
  recordIntentTransaction(
    key: string,
    tx: { signer: Address; signerNonce: number; hash: Hex; raw: Hex },
  ): Promise<void>;
  /**
   * {@link recordIntentTransaction} for several `received` intents sent in one transaction, in one database
   * transaction: all move to `submitted` or none does.
   */
  recordIntentsTransaction(
    keys: readonly string[],
    tx: { signer: Address; signerNonce: number; hash: Hex; raw: Hex },
  ): Promise<void>;
  /** Writes the final answer of a `submitted` intent. */
  finishIntent(key: string, answer: string): Promise<void>;
  /** Forgets a `received` intent (nothing was signed), so a retry re-verifies from scratch. */
  dropIntent(key: string): Promise<void>;
  /**
   * Forgets a `submitted` intent whose transaction `hash` the node refused and does not hold (it can never be mined),
   * so a retry signs afresh.
   */
  dropRefusedIntent(key: string, hash: Hex): Promise<void>;
  /** Intents in `submitted`, oldest first (reconciled at start). */
  listSubmittedIntents(): Promise<BatchSettlementIntent[]>;
}

/** A journal that also holds the batch-settlement intents (both journals do). */
export type BatchSettlementStoreHost = { readonly batchSettlement: BatchSettlementStore };
