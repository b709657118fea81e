import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pino } from "pino";
import type { PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { NotWriterError } from "../../domain/errors.js";
import { createSqliteStore } from "../../store/sqlite/createSqliteStore.js";
import { createIntentSender, type SendIntentParameters, sendIntent } from "./sendIntent.js";

const account = privateKeyToAccount(`0x${"11".repeat(32)}`);

/** A chain that answers what signing asks and counts the broadcasts (nothing here should reach it). */
function fakeClient() {
  let broadcasts = 0;
  const client = {
    getTransactionCount: async () => 0,
    estimateFeesPerGas: async () => ({ maxFeePerGas: 2n, maxPriorityFeePerGas: 1n }),
    estimateGas: async () => 21_000n,
    sendRawTransaction: async () => {
      broadcasts++;
      return "0x";
    },
  };
  return { client: client as unknown as PublicClient, broadcasts: () => broadcasts };
}

const parameters = (client: PublicClient, prepare?: () => void): SendIntentParameters => ({
  client,
  chainId: 31337,
  network: "eip155:31337",
  key: "deposit:31337:a",
  kind: "deposit",
  fingerprint: "0x01",
  payer: undefined,
  failedReason: "failed",
  conflictReason: "conflict",
  async prepare() {
    prepare?.();
    return { call: { to: account.address, data: "0x" } };
  },
  onMined: async () => ({ success: true, transaction: "", network: "eip155:31337" }),
});

describe("sendIntent: a sender that may not send", () => {
  test("behavior: the lease lost while the call was being prepared: nothing signed, persisted or broadcast", async () => {
    const journal = createSqliteStore({ path: ":memory:" });
    let held = true;
    const sender = createIntentSender({
      account,
      store: journal.batchSettlement,
      settleTimeoutMs: 100,
      logger: pino({ level: "silent" }),
      sending: () => held,
    });
    const chain = fakeClient();
    try {
      await assert.rejects(
        sendIntent(
          sender,
          parameters(chain.client, () => {
            held = false; // lost between the checks and the signature
          }),
        ),
        NotWriterError,
      );
      assert.equal(chain.broadcasts(), 0);
      const intent = await journal.batchSettlement.getIntent("deposit:31337:a");
      assert.equal(intent?.state, "received", "left for the lease's holder to send");
      assert.equal(intent?.signer?.toLowerCase(), account.address.toLowerCase(), "named for its sender's fence");
      assert.deepEqual(await journal.batchSettlement.listSubmittedIntents(), []);
    } finally {
      await journal.close();
    }
  });
});
