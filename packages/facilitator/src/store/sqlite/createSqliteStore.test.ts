import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, test } from "node:test";
import { buildPayment } from "../../../test/helpers/buildPayment.js";
import { DataDirLockedError } from "../../domain/errors.js";
import { paymentFingerprint, settlementKey } from "../../domain/fingerprint.js";
import { createSqliteStore } from "./createSqliteStore.js";
import { migrations } from "./migrations/index.js";

// What only the SQLite adapter does; the behaviour every adapter shares is in `../paymentStore.contract.test.ts`.
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempPath = () => {
  const dir = mkdtempSync(join(tmpdir(), "x402kit-store-"));
  dirs.push(dir);
  return join(dir, "journal.sqlite");
};

describe("createSqliteStore", () => {
  test("default: an in-memory journal for unit tests", async () => {
    const store = createSqliteStore({ path: ":memory:" });
    const payment = buildPayment();
    const { created } = await store.insertSettlement({
      id: "a",
      key: settlementKey(payment),
      fingerprint: paymentFingerprint(payment),
      payment,
    });
    assert.equal(created, true);
    await store.close();
    await store.close();
  });

  test("behavior: numbered migrations are recorded in user_version; the journal is in WAL mode", async () => {
    const path = tempPath();
    const store = createSqliteStore({ path });
    await store.close();
    const raw = new DatabaseSync(path);
    assert.equal(
      (raw.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
      migrations.at(-1)?.version,
    );
    assert.equal((raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
    raw.close();
  });

  test("behavior: a second facilitator on the same journal fails fast", async () => {
    const path = tempPath();
    const store = createSqliteStore({ path });
    assert.throws(() => createSqliteStore({ path }), DataDirLockedError);
    await store.close();
  });

  test("behavior: migration 3 rebuilds the intents table and keeps its rows, in order", async () => {
    const path = tempPath();
    const raw = new DatabaseSync(path);
    for (const migration of migrations.filter((m) => m.version <= 2)) raw.exec(migration.up);
    raw.exec("PRAGMA user_version = 2");
    const insert = raw.prepare(
      `INSERT INTO batch_settlement_intents (key, kind, chain_id, fingerprint, state, tx_hash, raw_tx, signer,
       signer_nonce, created_at, updated_at) VALUES (?, 'claim', 1, '0x01', 'submitted', ?, '0xbb', '0x01', 0, 5, 5)`,
    );
    insert.run("claim:1:b", "0xb0");
    insert.run("claim:1:a", "0xa0");
    raw.close();
    const store = createSqliteStore({ path });
    assert.deepEqual(
      (await store.batchSettlement.listSubmittedIntents()).map((i) => [i.key, i.txHash]),
      [
        ["claim:1:a", "0xa0"],
        ["claim:1:b", "0xb0"],
      ],
    );
    await store.batchSettlement.insertIntent({
      key: "permit2:1",
      kind: "permit2_upto",
      chainId: 1,
      fingerprint: "0x01",
    });
    await store.close();
    const reopened = new DatabaseSync(path);
    const rows = reopened.prepare("SELECT key FROM batch_settlement_intents ORDER BY rowid").all();
    assert.deepEqual(
      rows.map((r) => r.key),
      ["claim:1:b", "claim:1:a", "permit2:1"],
      "the insertion order (rowid) survives the copy",
    );
    const indexes = reopened
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?")
      .all("batch_settlement_intents");
    assert.ok(indexes.some((i) => i.name === "batch_settlement_intents_state"));
    reopened.close();
  });
});
