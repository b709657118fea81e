import type { Address, Hex } from "viem";
import type { Reason } from "./reasons.js";
import type { ExactPayment, SettlementKey, SettlementRecord, SettlementState, TxAttempt } from "./types.js";

/** Input of {@link PaymentStore.insertSettlement}. */
export type NewSettlement = {
  id: string;
  key: SettlementKey;
  fingerprint: Hex;
  payment: ExactPayment;
  /**
   * `received` (default), or `queued` when the caller hands it to a lane or batcher right after the insert:
   * one commit instead of two on the settle path (both are unsent states, recovered alike at start-up).
   */
  state?: "received" | "queued";
};

/** Input of {@link PaymentStore.recordSubmission}: a signed transaction and the settlements it carries. */
export type Submission = {
  attempt: TxAttempt;
  /** Settlement ids carried, with their index in the batch (0 for direct). */
  items: { id: string; batchIndex: number | undefined }[];
};

/** A final outcome written by {@link PaymentStore.settle}. */
export type FinalOutcome =
  | { state: "confirmed"; txHash: Hex; blockNumber: bigint | undefined }
  | { state: "failed"; reason: Reason; message: string | undefined; txHash: Hex | undefined };

/** A signer key's lease: the one instance that signs for it until `expiresAt`, and the fencing token it got. */
export type SignerLease = {
  /** The signer address (lower case). */
  signer: Address;
  /** The instance id of the holder. */
  holder: string;
  /** Rises by one on every acquisition; the holder's writes of this signer's work commit only under it. */
  token: bigint;
  /** Ms since the epoch (the holder's clock) after which another instance may take the lease. */
  expiresAt: number;
};

/**
 * The signer leases of a journal several instances share: each signer key is held by one instance at a time,
 * through a lease row with an expiry and a fencing token. Once an instance acquired a lease, this store fences that
 * signer's writes with it: inserting a transaction of the signer, and moving a settlement one of its transactions
 * carries, commit only while the row's token is the one this instance got (checked inside the write transaction);
 * a write for a signer it holds no lease of is refused ({@link LeaseLostError}).
 */
export interface SignerLeases {
  /**
   * Takes the lease of `signer` for `holder` if it is free, released or expired (the token rises by one), or
   * renews it when `holder` holds it already under the token this store got.
   *
   * @returns The lease and the holder it was taken from while still unreleased (a takeover), or `undefined` when
   * another instance holds it.
   */
  acquire(
    signer: Address,
    holder: string,
    ttlMs: number,
  ): Promise<{ lease: SignerLease; tookOverFrom: string | undefined } | undefined>;
  /** Extends a lease this store holds; `false` once another instance took it (the lease is lost, fenced off). */
  renew(signer: Address, ttlMs: number): Promise<boolean>;
  /** Hands a lease back at once (expires now, keeps its token); its writes are fenced off from here on. */
  release(signer: Address): Promise<void>;
  /**
   * Claims, for the instance that acquired leases through this store, the settlements of a chain nobody sends:
   * `received` ones, and `queued` ones whose instance holds no live lease (it died or lost them). They move to
   * `queued` under this instance, in one transaction; rows another transaction holds are skipped (`FOR UPDATE SKIP
   * LOCKED` on Postgres), so two instances never claim the same row at once.
   */
  claimUnowned(chainId: number, limit: number): Promise<SettlementRecord[]>;
  /** Every lease row, by signer. */
  list(): Promise<SignerLease[]>;
  /** The leases this store holds (as far as it knows: the row decides at every write). */
  held(): SignerLease[];
  /**
   * Says that `holder` is alive and may sign for `signers` until `ttlMs` from now (one candidate row per signer,
   * renewed), and returns every live candidate of the journal, this one included: what leases are balanced over.
   * Candidate rows expired long ago are deleted on the way.
   */
  heartbeat(holder: string, signers: readonly Address[], ttlMs: number): Promise<LeaseCandidate[]>;
  /** Deletes `holder`'s candidate rows for `signers` (graceful shutdown: the others rebalance at once). */
  leave(holder: string, signers: readonly Address[]): Promise<void>;
  /**
   * Gives up settlements this instance queued but cannot send (it holds no lease of a signer that could): those
   * still `queued` by it are left unowned (`queued_by` cleared), for any instance with a lease to claim at once,
   * instead of waiting for this one, which is alive (a scheme sender's lease keeps it live), to get a lease back.
   */
  disown(ids: readonly string[]): Promise<void>;
}

/** An instance that may sign for a signer key (it is configured with it and alive), under signer leases. */
export type LeaseCandidate = {
  /** The signer address (lower case). */
  signer: Address;
  /** The instance id. */
  holder: string;
};

