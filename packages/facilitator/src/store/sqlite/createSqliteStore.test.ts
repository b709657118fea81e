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
});
