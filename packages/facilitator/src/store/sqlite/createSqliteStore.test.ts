import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, test } from "node:test";
import type { Hex } from "viem";
import { buildPayment } from "../../../test/helpers/buildPayment.js";
import { DataDirLockedError, InvalidTransitionError } from "../../domain/errors.js";
import { paymentFingerprint, settlementKey } from "../../domain/fingerprint.js";
import type { PaymentStore } from "../../domain/store.js";
import type { ExactPayment, TxAttempt } from "../../domain/types.js";
import { createSqliteStore } from "./createSqliteStore.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempPath = () => {
  const dir = mkdtempSync(join(tmpdir(), "x402kit-store-"));
  dirs.push(dir);
  return join(dir, "journal.sqlite");
};

const insert = (store: PaymentStore, payment: ExactPayment, id: string) =>
  store.insertSettlement({ id, key: settlementKey(payment), fingerprint: paymentFingerprint(payment), payment });

const attempt = (nonce: number, hash: Hex, overrides: Partial<TxAttempt> = {}): TxAttempt => ({
  chainId: 31337,
  signer: "0x4444444444444444444444444444444444444444",
  nonce,
  hash,
  raw: "0x02f8",
  maxFeePerGas: 2n,
  maxPriorityFeePerGas: 1n,
  kind: "direct",
  createdAt: Date.now(),
  ...overrides,
});

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;

