import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { pino } from "pino";
import { buildPayment } from "../../test/helpers/buildPayment.js";
import { paymentFingerprint, settlementKey } from "../domain/fingerprint.js";
import type { ExactPayment } from "../domain/types.js";
import { createSqliteStore } from "../store/sqlite/createSqliteStore.js";
import { createFacilitatorEvents } from "./createFacilitatorEvents.js";
import { observeStore } from "./observeStore.js";

const newSettlement = (payment: ExactPayment, id: string) => ({
  id,
  key: settlementKey(payment),
  fingerprint: paymentFingerprint(payment),
  payment,
});

describe("observeStore", () => {
  test("default: reports the ids a write touched, after it committed, once per turn", async () => {
    const journal = createSqliteStore({ path: ":memory:" });
    const reports: string[][] = [];
    const store = observeStore(
      journal,
      (ids) => reports.push([...ids]),
      () => true,
    );
    const a = buildPayment({ seed: "a" });
    const b = buildPayment({ seed: "b" });
    await store.insertSettlements([newSettlement(a, "a"), newSettlement(b, "b")]);
    await store.markQueued(["a"]);
    assert.deepEqual(reports, [], "nothing is reported inside the write's own turn");
    await nextTurn();
    assert.deepEqual(reports, [["a", "b"]]);
    assert.equal((await journal.getById("a"))?.state, "queued", "the write itself went through unchanged");
    await store.settle([
      { id: "b", outcome: { state: "failed", reason: "invalidSignature", message: "x", txHash: undefined } },
    ]);
    await nextTurn();
    assert.deepEqual(reports, [["a", "b"], ["b"]]);
    await journal.close();
  });

  test("behavior: an insert that finds an existing row reports nothing", async () => {
    const journal = createSqliteStore({ path: ":memory:" });
    const reports: string[][] = [];
    const store = observeStore(
      journal,
      (ids) => reports.push([...ids]),
      () => true,
    );
    const payment = buildPayment();
    await store.insertSettlement(newSettlement(payment, "a"));
    await nextTurn();
    await store.insertSettlement(newSettlement(payment, "again"));
    await nextTurn();
    assert.deepEqual(reports, [["a"]]);
    await journal.close();
  });

  test("behavior: collects nothing while nobody observes", async () => {
    const journal = createSqliteStore({ path: ":memory:" });
    let calls = 0;
    const store = observeStore(
      journal,
      () => calls++,
      () => false,
    );
    await store.insertSettlement(newSettlement(buildPayment(), "a"));
    await nextTurn();
    assert.equal(calls, 0);
    assert.equal((await store.getById("a"))?.state, "received");
    await journal.close();
  });
});

describe("createFacilitatorEvents", () => {
  test("behavior: a listener that throws neither reaches emit nor stops the other listeners", () => {
    const events = createFacilitatorEvents({ logger: pino({ level: "silent" }) });
    const seen: string[] = [];
    events.subscribe(() => {
      throw new Error("boom");
    });
    const unsubscribe = events.subscribe((event) => seen.push(event.type));
    assert.equal(events.observed(), true);
    const event = {
      type: "settlement",
      at: 0,
      settlement: {} as never,
    } as const;
    events.emit(event);
    unsubscribe();
    events.emit(event);
    assert.deepEqual(seen, ["settlement"]);
  });
});
