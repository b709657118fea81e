import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import type { Hex } from "viem";
import { buildPayment } from "../../test/helpers/buildPayment.js";
import { STORES } from "../../test/helpers/stores.js";
import { until } from "../../test/helpers/until.js";
import { InvalidTransitionError, LeaseLostError } from "../domain/errors.js";
import { paymentFingerprint, settlementKey } from "../domain/fingerprint.js";
import type { PaymentStore } from "../domain/store.js";
import type { ExactPayment, TxAttempt } from "../domain/types.js";
import { createLeaseKeeper, type LeaseKeeper } from "../engine/pipeline/createLeaseKeeper.js";

const insert = (store: PaymentStore, payment: ExactPayment, id: string) =>
  store.insertSettlement({ id, key: settlementKey(payment), fingerprint: paymentFingerprint(payment), payment });

const signer = "0x4444444444444444444444444444444444444444";
const attempt = (nonce: number, hash: Hex, overrides: Partial<TxAttempt> = {}): TxAttempt => ({
  chainId: 31337,
  signer,
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

// The contract every PaymentStore adapter keeps, run on each backend (one suite each).
for (const [name, backendOf] of Object.entries(STORES)) {
  describe(`PaymentStore contract on ${name}`, () => {
    const backend = backendOf();
    const stores: PaymentStore[] = [];
    const open = async () => {
      const store = await (await backend.fresh()).open();
      stores.push(store);
      return store;
    };
    before(() => backend.setup());
    after(async () => {
      for (const store of stores) await store.close();
      await backend.teardown();
    });

    test("default: inserts a settlement in state received and reads it back by id and by key", async () => {
      const store = await open();
      const payment = buildPayment();
      const { record, created } = await insert(store, payment, "a");
      assert.equal(created, true);
      assert.equal(record.state, "received");
      assert.deepEqual((await store.getById("a"))?.payment, payment);
      assert.equal((await store.getByKey(settlementKey(payment)))?.id, "a");
    });

    test("behavior: one settlement per (chainId, asset, from, nonce), whatever the letter case", async () => {
      const store = await open();
      const payment = buildPayment();
      await insert(store, payment, "first");
      const upper = buildPayment({
        asset: payment.asset.toUpperCase().replace("0X", "0x") as ExactPayment["asset"],
        authorization: {
          ...payment.authorization,
          nonce: payment.authorization.nonce.toUpperCase().replace("0X", "0x") as Hex,
        },
      });
      const second = await insert(store, upper, "second");
      assert.equal(second.created, false);
      assert.equal(second.record.id, "first");
      assert.equal(await store.getById("second"), undefined);
    });

    test("behavior: concurrent inserts of one key create one row; every caller gets it", async () => {
      const store = await open();
      const payment = buildPayment({ seed: "race" });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => insert(store, payment, `r${i}`)));
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(new Set(results.map((r) => r.record.id)).size, 1);
      assert.equal((await store.countByState()).received, 1);
    });

    test("behavior: walks received → queued → submitted → confirmed and records the attempt", async () => {
      const store = await open();
      await insert(store, buildPayment(), "a");
      await store.markQueued(["a"]);
      await store.recordSubmission({ attempt: attempt(7, hash(1)), items: [{ id: "a", batchIndex: undefined }] });
      const submitted = await store.getById("a");
      assert.equal(submitted?.state, "submitted");
      assert.equal(submitted?.signerNonce, 7);
      assert.equal(submitted?.txHash, hash(1));
      assert.deepEqual(
        (await store.attemptsForSlot(31337, signer, 7)).map((a) => a.hash),
        [hash(1)],
      );
      await store.settle([{ id: "a", outcome: { state: "confirmed", txHash: hash(1), blockNumber: 12n } }]);
      const confirmed = await store.getById("a");
      assert.equal(confirmed?.state, "confirmed");
      assert.equal(confirmed?.blockNumber, 12n);
    });

    test("behavior: a settlement handed on at once is inserted queued in one commit; every write commit is counted", async () => {
      const store = await open();
      const payment = buildPayment();
      const before = store.commits();
      const { record } = await store.insertSettlement({
        id: "q",
        key: settlementKey(payment),
        fingerprint: paymentFingerprint(payment),
        payment,
        state: "queued",
      });
      assert.equal(record.state, "queued");
      assert.equal(store.commits(), before + 1);
      // A duplicate insert writes nothing.
      await insert(store, payment, "dup");
      assert.equal(store.commits(), before + 1);
      await store.recordSubmission({ attempt: attempt(3, hash(9)), items: [{ id: "q", batchIndex: 0 }] });
      await store.settle([{ id: "q", outcome: { state: "confirmed", txHash: hash(9), blockNumber: 1n } }]);
      assert.equal(store.commits(), before + 3);
      // A refused move rolls back and counts nothing.
      await assert.rejects(store.markQueued(["q"]), InvalidTransitionError);
      assert.equal(store.commits(), before + 3);
    });

    test("behavior: settlements inserted together share one commit; a repeated key gets the first record", async () => {
      const store = await open();
      const [p1, p2] = [buildPayment({ seed: "1" }), buildPayment({ seed: "2" })];
      const input = (payment: ExactPayment, id: string) => ({
        id,
        key: settlementKey(payment),
        fingerprint: paymentFingerprint(payment),
        payment,
        state: "queued" as const,
      });
      const before = store.commits();
      const results = await store.insertSettlements([input(p1!, "one"), input(p2!, "two"), input(p1!, "again")]);
      assert.equal(store.commits(), before + 1);
      assert.deepEqual(
        results.map((r) => [r.record.id, r.created, r.record.state]),
        [
          ["one", true, "queued"],
          ["two", true, "queued"],
          ["one", false, "queued"],
        ],
      );
      assert.equal(await store.getById("again"), undefined);
    });

    test("behavior: refuses moves the state machine forbids, and changes nothing", async () => {
      const store = await open();
      await insert(store, buildPayment(), "a");
      await assert.rejects(
        store.recordSubmission({ attempt: attempt(1, hash(2)), items: [{ id: "a", batchIndex: undefined }] }),
        InvalidTransitionError,
      );
      // The attempt insert was rolled back with the failed move.
      assert.equal(await store.highestNonce(31337, signer), undefined);
      await store.markQueued(["a"]);
      await store.settle([
        { id: "a", outcome: { state: "failed", reason: "validBefore", message: "expired", txHash: undefined } },
      ]);
      await assert.rejects(store.requeue(["a"], []), InvalidTransitionError);
      await assert.rejects(store.markQueued(["a"]), InvalidTransitionError);
      assert.equal((await store.getById("a"))?.state, "failed");
    });

    test("behavior: a requeue marks the old attempts dead, so the nonce allocator ignores them", async () => {
      const store = await open();
      await insert(store, buildPayment({ seed: "1" }), "a");
      await insert(store, buildPayment({ seed: "2" }), "b");
      await store.markQueued(["a", "b"]);
      await store.recordSubmission({ attempt: attempt(3, hash(3)), items: [{ id: "a", batchIndex: undefined }] });
      await store.recordSubmission({ attempt: attempt(4, hash(4)), items: [{ id: "b", batchIndex: undefined }] });
      assert.equal(await store.highestNonce(31337, signer), 4);
      await store.requeue(["b"], [hash(4)]);
      assert.equal(await store.highestNonce(31337, signer), 3);
      assert.deepEqual(await store.attemptsForSlot(31337, signer, 4), []);
      const b = await store.getById("b");
      assert.equal(b?.state, "queued");
      assert.equal(b?.txHash, undefined);
    });

    test("behavior: a replacement keeps the slot and points the settlements at the newest hash", async () => {
      const store = await open();
      await insert(store, buildPayment(), "a");
      await store.markQueued(["a"]);
      const createdAt = Date.now();
      await store.recordSubmission({
        attempt: attempt(5, hash(5), { createdAt }),
        items: [{ id: "a", batchIndex: undefined }],
      });
      // Same millisecond: the insertion order still says which attempt is the latest.
      await store.recordReplacement(attempt(5, hash(6), { maxFeePerGas: 4n, createdAt }));
      assert.deepEqual(
        (await store.attemptsForSlot(31337, signer, 5)).map((a) => a.hash),
        [hash(5), hash(6)],
      );
      assert.equal((await store.getById("a"))?.txHash, hash(6));
      assert.deepEqual(
        (await store.settlementsForSlot(31337, signer, 5)).map((r) => r.id),
        ["a"],
      );
      await store.abandonReplacement(attempt(5, hash(6)), attempt(5, hash(5)));
      assert.deepEqual(
        (await store.attemptsForSlot(31337, signer, 5)).map((a) => a.hash),
        [hash(5)],
      );
      assert.equal((await store.getById("a"))?.txHash, hash(5));
    });

    test("behavior: unknown and back; lists by state oldest first, per chain; counts by state", async () => {
      const store = await open();
      for (const i of [1, 2, 3]) await insert(store, buildPayment({ seed: String(i) }), `s${i}`);
      await store.markQueued(["s1", "s2"]);
      await store.recordSubmission({ attempt: attempt(1, hash(11)), items: [{ id: "s1", batchIndex: undefined }] });
      await store.markUnknown(["s1"], "no answer");
      assert.equal((await store.getById("s1"))?.message, "no answer");
      await store.markSubmitted(["s1"]);
      assert.equal((await store.getById("s1"))?.message, undefined);
      assert.deepEqual(
        (await store.listByState(["received", "queued"])).map((r) => r.id),
        ["s2", "s3"],
      );
      assert.deepEqual(await store.listByState(["received"], 1), []);
      assert.deepEqual(await store.countByState(), {
        received: 1,
        queued: 1,
        submitted: 1,
        unknown: 0,
        confirmed: 0,
        failed: 0,
      });
    });

    test("behavior: a claim takes queued settlements only; a submitted one is never carried by a second transaction", async () => {
      const store = await open();
      await insert(store, buildPayment(), "a");
      await store.markQueued(["a"]);
      await store.recordSubmission({ attempt: attempt(1, hash(1)), items: [{ id: "a", batchIndex: undefined }] });
      await assert.rejects(
        store.recordSubmission({ attempt: attempt(2, hash(2)), items: [{ id: "a", batchIndex: undefined }] }),
        InvalidTransitionError,
      );
      assert.equal((await store.getById("a"))?.txHash, hash(1));
      assert.equal(await store.highestNonce(31337, signer), 1);
    });

    test("behavior: a signer lease is taken when free or expired, renewed by its holder, and its token rises", async () => {
      let now = 1_000_000;
      const store = await (await backend.fresh()).open({ now: () => now });
      stores.push(store);
      const leases = store.leases;
      assert.ok(leases);
      const first = await leases.acquire(signer, "one", 10_000);
      assert.equal(first?.lease.token, 1n);
      assert.equal(first?.tookOverFrom, undefined);
      assert.equal(await leases.acquire(signer, "two", 10_000), undefined, "held and live: refused");
      now += 5_000;
      assert.equal(await leases.renew(signer, 10_000), true);
      assert.equal((await leases.acquire(signer, "one", 10_000))?.lease.token, 1n, "its holder renews it");
      now += 9_000;
      assert.equal(await leases.acquire(signer, "two", 10_000), undefined, "renewed: not expired yet");
      now += 1_001;
      const second = await leases.acquire(signer, "two", 10_000);
      assert.equal(second?.lease.token, 2n);
      assert.equal(second?.tookOverFrom, "one");
      assert.deepEqual(
        leases.held().map((l) => [l.holder, l.token]),
        [["two", 2n]],
      );
      await leases.release(signer);
      assert.deepEqual(leases.held(), []);
      const third = await leases.acquire(signer, "three", 10_000);
      assert.equal(third?.lease.token, 3n, "a released lease is free at once");
      assert.equal(third?.tookOverFrom, undefined, "a handed-back lease is no takeover");
      assert.deepEqual(
        (await leases.list()).map((l) => [l.signer, l.holder, l.token]),
        [[signer, "three", 3n]],
      );
    });

    test("behavior: a signer's writes are fenced by its lease once leases are used", async () => {
      const store = await open();
      const leases = store.leases;
      assert.ok(leases);
      await insert(store, buildPayment(), "a");
      await store.markQueued(["a"]);
      await leases.acquire("0x5555555555555555555555555555555555555555", "me", 10_000);
      await assert.rejects(
        store.recordSubmission({ attempt: attempt(1, hash(1)), items: [{ id: "a", batchIndex: undefined }] }),
        LeaseLostError,
        "no lease of this signer: nothing of it is written",
      );
      assert.equal((await store.getById("a"))?.state, "queued");
      await leases.acquire(signer, "me", 10_000);
      await store.recordSubmission({ attempt: attempt(1, hash(1)), items: [{ id: "a", batchIndex: undefined }] });
      await leases.release(signer);
      await assert.rejects(store.markUnknown(["a"], "no answer"), LeaseLostError, "released: fenced off");
      assert.equal((await store.getById("a"))?.state, "submitted");
    });

    test("behavior: statesOf reads many settlements' states at once, leaving out unknown ids", async () => {
      const store = await open();
      const ids = Array.from({ length: 1_203 }, (_, i) => `s${i}`);
      await store.insertSettlements(
        ids.map((id) => {
          const payment = buildPayment({ seed: id });
          return { id, key: settlementKey(payment), fingerprint: paymentFingerprint(payment), payment };
        }),
      );
      await store.markQueued(["s7", "s1202"]);
      const states = await store.statesOf([...ids, "nobody"]);
      assert.equal(states.size, ids.length, "every id across chunks, not the unknown one");
      assert.equal(states.get("s7"), "queued");
      assert.equal(states.get("s1202"), "queued");
      assert.equal(states.get("s0"), "received");
      assert.equal(states.has("nobody"), false);
      assert.deepEqual(await store.statesOf([]), new Map());
    });

    test("behavior: lease candidates are live while heartbeated, expire, and leave at once", async () => {
      let now = 3_000_000;
      const store = await (await backend.fresh()).open({ now: () => now });
      stores.push(store);
      const leases = store.leases;
      assert.ok(leases);
      const other = "0x5555555555555555555555555555555555555555";
      assert.deepEqual(await leases.heartbeat("a", [signer, other], 1_000), [
        { signer, holder: "a" },
        { signer: other, holder: "a" },
      ]);
      now += 500;
      assert.deepEqual(await leases.heartbeat("b", [signer.toUpperCase().replace("0X", "0x") as Hex], 1_000), [
        { signer, holder: "a" },
        { signer, holder: "b" },
        { signer: other, holder: "a" },
      ]);
      now += 600;
      assert.deepEqual(await leases.heartbeat("b", [signer], 1_000), [{ signer, holder: "b" }], "a expired");
      await leases.heartbeat("a", [signer, other], 1_000);
      await leases.leave("a", [signer, other]);
      assert.deepEqual(await leases.heartbeat("b", [signer], 1_000), [{ signer, holder: "b" }], "a left");
    });

    test("behavior: the journal survives a reopen; migrations run once", async () => {
      const journal = await backend.fresh();
      const store = await journal.open();
      await insert(store, buildPayment(), "a");
      await store.close();
      const reopened = await journal.open();
      stores.push(reopened);
      assert.equal((await reopened.getById("a"))?.state, "received");
      assert.deepEqual(await reopened.countByState(), {
        received: 1,
        queued: 0,
        submitted: 0,
        unknown: 0,
        confirmed: 0,
        failed: 0,
      });
    });
  });
}

