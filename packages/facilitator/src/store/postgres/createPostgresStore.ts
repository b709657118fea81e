import { hostname } from "node:os";
import pg from "pg";
import type { BatchSettlementStoreHost } from "../../domain/batchSettlementStore.js";
import type { Clock } from "../../domain/clock.js";
import { systemClock } from "../../domain/clock.js";
import { FacilitatorError, JournalLockedError } from "../../domain/errors.js";
import type { PaymentStore } from "../../domain/store.js";
import { createSqlBatchSettlementStore } from "../sql/createSqlBatchSettlementStore.js";
import { createSqlStore } from "../sql/createSqlStore.js";
import { createSignerFence } from "../sql/signerFence.js";
import type { SqlDriver, SqlExecutor, SqlParams, SqlRow } from "../sql/sqlDriver.js";
import { toPostgres } from "../sql/toPostgres.js";
import { migrations as journalMigrations } from "../sqlite/migrations/index.js";

/** Parameters of {@link createPostgresStore}. */
export type CreatePostgresStoreParameters = {
  /** `postgres://user:password@host:port/database` (libpq URL; `?sslmode=…` etc. as `pg` reads them). */
  url: string;
  /** Time source for `created_at` / `updated_at`. */
  clock?: Clock;
  /** Most pooled connections (default 10). */
  poolSize?: number;
  /** Longest wait for a connection, and for the migration lock (ms; default 30 000). */
  connectTimeoutMs?: number;
  /** Called when an idle pooled connection fails (the pool replaces it); default: ignored. */
  onError?: (error: Error) => void;
};

/** A Postgres journal store: a {@link PaymentStore} plus the pool, for tests and health checks. */
export type PostgresStore = PaymentStore &
  BatchSettlementStoreHost & {
    readonly pool: pg.Pool;
    lockWriter(options: { wait: boolean }): Promise<void>;
  };

/**
 * Key of the advisory lock under which migrations run: N facilitators starting together on one database migrate
 * once (the first takes the lock and migrates, the others wait, then find nothing left to do).
 */
export const MIGRATION_LOCK_KEY = 4_020_017_001n;
/** Key of the advisory lock its active writer holds for as long as it runs (its session ends when it dies). */
export const WRITER_LOCK_KEY = 4_020_017_002n;

/** The migrations, translated from the one schema source (`store/sqlite/migrations`). */
export const postgresMigrations = (): { version: number; name: string; up: string }[] =>
  journalMigrations.map((m) => ({ ...m, up: toPostgres(m.up, `${m.version} (${m.name})`) }));

/**
 * Opens the settlement journal on Postgres: a `pg` pool, the journal's migrations (translated from the SQLite
 * schema, recorded in `schema_migrations`) applied under `pg_advisory_lock`, then the same statements as the
 * SQLite journal. Several facilitator processes may open the same database.
 *
 * @param parameters - See {@link CreatePostgresStoreParameters}.
 * @returns A {@link PostgresStore}, once migrated.
 * @throws {FacilitatorError} When the database cannot be reached, a migration fails, or the database holds a
 * newer schema than this code knows.
 *
 * @example
 * ```ts
 * import { createPostgresStore } from "@x402kit/facilitator";
 * const store = await createPostgresStore({ url: process.env.DATABASE_URL as string });
 * ```
 */
