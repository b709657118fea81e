import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { BatchSettlementStoreHost } from "../../domain/batchSettlementStore.js";
import type { Clock } from "../../domain/clock.js";
import { systemClock } from "../../domain/clock.js";
import { DataDirLockedError, FacilitatorError } from "../../domain/errors.js";
import type { PaymentStore } from "../../domain/store.js";
import { createSqlBatchSettlementStore } from "../sql/createSqlBatchSettlementStore.js";
import { createSqlStore } from "../sql/createSqlStore.js";
import { createSignerFence } from "../sql/signerFence.js";
import type { SqlDriver, SqlExecutor, SqlRow } from "../sql/sqlDriver.js";
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

/**
 * Opens (or creates) the SQLite settlement journal: WAL mode, numbered migrations applied in order,
 * an exclusive lock so that a second facilitator on the same data directory fails fast instead of
 * sharing signer nonces.
 *
 * @param parameters - See {@link CreateSqliteStoreParameters}.
 * @returns A {@link PaymentStore} that also holds the batch-settlement intents.
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
  // node:sqlite is synchronous: each statement runs to completion before anything else. What must not interleave
  // is a transaction with the statements of another caller between its awaits, so every call takes its turn.
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => T | Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };
  const direct: SqlExecutor = {
    all: async (sql, params = {}) => stmt(sql).all(params) as SqlRow[],
    get: async (sql, params = {}) => stmt(sql).get(params) as SqlRow | undefined,
    run: async (sql, params = {}) => Number(stmt(sql).run(params).changes),
  };
  let closed = false;
  const driver: SqlDriver = {
    dialect: "sqlite",
    all: (sql, params) => exclusive(() => direct.all(sql, params)),
    get: (sql, params) => exclusive(() => direct.get(sql, params)),
    run: (sql, params) => exclusive(() => direct.run(sql, params)),
    transaction: (work) =>
      exclusive(async () => {
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await work(direct);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          db.exec("ROLLBACK");
          throw error;
        }
      }),
    close: () =>
      exclusive(() => {
        if (closed) return;
        closed = true;
        if (db.isOpen) db.close();
      }),
  };
  // One fence for both stores: a lease the journal's `leases` take fences the intents' writes too.
  const signerFence = createSignerFence(driver.dialect);
  return Object.assign(createSqlStore(driver, clock, signerFence), {
    batchSettlement: createSqlBatchSettlementStore(driver, clock, signerFence),
  });
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