/**
 * The settlement journal (port). Two adapters ship: SQLite (`store/sqlite`) and Postgres (`store/postgres`), both
 * over the same SQL (`store/sql`) and the same migrations.
 *
 * Every method is asynchronous and atomic: a method that writes returns once its one transaction committed (so
 * `await store.recordSubmission(…)` before a broadcast is I1), and a method that writes several rows (a
 * submission, a batch outcome) writes them in one transaction. Every state change is checked against
 * `domain/stateMachine.ts` inside that transaction. No transaction is ever held open across a chain call: the
 * engine reads, talks to the chain, then writes what it decided in one call.
 */
export interface PaymentStore {
  /** Finds a settlement by its idempotency key. */
  getByKey(key: SettlementKey): Promise<SettlementRecord | undefined>;
  /** Finds a settlement by id. */
  getById(id: string): Promise<SettlementRecord | undefined>;
  /**
   * The states of many settlements in one read (the ids not in the journal are left out): what waiters on other
   * instances' work poll, one query per round for all of them instead of one per waiter.
   */
  statesOf(ids: readonly string[]): Promise<Map<string, SettlementState>>;
  /**
   * Inserts a new settlement in state `received`, unless one with the same key exists.
   * The unique index on (chainId, asset, from, nonce) makes concurrent inserts safe.
   *
   * @returns The stored record and whether this call created it.
   */
  insertSettlement(input: NewSettlement): Promise<{ record: SettlementRecord; created: boolean }>;
  /**
   * Inserts several settlements in one transaction (one commit), each as {@link insertSettlement} would; the
   * answers are in input order. A later input with the key of an earlier one gets the earlier one's record.
   */
  insertSettlements(inputs: readonly NewSettlement[]): Promise<{ record: SettlementRecord; created: boolean }[]>;
  /** Moves settlements to `queued` (assigned to a lane or batch, nothing signed yet). */
  markQueued(ids: readonly string[]): Promise<void>;
  /**
   * Persists a signed transaction and moves the settlements it carries to `submitted`, atomically.
   * Called before the raw bytes are broadcast (I1).
   */
  recordSubmission(submission: Submission): Promise<void>;
  /** Persists a replacement of a submitted transaction (same nonce, same calldata, higher fee). */
  recordReplacement(attempt: TxAttempt): Promise<void>;
  /**
   * The node refused a replacement's bytes, so they can never be mined: marks that attempt `dead` and points
   * the slot's settlements back at the attempt it was meant to replace.
   */
  abandonReplacement(replacement: TxAttempt, previous: TxAttempt): Promise<void>;
  /** Marks `unknown` settlements as `submitted` again once their transaction is known to the node. */
  markSubmitted(ids: readonly string[]): Promise<void>;
  /** Marks settlements whose broadcast or receipt could not be established. */
  markUnknown(ids: readonly string[], message: string): Promise<void>;
  /**
   * Returns settlements to `queued` after I2 proved that no transaction carrying them can be mined.
   * Their previous attempts stay in the journal, marked `dead`.
   */
  requeue(ids: readonly string[], deadAttempts: readonly Hex[]): Promise<void>;
  /** Writes final outcomes (one transaction for all of them). */
  settle(outcomes: readonly { id: string; outcome: FinalOutcome }[]): Promise<void>;
  /** Every live (not proven dead) attempt for one signer account nonce, oldest first. */
  attemptsForSlot(chainId: number, signer: Address, nonce: number): Promise<TxAttempt[]>;
  /** Settlements carried by one signer account nonce. */
  settlementsForSlot(chainId: number, signer: Address, nonce: number): Promise<SettlementRecord[]>;
  /** Settlements in the given states, oldest first. */
  listByState(states: readonly SettlementState[], chainId?: number): Promise<SettlementRecord[]>;
  /** Highest account nonce of a live attempt this journal signed for a signer, if any. */
  highestNonce(chainId: number, signer: Address): Promise<number | undefined>;
  /** Counts settlements per state (for metrics and health). */
  countByState(): Promise<Record<SettlementState, number>>;
  /** Write transactions this process committed since the journal was opened (for metrics and benchmarks). */
  commits(): number;
  /**
   * Makes this process the journal's only writer, for as long as the journal is open (I4: one writer per signer,
   * so one writer per journal). A journal only one process can open (SQLite, locked at open) leaves it out; a shared
   * one (Postgres) implements it. With `wait`, waits until the current writer is gone (a standby); else refuses.
   *
   * @throws {JournalLockedError} When another process writes the journal and `wait` is false.
   */
  lockWriter?(options: { wait: boolean }): Promise<void>;
  /** The per-signer leases of a journal several instances share (the SQL adapters implement them). */
  readonly leases?: SignerLeases;
  /** Releases the journal (closes the database or ends the pool). Idempotent. */
  close(): Promise<void>;
}