describe("createSqliteStore", () => {
  test("default: inserts a settlement in state received and reads it back by id and by key", () => {
    const store = createSqliteStore({ path: ":memory:" });
    const payment = buildPayment();
    const { record, created } = insert(store, payment, "a");
    assert.equal(created, true);
    assert.equal(record.state, "received");
    assert.deepEqual(store.getById("a")?.payment, payment);
    assert.equal(store.getByKey(settlementKey(payment))?.id, "a");
    store.close();
  });

  test("behavior: one settlement per (chainId, asset, from, nonce), whatever the letter case", () => {
    const store = createSqliteStore({ path: ":memory:" });
    const payment = buildPayment();
    insert(store, payment, "first");
    const upper = buildPayment({
      asset: payment.asset.toUpperCase().replace("0X", "0x") as ExactPayment["asset"],
      authorization: {
        ...payment.authorization,
        nonce: payment.authorization.nonce.toUpperCase().replace("0X", "0x") as Hex,
      },
    });
    const second = insert(store, upper, "second");
    assert.equal(second.created, false);
    assert.equal(second.record.id, "first");
    assert.equal(store.getById("second"), undefined);
    store.close();
  });

  test("behavior: walks received → queued → submitted → confirmed and records the attempt", () => {
    const store = createSqliteStore({ path: ":memory:" });
    insert(store, buildPayment(), "a");
    store.markQueued(["a"]);
    store.recordSubmission({ attempt: attempt(7, hash(1)), items: [{ id: "a", batchIndex: undefined }] });
    const submitted = store.getById("a");
    assert.equal(submitted?.state, "submitted");
    assert.equal(submitted?.signerNonce, 7);
    assert.equal(submitted?.txHash, hash(1));
    assert.deepEqual(
      store.attemptsForSlot(31337, "0x4444444444444444444444444444444444444444", 7).map((a) => a.hash),
      [hash(1)],
    );
    store.settle([{ id: "a", outcome: { state: "confirmed", txHash: hash(1), blockNumber: 12n } }]);
    const confirmed = store.getById("a");
    assert.equal(confirmed?.state, "confirmed");
    assert.equal(confirmed?.blockNumber, 12n);
    store.close();
  });

  test("behavior: a settlement handed on at once is inserted queued in one commit; every write commit is counted", () => {
    const store = createSqliteStore({ path: ":memory:" });
    const payment = buildPayment();
    const before = store.commits();
    const { record } = store.insertSettlement({
      id: "q",
      key: settlementKey(payment),
      fingerprint: paymentFingerprint(payment),
      payment,
      state: "queued",
    });
    assert.equal(record.state, "queued");
    assert.equal(store.commits(), before + 1);
    // A duplicate insert writes nothing.
    insert(store, payment, "dup");
    assert.equal(store.commits(), before + 1);
    store.recordSubmission({ attempt: attempt(3, hash(9)), items: [{ id: "q", batchIndex: 0 }] });
    store.settle([{ id: "q", outcome: { state: "confirmed", txHash: hash(9), blockNumber: 1n } }]);
    assert.equal(store.commits(), before + 3);
    // A refused move rolls back and counts nothing.
    assert.throws(() => store.markQueued(["q"]), InvalidTransitionError);
    assert.equal(store.commits(), before + 3);
    store.close();
  });

  test("behavior: settlements inserted together share one commit; a repeated key gets the first record", () => {
    const store = createSqliteStore({ path: ":memory:" });
    const [p1, p2] = [buildPayment({ seed: "1" }), buildPayment({ seed: "2" })];
    const input = (payment: ExactPayment, id: string) => ({
      id,
      key: settlementKey(payment),
      fingerprint: paymentFingerprint(payment),
      payment,
      state: "queued" as const,
    });
    const before = store.commits();
    const results = store.insertSettlements([input(p1!, "one"), input(p2!, "two"), input(p1!, "again")]);
    assert.equal(store.commits(), before + 1);
    assert.deepEqual(
      results.map((r) => [r.record.id, r.created, r.record.state]),
      [
        ["one", true, "queued"],
        ["two", true, "queued"],
        ["one", false, "queued"],
      ],
    );
    assert.equal(store.getById("again"), undefined);
    store.close();
  });

  test("behavior: refuses moves the state machine forbids, and changes nothing", () => {
    const store = createSqliteStore({ path: ":memory:" });
    insert(store, buildPayment(), "a");
    assert.throws(
      () => store.recordSubmission({ attempt: attempt(1, hash(2)), items: [{ id: "a", batchIndex: undefined }] }),
      InvalidTransitionError,
    );
    // The attempt insert was rolled back with the failed move.
    assert.equal(store.highestNonce(31337, "0x4444444444444444444444444444444444444444"), undefined);
    store.markQueued(["a"]);
    store.settle([
      { id: "a", outcome: { state: "failed", reason: "validBefore", message: "expired", txHash: undefined } },
    ]);
    assert.throws(() => store.requeue(["a"], []), InvalidTransitionError);
    assert.throws(() => store.markQueued(["a"]), InvalidTransitionError);
    assert.equal(store.getById("a")?.state, "failed");
    store.close();
  });

  test("behavior: a requeue marks the old attempts dead, so the nonce allocator ignores them", () => {
    const store = createSqliteStore({ path: ":memory:" });
    const signer = "0x4444444444444444444444444444444444444444";
    insert(store, buildPayment({ seed: "1" }), "a");
    insert(store, buildPayment({ seed: "2" }), "b");
    store.markQueued(["a", "b"]);
    store.recordSubmission({ attempt: attempt(3, hash(3)), items: [{ id: "a", batchIndex: undefined }] });
    store.recordSubmission({ attempt: attempt(4, hash(4)), items: [{ id: "b", batchIndex: undefined }] });
    assert.equal(store.highestNonce(31337, signer), 4);
    store.requeue(["b"], [hash(4)]);
    assert.equal(store.highestNonce(31337, signer), 3);
    assert.deepEqual(store.attemptsForSlot(31337, signer, 4), []);
    const b = store.getById("b");
    assert.equal(b?.state, "queued");
    assert.equal(b?.txHash, undefined);
    store.close();
  });

  test("behavior: a replacement keeps the slot and points the settlements at the newest hash", () => {
    const store = createSqliteStore({ path: ":memory:" });
    const signer = "0x4444444444444444444444444444444444444444";
    insert(store, buildPayment(), "a");
    store.markQueued(["a"]);
    store.recordSubmission({ attempt: attempt(5, hash(5)), items: [{ id: "a", batchIndex: undefined }] });
    store.recordReplacement(attempt(5, hash(6), { maxFeePerGas: 4n }));
    assert.deepEqual(
      store.attemptsForSlot(31337, signer, 5).map((a) => a.hash),
      [hash(5), hash(6)],
    );
    assert.equal(store.getById("a")?.txHash, hash(6));
    assert.deepEqual(
      store.settlementsForSlot(31337, signer, 5).map((r) => r.id),
      ["a"],
    );
    store.close();
  });

  test("behavior: numbered migrations run once and the journal survives a reopen", () => {
    const path = tempPath();
    const store = createSqliteStore({ path });
    insert(store, buildPayment(), "a");
    store.close();
    const reopened = createSqliteStore({ path });
    assert.equal(reopened.getById("a")?.state, "received");
    assert.deepEqual(reopened.countByState(), {
      received: 1,
      queued: 0,
      submitted: 0,
      unknown: 0,
      confirmed: 0,
      failed: 0,
    });
    reopened.close();
    const raw = new DatabaseSync(path);
    assert.equal((raw.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 2); // 0001_init, 0002_batch_settlement
    assert.equal((raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
    raw.close();
  });

  test("behavior: a second facilitator on the same journal fails fast", () => {
    const path = tempPath();
    const store = createSqliteStore({ path });
    assert.throws(() => createSqliteStore({ path }), DataDirLockedError);
    store.close();
  });
});
