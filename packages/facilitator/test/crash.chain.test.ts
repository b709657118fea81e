import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { getAbiItem, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eip3009Abi } from "../src/chain/eip3009Abi.js";
import {
  balanceOf,
  deployTestUsdc,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { spawnFacilitator } from "./helpers/facilitatorHarness.js";
import { type FreshJournal, STORES } from "./helpers/stores.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const signer = privateKeyToAccount(HARDHAT_KEYS[1]);

/**
 * I1 and I2 across a real crash: the facilitator runs as a child process and SIGKILLs itself at a
 * test-only fault point (X402KIT_FAULT); a restart on the same journal must settle every payment
 * exactly once, from the persisted transaction.
 */
for (const [storeName, backendOf] of Object.entries(STORES)) {
  describe(`crash recovery (child process, SIGKILL, local chain 31337, journal on ${storeName})`, () => {
    let node: HardhatNode;
    let chain: LocalChain;
    let token: Token;
    const backend = backendOf();
    let journal: FreshJournal;
    const env = (extra: Record<string, string> = {}) => ({
      PORT: "0",
      EVM_PRIVATE_KEY: HARDHAT_KEYS[1],
      EVM_NETWORK: "eip155:31337",
      EVM_RPC_URL: node.rpcUrl,
      ...journal.env,
      X402KIT_SETTLE_TIMEOUT_MS: "3000",
      ...extra,
    });
    const uses = async (nonce: Hex) =>
      (
        await chain.publicClient.getLogs({
          address: token.address,
          event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
          args: { authorizer: payer.address, nonce },
          fromBlock: 0n,
        })
      ).length;
    const post = (url: string, body: unknown) =>
      fetch(`${url}/settle`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });

    before(async () => {
      await backend.setup();
      journal = await backend.fresh();
      node = await startHardhatNode();
      chain = localChain(node.rpcUrl, node.chainId);
      token = await deployTestUsdc(chain, [payer.address]);
    });
    after(async () => {
      await node?.stop();
      await backend.teardown();
    });

    for (const fault of ["crash-after-persist", "crash-after-broadcast"] as const) {
      test(`behavior: killed at ${fault}, restarted, settles exactly once`, async () => {
        const automine = fault === "crash-after-persist";
        await chain.publicClient.request({ method: "evm_setAutomine" as never, params: [automine] as never });
        const payload = await signPayment({ token, payer, payTo, value: 900n });
        const body = v2Body(token, payload, payTo, 900n);
        const before = await balanceOf(token, payTo);
        const sentBefore = await chain.publicClient.getTransactionCount({
          address: signer.address,
          blockTag: "pending",
        });

        const crashing = await spawnFacilitator(env({ X402KIT_FAULT: fault }));
        await assert.rejects(post(crashing.url, body), "the connection dies with the process");
        assert.equal(await crashing.exited, "SIGKILL");

        const pendingCount = await chain.publicClient.getTransactionCount({
          address: signer.address,
          blockTag: "pending",
        });
        if (fault === "crash-after-persist") {
          // Persisted and signed, never sent.
          assert.equal(pendingCount, sentBefore);
          assert.equal(await balanceOf(token, payTo), before);
        } else {
          // Sent and waiting in the mempool; nobody is watching it.
          assert.equal(pendingCount, sentBefore + 1);
          await chain.publicClient.request({ method: "evm_mine" as never });
        }

        const restarted = await spawnFacilitator(env());
        try {
          const answer = await post(restarted.url, body);
          const settled = (await answer.json()) as { success: boolean; transaction: Hex };
          assert.equal(settled.success, true, JSON.stringify(settled));
          assert.equal(await balanceOf(token, payTo), before + 900n);
          assert.equal(await uses(payload.authorization.nonce), 1);
          // Exactly one transaction was ever mined for it: the one persisted before the crash.
          assert.equal(await chain.publicClient.getTransactionCount({ address: signer.address }), sentBefore + 1);
          const tx = await chain.publicClient.getTransaction({ hash: settled.transaction });
          assert.equal(tx.nonce, sentBefore);
        } finally {
          await chain.publicClient.request({ method: "evm_setAutomine" as never, params: [true] as never });
          restarted.child.kill("SIGTERM");
          assert.equal(await restarted.exited, 0, restarted.output());
        }
      });
    }

    test("behavior: POST /close drains and exits 0; the journal is reused by the next start", async () => {
      const running = await spawnFacilitator(env());
      const health = await fetch(`${running.url}/health`);
      // On a shared (Postgres) journal the health says which role the instance holds.
      assert.deepEqual(
        await health.json(),
        journal.env.DATABASE_URL ? { status: "ok", role: "writer" } : { status: "ok" },
      );
      const close = await fetch(`${running.url}/close`, { method: "POST" });
      assert.deepEqual(await close.json(), { status: "closing" });
      assert.equal(await running.exited, 0, running.output());
      assert.match(running.output(), /Facilitator listening/);
      assert.doesNotMatch(
        running.output(),
        new RegExp(HARDHAT_KEYS[1].slice(2), "i"),
        "the key never reaches the logs",
      );
      if (journal.env.DATABASE_URL) {
        assert.ok(!running.output().includes(journal.env.DATABASE_URL), "the database URL never reaches the logs");
      }
    });
  });
}
