import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, test } from "node:test";
import {
  startEmbeddedPostgres as startPostgres,
  type EmbeddedPostgresServer as TestPostgres,
} from "@x402kit/hardhat-node/postgres";
import pg from "pg";
import type { Hex } from "viem";
import { buildPayment } from "../../../test/helpers/buildPayment.js";
import { JournalLockedError } from "../../domain/errors.js";
import { paymentFingerprint, settlementKey } from "../../domain/fingerprint.js";
import { toPostgres } from "../sql/toPostgres.js";
import { migrations } from "../sqlite/migrations/index.js";
import { createPostgresStore, type PostgresStore, postgresMigrations } from "./createPostgresStore.js";

// What only the Postgres adapter does; the behaviour every adapter shares is in `../paymentStore.contract.test.ts`.
describe("createPostgresStore (a real Postgres)", () => {
  let server: TestPostgres;
  const opened: PostgresStore[] = [];
  const open = async (url: string) => {
    const store = await createPostgresStore({ url, poolSize: 3 });
    opened.push(store);
    return store;
  };
  const query = async (url: string, sql: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    for (const store of opened) await store.close();
    await server?.stop();
  });

  test("behavior: one schema source: every migration translates, and both dialects get the same tables and columns", async () => {
    const url = await server.database();
    await open(url);
    const sqlite = new DatabaseSync(":memory:");
    for (const m of migrations) sqlite.exec(m.up);
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((t) => t.name)
      .sort();
    const family = (type: string) => (/int/i.test(type) ? "integer" : /text|char/i.test(type) ? "text" : type);
    for (const table of tables) {
      const lite = (
        sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; notnull: number }[]
      ).map(
        (c) => `${c.name} ${family(c.type)}${c.notnull || c.name === "hash" || c.name === "id" ? " not null" : ""}`,
      );
      const postgres = (
        await query(
          url,
          "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
          [table],
        )
      )
        .filter((c) => c.column_name !== "rowid")
        .map((c) => `${c.column_name} ${family(c.data_type)}${c.is_nullable === "NO" ? " not null" : ""}`);
      assert.deepEqual(postgres, lite, `table ${table}`);
    }
    const indexes = (table: string) =>
      (sqlite.prepare(`PRAGMA index_list(${table})`).all() as { name: string; origin: string }[])
        .filter((i) => i.origin === "c")
        .map((i) => i.name);
    for (const table of tables) {
      const pgIndexes = (await query(url, "SELECT indexname FROM pg_indexes WHERE tablename = $1", [table])).map(
        (r) => r.indexname as string,
      );
      for (const name of indexes(table)) assert.ok(pgIndexes.includes(name), `index ${name} on Postgres`);
    }
    sqlite.close();
    assert.equal(postgresMigrations().length, migrations.length);
  });

  test("behavior: SQLite-only constructs are refused by the translation, not silently changed", () => {
    for (const sql of [
      "PRAGMA foreign_keys = ON;",
      "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);",
      "CREATE TABLE t (a TEXT) WITHOUT ROWID;",
      "INSERT OR REPLACE INTO t VALUES (1);",
      "CREATE TABLE t (a ANY) STRICT;",
    ]) {
      assert.throws(() => toPostgres(sql, "test"), /cannot be translated to Postgres/, sql);
    }
    assert.match(toPostgres("CREATE TABLE t (\n  n INTEGER NOT NULL\n) STRICT;", "test"), /rowid BIGINT GENERATED/);
  });

  test("behavior: N instances starting together migrate once, under the advisory lock", async () => {
    const url = await server.database();
    const stores = await Promise.all(Array.from({ length: 6 }, () => open(url)));
    assert.equal(stores.length, 6);
    const applied = await query(
      url,
      "SELECT version, COUNT(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version",
    );
    assert.deepEqual(
      applied.map((r) => [r.version, r.n]),
      migrations.map((m) => [m.version, 1]),
    );
    // And every one of them works on the shared journal.
    const payment = buildPayment({ seed: "shared" });
    const results = await Promise.all(
      stores.map((store, i) =>
        store.insertSettlement({
          id: `s${i}`,
          key: settlementKey(payment),
          fingerprint: paymentFingerprint(payment),
          payment,
        }),
      ),
    );
    assert.equal(results.filter((r) => r.created).length, 1);
  });

  test("behavior: a journal newer than this code is refused at open", async () => {
    const url = await server.database();
    await open(url);
    await query(url, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)");
    await assert.rejects(createPostgresStore({ url }), /schema version 9999, newer than this facilitator knows/);
  });

  test("behavior: one writer per journal; a standby waits and takes over when the writer goes", async () => {
    const url = await server.database();
    const first = await open(url);
    const second = await open(url);
    await first.lockWriter({ wait: false });
    await first.lockWriter({ wait: false }); // its holder asks again: nothing changes
    await assert.rejects(second.lockWriter({ wait: false }), JournalLockedError);
    let tookOver = false;
    const standby = second.lockWriter({ wait: true }).then(() => {
      tookOver = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tookOver, false, "the standby waits while the writer lives");
    await first.close();
    await standby;
    assert.equal(tookOver, true);
  });

  test("behavior: fencing: once another writer took the lease, not one more write of the old one commits", async () => {
    const url = await server.database();
    const store = await open(url);
    await store.lockWriter({ wait: false });
    const payment = (seed: string) => {
      const p = buildPayment({ seed });
      return { id: seed, key: settlementKey(p), fingerprint: paymentFingerprint(p), payment: p };
    };
    assert.equal((await store.insertSettlement(payment("before"))).created, true);
    // A new writer's bump (as lockWriter does), while this process still believes it holds the lock.
    await query(url, "UPDATE writer_lease SET token = token + 1 WHERE id = 1");
    await assert.rejects(store.insertSettlement(payment("after")), /took over this journal/);
    await assert.rejects(store.markQueued(["before"]), /not writing/);
    assert.equal(await store.getById("after"), undefined);
    assert.equal((await store.getById("before"))?.state, "received", "reads still work");
  });

  test("behavior: a submission never claims a settlement another transaction is writing (SKIP LOCKED)", async () => {
    const url = await server.database();
    const store = await open(url);
    const payment = buildPayment({ seed: "claimed" });
    await store.insertSettlement({
      id: "c",
      key: settlementKey(payment),
      fingerprint: paymentFingerprint(payment),
      payment,
      state: "queued",
    });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT id FROM settlements WHERE id = 'c' FOR UPDATE");
      const hash = `0x${"ab".repeat(32)}` as Hex;
      const started = Date.now();
      await assert.rejects(
        store.recordSubmission({
          attempt: {
            chainId: 31337,
            signer: "0x4444444444444444444444444444444444444444",
            nonce: 0,
            hash,
            raw: "0x02",
            maxFeePerGas: 2n,
            maxPriorityFeePerGas: 1n,
            kind: "direct",
            createdAt: Date.now(),
          },
          items: [{ id: "c", batchIndex: undefined }],
        }),
        /being written by another transaction/,
      );
      assert.ok(Date.now() - started < 2_000, "refused at once, not waited for");
      assert.equal(await store.highestNonce(31337, "0x4444444444444444444444444444444444444444"), undefined);
      await other.query("ROLLBACK");
    } finally {
      await other.end();
    }
    assert.equal((await store.getById("c"))?.state, "queued");
  });
});
