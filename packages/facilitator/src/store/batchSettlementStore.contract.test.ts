import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Address, Hex } from "viem";
import { STORES } from "../../test/helpers/stores.js";
import type { BatchSettlementStoreHost } from "../domain/batchSettlementStore.js";
import { LeaseLostError } from "../domain/errors.js";
import type { PaymentStore } from "../domain/store.js";

const tx = { signer: "0x0000000000000000000000000000000000000001", signerNonce: 7, hash: "0xaa", raw: "0xbb" } as const;

// The contract every journal's batch-settlement intents keep, run on each backend (one suite each).
for (const [name, backendOf] of Object.entries(STORES)) {
  describe(`BatchSettlementStore contract on ${name}`, () => {
    const backend = backendOf();
    const opened: (PaymentStore & BatchSettlementStoreHost)[] = [];
    const track = (journal: PaymentStore & BatchSettlementStoreHost) => {
      opened.push(journal);
      return journal;
    };
    before(() => backend.setup());
    after(async () => {
      for (const journal of opened) await journal.close();
      await backend.teardown();
    });

    test("default: an intent is inserted once, signed, finished, and survives a reopen", async () => {
      const fresh = await backend.fresh();
      const journal = track(await fresh.open());
      const store = journal.batchSettlement;
      const input = { key: "claim:1:0x01", kind: "claim", chainId: 1, fingerprint: "0x01" as Hex } as const;
      assert.equal((await store.insertIntent(input)).created, true);
      const again = await store.insertIntent({ ...input, fingerprint: "0x02" });
      assert.equal(again.created, false);
      assert.equal(again.intent.fingerprint, "0x01", "the first payload's fingerprint stays");
      await store.recordIntentTransaction(input.key, tx);
      assert.deepEqual(
        (await store.listSubmittedIntents()).map((i) => [i.key, i.state, i.txHash, i.rawTx, i.signerNonce, i.chainId]),
        [[input.key, "submitted", "0xaa", "0xbb", 7, 1]],
      );
      await store.dropIntent(input.key); // only unsigned intents can be dropped
      assert.equal((await store.getIntent(input.key))?.state, "submitted");
      await assert.rejects(store.recordIntentTransaction(input.key, tx), "a key is signed once");
      await journal.close();
      const reopened = track(await fresh.open());
      await reopened.batchSettlement.finishIntent(input.key, '{"success":true}');
      assert.equal((await reopened.batchSettlement.getIntent(input.key))?.answer, '{"success":true}');
      assert.deepEqual(await reopened.batchSettlement.listSubmittedIntents(), []);
    });

    test("behavior: an unsigned intent can be dropped, so a retry checks again", async () => {
      const store = track(await (await backend.fresh()).open()).batchSettlement;
      await store.insertIntent({ key: "settle:1:a", kind: "settle", chainId: 1, fingerprint: "0x01" });
      await store.dropIntent("settle:1:a");
      assert.equal(await store.getIntent("settle:1:a"), undefined);
      await assert.rejects(store.finishIntent("settle:1:a", "{}"), "nothing to finish");
    });

    test("behavior: a signed intent whose bytes the node refused is forgotten only for that transaction", async () => {
      const store = track(await (await backend.fresh()).open()).batchSettlement;
      const input = { key: "deposit:1:a", kind: "deposit", chainId: 1, fingerprint: "0x01" as Hex } as const;
      await store.insertIntent(input);
      await store.recordIntentTransaction(input.key, tx);
      await store.dropRefusedIntent(input.key, "0xcc"); // another transaction: kept
      assert.equal((await store.getIntent(input.key))?.state, "submitted");
      await store.dropRefusedIntent(input.key, tx.hash);
      assert.equal(await store.getIntent(input.key), undefined);
      assert.equal((await store.insertIntent(input)).created, true, "a retry starts afresh");
    });

    test("behavior: intents sent in one transaction are recorded all together or not at all", async () => {
      const store = track(await (await backend.fresh()).open()).batchSettlement;
      for (const key of ["deposit:1:a", "deposit:1:b", "deposit:1:c"]) {
        await store.insertIntent({ key, kind: "deposit", chainId: 1, fingerprint: "0x01" });
      }
      await store.recordIntentsTransaction(["deposit:1:a", "deposit:1:b"], tx);
      assert.deepEqual((await store.listSubmittedIntents()).map((i) => [i.key, i.txHash]).sort(), [
        ["deposit:1:a", "0xaa"],
        ["deposit:1:b", "0xaa"],
      ]);
      // "deposit:1:a" is signed already: the whole record is refused and "deposit:1:c" stays unsigned.
      await assert.rejects(store.recordIntentsTransaction(["deposit:1:c", "deposit:1:a"], { ...tx, hash: "0xdd" }));
      assert.equal((await store.getIntent("deposit:1:c"))?.state, "received");
      assert.equal((await store.getIntent("deposit:1:a"))?.txHash, "0xaa");
    });

    test("behavior: the Permit2 proxies' settlements are intents too, and other kinds are refused", async () => {
      const store = track(await (await backend.fresh()).open()).batchSettlement;
      for (const kind of ["permit2_exact", "permit2_upto"] as const) {
        const key = `permit2:1:0x01:${kind}`;
        assert.equal((await store.insertIntent({ key, kind, chainId: 1, fingerprint: "0x01" })).created, true);
        await store.recordIntentTransaction(key, { ...tx, hash: `0x${kind.length}` as Hex });
        await store.finishIntent(key, '{"success":true}');
        assert.deepEqual([(await store.getIntent(key))?.kind, (await store.getIntent(key))?.state], [kind, "done"]);
      }
      await assert.rejects(
        store.insertIntent({ key: "x", kind: "transfer" as never, chainId: 1, fingerprint: "0x01" }),
        "the kind CHECK holds after the table was rebuilt",
      );
    });
  });
}

