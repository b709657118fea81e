import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { Hex } from "viem";
import { createSqliteStore } from "./createSqliteStore.js";

const dir = mkdtempSync(join(tmpdir(), "x402kit-bs-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const tx = { signer: "0x0000000000000000000000000000000000000001", signerNonce: 7, hash: "0xaa", raw: "0xbb" } as const;

describe("createSqliteBatchSettlementStore", () => {
  test("default: an intent is inserted once, signed, finished, and survives a reopen", async () => {
    const path = join(dir, "journal.sqlite");
    const journal = createSqliteStore({ path });
    const store = journal.batchSettlement;
    const input = { key: "claim:1:0x01", kind: "claim", chainId: 1, fingerprint: "0x01" as Hex } as const;
    assert.equal((await store.insertIntent(input)).created, true);
    const again = await store.insertIntent({ ...input, fingerprint: "0x02" });
    assert.equal(again.created, false);
    assert.equal(again.intent.fingerprint, "0x01", "the first payload's fingerprint stays");
    await store.recordIntentTransaction(input.key, tx);
    assert.deepEqual(
      (await store.listSubmittedIntents()).map((i) => [i.key, i.state, i.txHash, i.rawTx, i.signerNonce]),
      [[input.key, "submitted", "0xaa", "0xbb", 7]],
    );
    await store.dropIntent(input.key); // only unsigned intents can be dropped
    assert.equal((await store.getIntent(input.key))?.state, "submitted");
    assert.throws(() => store.recordIntentTransaction(input.key, tx), "a key is signed once");
    journal.close();
    const reopened = createSqliteStore({ path });
    await reopened.batchSettlement.finishIntent(input.key, '{"success":true}');
    assert.equal((await reopened.batchSettlement.getIntent(input.key))?.answer, '{"success":true}');
    assert.deepEqual(await reopened.batchSettlement.listSubmittedIntents(), []);
    reopened.close();
  });

  test("behavior: an unsigned intent can be dropped, so a retry checks again", async () => {
    const journal = createSqliteStore({ path: join(dir, "drop.sqlite") });
    const store = journal.batchSettlement;
    await store.insertIntent({ key: "settle:1:a", kind: "settle", chainId: 1, fingerprint: "0x01" });
    await store.dropIntent("settle:1:a");
    assert.equal(await store.getIntent("settle:1:a"), undefined);
    assert.throws(() => store.finishIntent("settle:1:a", "{}"), "nothing to finish");
    journal.close();
  });

  test("behavior: a signed intent whose bytes the node refused is forgotten only for that transaction", async () => {
    const journal = createSqliteStore({ path: join(dir, "refused.sqlite") });
    const store = journal.batchSettlement;
    const input = { key: "deposit:1:a", kind: "deposit", chainId: 1, fingerprint: "0x01" as Hex } as const;
    await store.insertIntent(input);
    await store.recordIntentTransaction(input.key, tx);
    await store.dropRefusedIntent(input.key, "0xcc"); // another transaction: kept
    assert.equal((await store.getIntent(input.key))?.state, "submitted");
    await store.dropRefusedIntent(input.key, tx.hash);
    assert.equal(await store.getIntent(input.key), undefined);
    assert.equal((await store.insertIntent(input)).created, true, "a retry starts afresh");
    journal.close();
  });
});