// Several instances on one journal: only a shared store (Postgres) can be opened twice.
describe("signer leases on a shared journal (Postgres)", () => {
  const backend = STORES.Postgres?.() as NonNullable<ReturnType<NonNullable<(typeof STORES)["Postgres"]>>>;
  const stores: PaymentStore[] = [];
  before(() => backend.setup());
  after(async () => {
    for (const store of stores) await store.close();
    await backend.teardown();
  });

  test("behavior: a holder whose lease was taken over after expiry cannot write that signer's work", async () => {
    let now = 2_000_000;
    const clock = { now: () => now };
    const journal = await backend.fresh();
    const stale = await journal.open(clock);
    const fresh = await journal.open(clock);
    stores.push(stale, fresh);
    await insert(stale, buildPayment(), "a");
    await insert(stale, buildPayment({ seed: "b" }), "b");
    await stale.markQueued(["a", "b"]);
    assert.equal((await stale.leases?.acquire(signer, "stale", 10_000))?.lease.token, 1n);
    await stale.recordSubmission({ attempt: attempt(1, hash(1)), items: [{ id: "a", batchIndex: undefined }] });
    assert.equal(await fresh.leases?.acquire(signer, "fresh", 10_000), undefined, "live: not taken");
    now += 10_001;
    const taken = await fresh.leases?.acquire(signer, "fresh", 10_000);
    assert.equal(taken?.lease.token, 2n);
    assert.equal(taken?.tookOverFrom, "stale");
    // The stale holder still believes it holds the lease: every write of the signer's work is refused.
    await assert.rejects(
      stale.recordSubmission({ attempt: attempt(2, hash(2)), items: [{ id: "b", batchIndex: undefined }] }),
      LeaseLostError,
    );
    await assert.rejects(stale.markUnknown(["a"], "no answer"), LeaseLostError);
    await assert.rejects(
      stale.settle([{ id: "a", outcome: { state: "confirmed", txHash: hash(1), blockNumber: 1n } }]),
      LeaseLostError,
    );
    assert.equal(await stale.leases?.renew(signer, 10_000), false, "its renewal finds the lease gone");
    assert.deepEqual(stale.leases?.held(), []);
    assert.equal(await fresh.highestNonce(31337, signer), 1, "no attempt of the stale holder after the takeover");
    // The new holder goes on from what the old one persisted.
    await fresh.recordSubmission({ attempt: attempt(2, hash(3)), items: [{ id: "b", batchIndex: undefined }] });
    await fresh.settle([{ id: "a", outcome: { state: "confirmed", txHash: hash(1), blockNumber: 1n } }]);
    assert.equal((await fresh.getById("a"))?.state, "confirmed");
    assert.equal((await fresh.getById("b"))?.txHash, hash(3));
  });

  test("behavior: received rows and the queued rows of an instance without a live lease are claimed once", async () => {
    const journal = await backend.fresh();
    const one = await journal.open();
    const two = await journal.open();
    stores.push(one, two);
    await one.leases?.acquire(signer, "one", 10_000);
    await two.leases?.acquire("0x5555555555555555555555555555555555555555", "two", 10_000);
    const queued = (seed: string) => ({
      id: seed,
      key: settlementKey(buildPayment({ seed })),
      fingerprint: paymentFingerprint(buildPayment({ seed })),
      payment: buildPayment({ seed }),
      state: "queued" as const,
    });
    await one.insertSettlements([queued("q1"), queued("q2")]);
    await insert(one, buildPayment({ seed: "r1" }), "r1");
    const [first, second] = await Promise.all([
      two.leases?.claimUnowned(31337, 10),
      one.leases?.claimUnowned(31337, 10),
    ]);
    assert.deepEqual(
      [...(first ?? []), ...(second ?? [])].map((r) => r.id),
      ["r1"],
      "one live instance's queue is its own",
    );
    assert.deepEqual(await two.leases?.claimUnowned(31337, 10), [], "claimed rows are owned now");
    await one.leases?.release(signer);
    assert.deepEqual(
      (await two.leases?.claimUnowned(31337, 10))?.map((r) => r.id).sort(),
      ["q1", "q2", ...((second ?? []).length > 0 ? ["r1"] : [])].sort(),
      "an instance holding no lease loses its queue to one that does",
    );
  });

  test("behavior: lease keepers sharing three keys balance them, one each, and rebalance when one leaves", async () => {
    const journal = await backend.fresh();
    const keys = [signer, "0x5555555555555555555555555555555555555555", "0x6666666666666666666666666666666666666666"];
    const busy = new Set<string>();
    const keeperOf = async (holder: string) => {
      const store = await journal.open();
      stores.push(store);
      const leases = store.leases;
      assert.ok(leases);
      return createLeaseKeeper({
        leases,
        signers: keys as Hex[],
        holder,
        ttlMs: 900,
        clock: { now: () => Date.now() },
        logger: pino({ level: "silent" }),
        gained: async () => {},
        lost: () => {},
        idle: (s) => !busy.has(s.toLowerCase()),
      });
    };
    const counts = (keepers: LeaseKeeper[]) => keepers.map((k) => keys.filter((s) => k.holds(s as Hex)).length);
    const a = await keeperOf("a");
    await a.start();
    assert.deepEqual(counts([a]), [3], "alone, it takes every key");
    const b = await keeperOf("b");
    const c = await keeperOf("c");
    // A key still busy on a: it is not given new work at once, and released only when idle or a TTL later.
    busy.add(keys[2] as string);
    await Promise.all([b.start(), c.start()]);
    await until(async () => (counts([a, b, c]).join() === "1,1,1" ? true : undefined), "one key each", 10_000);
    const holders = keys.map((s) => [a, b, c].filter((k) => k.holds(s as Hex)).length);
    assert.deepEqual(holders, [1, 1, 1], "no key held twice");
    await c.release();
    await until(
      async () => ([...counts([a, b])].sort().join() === "1,2" ? true : undefined),
      "c's key taken by a or b",
      10_000,
    );
    await Promise.all([a.release(), b.release()]);
  });

  test("behavior: an instance alive on another lease gives up what it queued: another claims it at once", async () => {
    const journal = await backend.fresh();
    const [live, other] = await Promise.all([journal.open(), journal.open()]);
    stores.push(live, other);
    const sender = "0x7777777777777777777777777777777777777777";
    assert.ok(await live.leases?.acquire(signer, "live", 60_000));
    await insert(live, buildPayment({ seed: "d1" }), "d1");
    await insert(live, buildPayment({ seed: "d2" }), "d2");
    await live.markQueued(["d1", "d2"]);
    // live hands its signer over but stays alive on another lease (a scheme sender's, say): its rows are its own.
    await live.leases?.release(signer);
    assert.ok(await live.leases?.acquire(sender, "live", 60_000));
    assert.ok(await other.leases?.acquire(signer, "other", 60_000));
    assert.deepEqual(await other.leases?.claimUnowned(31337, 10), [], "queued by a live instance: not claimed");
    await live.leases?.disown(["d1", "nobody"]);
    assert.deepEqual(
      (await other.leases?.claimUnowned(31337, 10))?.map((r) => r.id),
      ["d1"],
      "the given-up row is claimed, the other stays live's",
    );
  });

  test("behavior: instances racing for one free lease: exactly one gets it", async () => {
    const journal = await backend.fresh();
    const racers = await Promise.all([1, 2, 3, 4].map(() => journal.open()));
    stores.push(...racers);
    const results = await Promise.all(racers.map((s, i) => s.leases?.acquire(signer, `racer-${i}`, 10_000)));
    assert.equal(results.filter((r) => r !== undefined).length, 1);
  });
});