// Scheme senders under signer leases: several instances on one journal, so only a shared store (Postgres).
describe("scheme sender leases fence the intents journal (Postgres)", () => {
  const backend = STORES.Postgres?.() as NonNullable<ReturnType<NonNullable<(typeof STORES)["Postgres"]>>>;
  const opened: PaymentStore[] = [];
  before(() => backend.setup());
  after(async () => {
    for (const journal of opened) await journal.close();
    await backend.teardown();
  });
  const sender: Address = "0x6666666666666666666666666666666666666666";
  const signed = (n: number) => ({ signer: sender, signerNonce: n, hash: `0x0${n}` as Hex, raw: "0xbb" as Hex });

  test("behavior: a stale holder of a sender lease persists no intent write once another took the lease", async () => {
    let now = 3_000_000;
    const clock = { now: () => now };
    const journal = await backend.fresh();
    const stale = await journal.open(clock);
    const fresh = await journal.open(clock);
    opened.push(stale, fresh);
    assert.equal((await stale.leases?.acquire(sender, "stale", 10_000))?.lease.token, 1n);
    const input = { key: "deposit:1:a", kind: "deposit", chainId: 1, fingerprint: "0x01", signer: sender } as const;
    await stale.batchSettlement.insertIntent(input);
    await stale.batchSettlement.insertIntent({ ...input, key: "deposit:1:b" });
    await stale.batchSettlement.recordIntentTransaction("deposit:1:a", signed(1));
    await fresh.leases?.acquire("0x5555555555555555555555555555555555555555", "fresh", 10_000); // a lane's, say
    await assert.rejects(
      fresh.batchSettlement.insertIntent({ ...input, key: "deposit:1:c" }),
      LeaseLostError,
      "leases in use, this sender's not held: nothing of it is written",
    );
    now += 10_001;
    const taken = await fresh.leases?.acquire(sender, "fresh", 10_000);
    assert.deepEqual([taken?.lease.token, taken?.tookOverFrom], [2n, "stale"]);
    // The stale holder still believes it holds the lease: every write of the sender's intents is refused.
    await assert.rejects(stale.batchSettlement.recordIntentTransaction("deposit:1:b", signed(2)), LeaseLostError);
    await assert.rejects(
      stale.batchSettlement.recordIntentsTransaction(["deposit:1:b"], signed(2)),
      LeaseLostError,
      "a shared transaction too: persist-before-broadcast, so it broadcasts nothing",
    );
    await assert.rejects(stale.batchSettlement.insertIntent({ ...input, key: "deposit:1:d" }), LeaseLostError);
    await assert.rejects(stale.batchSettlement.finishIntent("deposit:1:a", '{"success":true}'), LeaseLostError);
    await assert.rejects(stale.batchSettlement.dropIntent("deposit:1:b"), LeaseLostError);
    await assert.rejects(stale.batchSettlement.dropRefusedIntent("deposit:1:a", "0x01"), LeaseLostError);
    assert.equal((await fresh.batchSettlement.getIntent("deposit:1:b"))?.state, "received", "nothing signed by it");
    assert.equal(await fresh.batchSettlement.getIntent("deposit:1:d"), undefined);
    // The new holder goes on from what the stale one persisted.
    await fresh.batchSettlement.recordIntentTransaction("deposit:1:b", signed(2));
    await fresh.batchSettlement.finishIntent("deposit:1:a", '{"success":true}');
    assert.deepEqual(
      (await fresh.batchSettlement.listSubmittedIntents()).map((i) => [i.key, i.signerNonce]),
      [["deposit:1:b", 2]],
    );
  });
});
