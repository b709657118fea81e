import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { Address, Hex } from "viem";
import type { BatchSettlementStoreHost } from "../../domain/batchSettlementStore.js";
import type { Clock } from "../../domain/clock.js";
import { systemClock } from "../../domain/clock.js";
import { DataDirLockedError, FacilitatorError } from "../../domain/errors.js";
import { paymentFromJson, paymentToJson } from "../../domain/paymentJson.js";
import type { Reason } from "../../domain/reasons.js";
import { assertTransition, statesLeadingTo } from "../../domain/stateMachine.js";
import type { NewSettlement, PaymentStore, Submission } from "../../domain/store.js";
import type { SettlementKey, SettlementRecord, SettlementState, TxAttempt } from "../../domain/types.js";
import { createSqliteBatchSettlementStore } from "./createSqliteBatchSettlementStore.js";
import { migrations } from "./migrations/index.js";

/** Parameters of {@link createSqliteStore}. */
export type CreateSqliteStoreParameters = {
  /** Database file path, or `":memory:"` for tests. Its directory is created if missing. */
  path: string;
  /** Time source for `created_at` / `updated_at`. */
  clock?: Clock;
  /**
   * `FULL` (default) makes every commit durable against power loss before a transaction is broadcast.
   * `NORMAL` survives process crashes but not power loss; use it only on disposable chains.
   */
  synchronous?: "FULL" | "NORMAL";
};

type Row = Record<string, SQLInputValue>;

/**
 * Opens (or creates) the SQLite settlement journal: WAL mode, numbered migrations applied in order,
 * an exclusive lock so that a second facilitator on the same data directory fails fast instead of
 * sharing signer nonces.
 *
 * @param parameters - See {@link CreateSqliteStoreParameters}.
 * @returns A {@link PaymentStore}.
 * @throws {DataDirLockedError} When another process holds the journal.
 *
 * @example
 * ```ts
 * import { createSqliteStore } from "@x402kit/facilitator";
 * const store = createSqliteStore({ path: "./data/facilitator.sqlite" });
 * ```
 */