export async function createPostgresStore(parameters: CreatePostgresStoreParameters): Promise<PostgresStore> {
  const { url, clock = systemClock, poolSize = 10, connectTimeoutMs = 30_000, onError = () => {} } = parameters;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: "x402kit-facilitator",
  });
  // An idle connection that dies (server restart) must not crash the process: the pool drops it.
  pool.on("error", onError);
  try {
    await migrate(pool, connectTimeoutMs);
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof FacilitatorError) throw error;
    throw new FacilitatorError(`Cannot open the Postgres journal: ${describe(error)}`, { cause: error });
  }

  const on = (client: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async all(sql, params) {
      const { text, values } = positional(sql, params);
      return (await client.query(text, values)).rows as SqlRow[];
    },
    async get(sql, params) {
      const { text, values } = positional(sql, params);
      return (await client.query(text, values)).rows[0] as SqlRow | undefined;
    },
    async run(sql, params) {
      const { text, values } = positional(sql, params);
      return (await client.query(text, values)).rowCount ?? 0;
    },
  });
  let closing: Promise<void> | undefined;
  /** The session holding the writer lock: this process writes the journal exactly as long as it lasts. */
  let locks: pg.Client | undefined;
  let locksLost = false;
  /**
   * The fencing token this process got with the writer lock. Every write transaction checks it against the lease
   * row (`FOR SHARE`, so a new writer's bump waits for the transactions in flight): once another process took
   * over, not one more write of this one commits, whatever this process believes about its lock session.
   */
  let fence: string | undefined;
  /** The session of a standby waiting for the writer lock, until it gets it. */
  let waiting: pg.Client | undefined;
  /** Writes stop the moment the writer lock is gone: another process may be the writer by now. */
  const writable = () => {
    if (locksLost) {
      throw new FacilitatorError("The Postgres session holding this facilitator's writer lock was lost; not writing");
    }
  };
  const reads = on(pool);
  const driver: SqlDriver = {
    dialect: "postgres",
    all: reads.all,
    get: reads.get,
    run(sql, params) {
      writable();
      // A fenced write is a transaction too: the token check and the write commit together or not at all.
      return fence === undefined ? reads.run(sql, params) : driver.transaction((tx) => tx.run(sql, params));
    },
    async transaction(work) {
      writable();
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        if (fence !== undefined) {
          const { rows } = await client.query("SELECT token FROM writer_lease WHERE id = 1 FOR SHARE");
          const token = String(rows[0]?.token);
          if (token !== fence) {
            locksLost = true;
            throw new FacilitatorError(
              `Another facilitator took over this journal (fencing token ${token}, ours ${fence}); not writing`,
            );
          }
        }
        const result = await work(on(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollback: Error) => {
          broken = rollback; // the connection is unusable: the pool must not hand it out again
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close() {
      closing ??= (async () => {
        // A standby still waiting for the lock stops waiting (its session ends).
        await waiting?.end().catch(() => {});
        await locks?.end().catch(() => {});
        await pool.end();
      })();
      return closing;
    },
  };
  // One fence for both stores: a lease the journal's `leases` take fences the intents' writes too.
  const signerFence = createSignerFence(driver.dialect);
  const store = createSqlStore(driver, clock, signerFence);
  return Object.assign(store, {
    pool,
    batchSettlement: createSqlBatchSettlementStore(driver, clock, signerFence),
    async lockWriter({ wait }: { wait: boolean }) {
      if (locks) return;
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: connectTimeoutMs,
        application_name: "x402kit-facilitator writer lock",
      });
      await client.connect();
      waiting = client;
      try {
        if (wait) await client.query("SELECT pg_advisory_lock($1)", [WRITER_LOCK_KEY.toString()]);
        else {
          const { rows } = await client.query("SELECT pg_try_advisory_lock($1) AS ok", [WRITER_LOCK_KEY.toString()]);
          if (rows[0]?.ok !== true) throw new JournalLockedError();
        }
        // The new writer's token: every later write of an older writer is refused by the lease row.
        const { rows } = await client.query(
          "UPDATE writer_lease SET token = token + 1, holder = $1, acquired_at = $2 WHERE id = 1 RETURNING token",
          [`${hostname()}:${process.pid}`, Date.now()],
        );
        fence = String(rows[0]?.token);
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      } finally {
        waiting = undefined;
      }
      const lost = (error?: Error) => {
        if (closing) return;
        locksLost = true;
        onError(error ?? new Error("the writer lock session ended"));
      };
      client.on("error", lost);
      client.on("end", () => lost());
      locks = client;
    },
  });
}

/** Applies the migrations not recorded yet, one transaction each, under the migration advisory lock. */
async function migrate(pool: pg.Pool, timeoutMs: number): Promise<void> {
  const wanted = postgresMigrations();
  const client = await pool.connect();
  try {
    // A bounded wait for the lock: a stuck migrator elsewhere fails this start-up instead of hanging it.
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version     INTEGER PRIMARY KEY,
           name        TEXT NOT NULL,
           applied_at  BIGINT NOT NULL
         )`,
      );
      // The writer lease: who writes this journal, with a fencing token bumped by each new writer (infrastructure,
      // like schema_migrations; not part of the journal's schema).
      await client.query(
        `CREATE TABLE IF NOT EXISTS writer_lease (
           id           INTEGER PRIMARY KEY CHECK (id = 1),
           token        BIGINT NOT NULL,
           holder       TEXT NOT NULL,
           acquired_at  BIGINT NOT NULL
         )`,
      );
      await client.query(
        "INSERT INTO writer_lease (id, token, holder, acquired_at) VALUES (1, 0, '', 0) ON CONFLICT DO NOTHING",
      );
      const applied = new Set(
        (await client.query("SELECT version FROM schema_migrations")).rows.map((r: { version: number }) => r.version),
      );
      const newest = Math.max(0, ...applied);
      const known = wanted.at(-1)?.version ?? 0;
      if (newest > known) {
        throw new FacilitatorError(
          `The Postgres journal is at schema version ${newest}, newer than this facilitator knows (${known}); upgrade it`,
        );
      }
      for (const migration of wanted) {
        if (applied.has(migration.version)) continue;
        await client.query("BEGIN");
        try {
          await client.query(migration.up);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
            migration.version,
            migration.name,
            Date.now(),
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw new FacilitatorError(`Journal migration ${migration.version} (${migration.name}) failed`, {
            cause: error,
          });
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]).catch(() => {});
    }
    await client.query("RESET lock_timeout");
  } finally {
    client.release();
  }
}

const statements = new Map<string, { text: string; names: string[] }>();

/** `:name` parameters (the store's SQL) to Postgres' `$1…$n`. */
function positional(sql: string, params: SqlParams = {}): { text: string; values: unknown[] } {
  let compiled = statements.get(sql);
  if (!compiled) {
    const names: string[] = [];
    const text = sql.replace(/(?<!:):([A-Za-z_]\w*)/g, (_, name: string) => {
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      return `$${index + 1}`;
    });
    compiled = { text, names };
    if (statements.size < 1000) statements.set(sql, compiled);
  }
  return {
    text: compiled.text,
    values: compiled.names.map((name) => {
      if (!(name in params)) throw new FacilitatorError(`SQL parameter :${name} has no value`);
      return params[name];
    }),
  };
}

/** An error's message without the URL (which may carry a password). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(?:ql)?:\/\/[^\s]*/g, "postgres://…");
}