export function createSqliteStore(parameters: CreateSqliteStoreParameters): PaymentStore & BatchSettlementStoreHost {
  const { path, clock = systemClock, synchronous = "FULL" } = parameters;
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path, { timeout: 0 });
  try {
    // Exclusive locking before WAL: the WAL index lives in heap memory and no other process can open
    // the journal while we hold it (released by the OS if we die).
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA synchronous = ${synchronous}`);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
  } catch (error) {
    db.close();
    if (error instanceof Error && /locked|busy/i.test(error.message))
      throw new DataDirLockedError({ path, cause: error });
    throw error;
  }
  migrate(db);

  const statements = new Map<string, StatementSync>();
  const stmt = (sql: string): StatementSync => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
  let commits = 0;
  const transaction = <T>(run: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = run();
      db.exec("COMMIT");
      commits++;
      return result;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  };

  const getById = (id: string): SettlementRecord | undefined => {
    const row = stmt("SELECT * FROM settlements WHERE id = ?").get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  };
  const requireById = (id: string): SettlementRecord => {
    const record = getById(id);
    if (!record) throw new FacilitatorError(`Settlement ${id} is not in the journal`);
    return record;
  };
  /** Moves one settlement, checking the state machine, inside the caller's transaction. */
  const move = (id: string, to: SettlementState, set: Record<string, SQLInputValue>): void => {
    const current = requireById(id);
    assertTransition(id, current.state, to);
    const columns = Object.keys(set);
    const assignments = columns.map((c) => `${c} = :${c}`).join(", ");
    const allowed = statesLeadingTo(to)
      .map((s) => `'${s}'`)
      .join(",");
    const result = stmt(
      `UPDATE settlements SET state = :state, updated_at = :now${assignments ? `, ${assignments}` : ""}
       WHERE id = :id AND state IN (${allowed})`,
    ).run({ ...set, state: to, now: clock.now(), id });
    if (result.changes !== 1) throw new FacilitatorError(`Settlement ${id} changed state concurrently`);
  };
  const insertAttempt = (attempt: TxAttempt): void => {
    stmt(
      `INSERT INTO tx_attempts (hash, chain_id, signer, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, kind, created_at)
       VALUES (:hash, :chainId, :signer, :nonce, :raw, :maxFee, :maxPriorityFee, :kind, :createdAt)`,
    ).run({
      hash: attempt.hash.toLowerCase(),
      chainId: attempt.chainId,
      signer: attempt.signer.toLowerCase(),
      nonce: attempt.nonce,
      raw: attempt.raw,
      maxFee: attempt.maxFeePerGas.toString(),
      maxPriorityFee: attempt.maxPriorityFeePerGas.toString(),
      kind: attempt.kind,
      createdAt: attempt.createdAt,
    });
  };

  /** Inserts one settlement (autocommit, or inside the caller's transaction); commits are counted by the caller. */
  const insertOne = (input: NewSettlement): { record: SettlementRecord; created: boolean } => {
    const now = clock.now();
    const result = stmt(
      `INSERT INTO settlements (id, chain_id, asset, payer, auth_nonce, fingerprint, state, x402_version, pay_to,
         amount, valid_before, payment_json, created_at, updated_at)
       VALUES (:id, :chainId, :asset, :payer, :nonce, :fingerprint, :state, :version, :payTo, :amount,
         :validBefore, :json, :now, :now)
       ON CONFLICT (chain_id, asset, payer, auth_nonce) DO NOTHING`,
    ).run({
      id: input.id,
      chainId: input.key.chainId,
      asset: input.key.asset.toLowerCase(),
      payer: input.key.from.toLowerCase(),
      nonce: input.key.nonce.toLowerCase(),
      fingerprint: input.fingerprint,
      state: input.state ?? "received",
      version: input.payment.x402Version,
      payTo: input.payment.payTo,
      amount: input.payment.amount.toString(),
      validBefore: input.payment.authorization.validBefore.toString(),
      json: paymentToJson(input.payment),
      now,
    });
    if (result.changes === 1) return { record: requireById(input.id), created: true };
    const existing = store.getByKey(input.key);
    if (!existing) throw new FacilitatorError("Settlement insert conflicted but no row holds its key");
    return { record: existing, created: false };
  };

  const store: PaymentStore = {
    getByKey(key: SettlementKey) {
      const row = stmt(
        "SELECT * FROM settlements WHERE chain_id = ? AND asset = ? AND payer = ? AND auth_nonce = ?",
      ).get(key.chainId, key.asset.toLowerCase(), key.from.toLowerCase(), key.nonce.toLowerCase()) as Row | undefined;
      return row ? toRecord(row) : undefined;
    },

    getById,

    insertSettlement(input: NewSettlement) {
      const result = insertOne(input);
      if (result.created) commits++;
      return result;
    },

    insertSettlements(inputs: readonly NewSettlement[]) {
      if (inputs.length === 1) return [store.insertSettlement(inputs[0] as NewSettlement)];
      if (inputs.length === 0) return [];
      // One transaction, one commit (one fsync) for every settlement admitted together.
      return transaction(() => inputs.map((input) => insertOne(input)));
    },

    markQueued(ids) {
      transaction(() => {
        for (const id of ids) move(id, "queued", {});
      });
    },

    recordSubmission({ attempt, items }: Submission) {
      transaction(() => {
        insertAttempt(attempt);
        for (const item of items) {
          move(item.id, "submitted", {
            signer: attempt.signer.toLowerCase(),
            signer_nonce: attempt.nonce,
            batch_index: item.batchIndex ?? null,
            tx_hash: attempt.hash.toLowerCase(),
            message: null,
          });
        }
      });
    },

    recordReplacement(attempt: TxAttempt) {
      transaction(() => {
        insertAttempt(attempt);
        stmt(
          `UPDATE settlements SET tx_hash = :hash, updated_at = :now
           WHERE chain_id = :chainId AND signer = :signer AND signer_nonce = :nonce AND state IN ('submitted','unknown')`,
        ).run({
          hash: attempt.hash.toLowerCase(),
          now: clock.now(),
          chainId: attempt.chainId,
          signer: attempt.signer.toLowerCase(),
          nonce: attempt.nonce,
        });
      });
    },

    abandonReplacement(replacement: TxAttempt, previous: TxAttempt) {
      transaction(() => {
        stmt("UPDATE tx_attempts SET status = 'dead' WHERE hash = ?").run(replacement.hash.toLowerCase());
        stmt(
          `UPDATE settlements SET tx_hash = :previous, updated_at = :now
           WHERE tx_hash = :hash AND state IN ('submitted','unknown')`,
        ).run({ previous: previous.hash.toLowerCase(), hash: replacement.hash.toLowerCase(), now: clock.now() });
      });
    },

    markSubmitted(ids) {
      transaction(() => {
        for (const id of ids) move(id, "submitted", { message: null });
      });
    },

    markUnknown(ids, message) {
      transaction(() => {
        for (const id of ids) move(id, "unknown", { message });
      });
    },

    requeue(ids, deadAttempts) {
      transaction(() => {
        for (const hash of deadAttempts) {
          stmt("UPDATE tx_attempts SET status = 'dead' WHERE hash = ?").run(hash.toLowerCase());
        }
        for (const id of ids) {
          move(id, "queued", { signer: null, signer_nonce: null, batch_index: null, tx_hash: null, message: null });
        }
      });
    },

    settle(outcomes) {
      transaction(() => {
        for (const { id, outcome } of outcomes) {
          if (outcome.state === "confirmed") {
            move(id, "confirmed", {
              tx_hash: outcome.txHash.toLowerCase(),
              block_number: outcome.blockNumber === undefined ? null : Number(outcome.blockNumber),
              reason: null,
              message: null,
            });
          } else {
            move(id, "failed", {
              reason: outcome.reason,
              message: outcome.message ?? null,
              tx_hash: outcome.txHash?.toLowerCase() ?? null,
            });
          }
        }
      });
    },

    attemptsForSlot(chainId, signer, nonce) {
      const rows = stmt(
        "SELECT * FROM tx_attempts WHERE chain_id = ? AND signer = ? AND nonce = ? AND status = 'live' ORDER BY created_at, rowid",
      ).all(chainId, signer.toLowerCase(), nonce) as Row[];
      return rows.map(toAttempt);
    },

    settlementsForSlot(chainId, signer, nonce) {
      const rows = stmt(
        "SELECT * FROM settlements WHERE chain_id = ? AND signer = ? AND signer_nonce = ? ORDER BY batch_index",
      ).all(chainId, signer.toLowerCase(), nonce) as Row[];
      return rows.map(toRecord);
    },

    listByState(states, chainId) {
      const list = states.map((s) => `'${s}'`).join(",");
      const rows = (
        chainId === undefined
          ? stmt(`SELECT * FROM settlements WHERE state IN (${list}) ORDER BY created_at, rowid`).all()
          : stmt(`SELECT * FROM settlements WHERE state IN (${list}) AND chain_id = ? ORDER BY created_at, rowid`).all(
              chainId,
            )
      ) as Row[];
      return rows.map(toRecord);
    },

    highestNonce(chainId, signer) {
      const row = stmt(
        "SELECT MAX(nonce) AS n FROM tx_attempts WHERE chain_id = ? AND signer = ? AND status = 'live'",
      ).get(chainId, signer.toLowerCase()) as { n: number | null } | undefined;
      return row?.n ?? undefined;
    },

    commits: () => commits,

    countByState() {
      const counts: Record<SettlementState, number> = {
        received: 0,
        queued: 0,
        submitted: 0,
        unknown: 0,
        confirmed: 0,
        failed: 0,
      };
      const rows = stmt("SELECT state, COUNT(*) AS n FROM settlements GROUP BY state").all() as {
        state: SettlementState;
        n: number;
      }[];
      for (const row of rows) counts[row.state] = row.n;
      return counts;
    },

    close() {
      if (db.isOpen) db.close();
    },
  };
  return Object.assign(store, { batchSettlement: createSqliteBatchSettlementStore(db, clock) });
}

function migrate(db: DatabaseSync): void {
  const current = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(migration.up);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw new FacilitatorError(`Journal migration ${migration.version} (${migration.name}) failed`, { cause: error });
    }
  }
}

const optional = <T>(value: SQLInputValue | undefined, map: (v: SQLInputValue) => T): T | undefined =>
  value === null || value === undefined ? undefined : map(value);

function toRecord(row: Row): SettlementRecord {
  const payment = paymentFromJson(String(row.payment_json));
  return {
    id: String(row.id),
    key: {
      chainId: Number(row.chain_id),
      asset: String(row.asset) as Address,
      from: String(row.payer) as Address,
      nonce: String(row.auth_nonce) as Hex,
    },
    fingerprint: String(row.fingerprint) as Hex,
    state: String(row.state) as SettlementState,
    x402Version: Number(row.x402_version) as 1 | 2,
    payTo: String(row.pay_to) as Address,
    amount: BigInt(String(row.amount)),
    validBefore: BigInt(String(row.valid_before)),
    payment,
    signer: optional(row.signer, (v) => String(v) as Address),
    signerNonce: optional(row.signer_nonce, Number),
    batchIndex: optional(row.batch_index, Number),
    txHash: optional(row.tx_hash, (v) => String(v) as Hex),
    blockNumber: optional(row.block_number, (v) => BigInt(v as number)),
    reason: optional(row.reason, (v) => String(v) as Reason),
    message: optional(row.message, String),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toAttempt(row: Row): TxAttempt {
  return {
    chainId: Number(row.chain_id),
    signer: String(row.signer) as Address,
    nonce: Number(row.nonce),
    hash: String(row.hash) as Hex,
    raw: String(row.raw) as Hex,
    maxFeePerGas: BigInt(String(row.max_fee_per_gas)),
    maxPriorityFeePerGas: BigInt(String(row.max_priority_fee_per_gas)),
    kind: String(row.kind) as "direct" | "batch",
    createdAt: Number(row.created_at),
  };
}
