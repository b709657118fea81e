import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Address, getAbiItem, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eip3009Abi } from "../src/chain/eip3009Abi.js";
import { auditAnswers } from "./helpers/auditAnswers.js";
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
import {
  batchedMain,
  type RunningFacilitator,
  spawnFacilitator,
  startFacilitator,
  tempDataDir,
} from "./helpers/facilitatorHarness.js";
import { type HardhatNode, startHardhatNode } from "./helpers/hardhatNode.js";
import { deployMockRouter, mockRouterSubmitter } from "./helpers/mockRouter.js";

const payers = [HARDHAT_KEYS[5], HARDHAT_KEYS[7], HARDHAT_KEYS[8], HARDHAT_KEYS[9]].map((k) => privateKeyToAccount(k));
const payer = payers[0]!;
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const signer = privateKeyToAccount(HARDHAT_KEYS[1]);

/**
 * Batched mode (I5) through a test-only router with the real router's per-item isolation: many payments
 * per transaction, each caller gets its own item's outcome, one bad item never fails the others, and a
 * crash mid-batch loses nothing and settles nothing twice.
 */
describe("batched mode (mock router, local chain 31337)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let router: Address;
  let f: RunningFacilitator;

  const usesOf = async (from: Address, nonce: Hex) =>
    (
      await chain.publicClient.getLogs({
        address: token.address,
        event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
        args: { authorizer: from, nonce },
        fromBlock: 0n,
      })
    ).length;

  before(async () => {
    node = await startHardhatNode();
    chain = localChain(node.url, node.chainId);
    token = await deployTestUsdc(
      chain,
      payers.map((p) => p.address),
    );
    router = await deployMockRouter(chain);
    f = await startFacilitator(
      {
        privateKeys: [HARDHAT_KEYS[1]],
        networks: [{ network: "eip155:31337", rpcUrl: node.url, router }],
        mode: "batched",
        batch: { maxItems: 10, maxWaitMs: 150 },
      },
      { batchSubmitter: mockRouterSubmitter(router, 31337) },
    );
  });
  after(async () => {
    await f?.close();
    await node?.stop();
  });

  test("default: concurrent payments share batch transactions and each caller gets its own success", async () => {
    const payments = await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const p = payers[i % payers.length]!;
        const payload = await signPayment({ token, payer: p, payTo, value: BigInt(10 + i) });
        return { payload, from: p.address, body: v2Body(token, payload, payTo, BigInt(10 + i)) };
      }),
    );
    const before = await balanceOf(token, payTo);
    const sentBefore = await chain.publicClient.getTransactionCount({ address: signer.address });
    const answers = await Promise.all(payments.map((p) => f.post("/settle", p.body)));
    for (const answer of answers) assert.equal(answer.body.success, true, JSON.stringify(answer.body));
    const transactions = new Set(answers.map((a) => a.body.transaction));
    assert.ok(transactions.size < 25, `25 payments went out in ${transactions.size} transactions`);
    assert.equal(
      await chain.publicClient.getTransactionCount({ address: signer.address }),
      sentBefore + transactions.size,
    );
    assert.equal(await balanceOf(token, payTo), before + payments.reduce((s, _, i) => s + BigInt(10 + i), 0n));
    for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
    for (const [i, a] of answers.entries()) {
      assert.equal(a.body.payer, payments[i]!.from);
      assert.equal(a.body.extensions.proofOfPayment.txHash, a.body.transaction);
    }
  });

  test("behavior: one item the router skips fails truthfully; the rest of its batch settles", async () => {
    // Two payments that each pass verification alone, but the payer can only afford one of them.
    const poor = privateKeyToAccount(HARDHAT_KEYS[4]);
    const admin = chain.wallet(HARDHAT_KEYS[0]);
    const mint = await admin.writeContract({
      address: token.address,
      abi: token.abi,
      functionName: "mint",
      args: [poor.address, 1_000n],
      account: admin.account!,
      chain: admin.chain,
    });
    await chain.publicClient.waitForTransactionReceipt({ hash: mint });
    const a = await signPayment({ token, payer: poor, payTo, value: 1_000n });
    const b = await signPayment({ token, payer: poor, payTo, value: 1_000n });
    const c = await signPayment({ token, payer, payTo, value: 77n });
    const [ra, rb, rc] = await Promise.all([
      f.post("/settle", v2Body(token, a, payTo, 1_000n)),
      f.post("/settle", v2Body(token, b, payTo, 1_000n)),
      f.post("/settle", v2Body(token, c, payTo, 77n)),
    ]);
    assert.equal(rc!.body.success, true, JSON.stringify(rc!.body));
    const outcomes = [ra!.body, rb!.body];
    const won = outcomes.filter((o) => o.success);
    const lost = outcomes.filter((o) => !o.success);
    assert.equal(won.length, 1, JSON.stringify(outcomes));
    assert.equal(lost.length, 1);
    assert.equal(lost[0].errorReason, "insufficient_funds", JSON.stringify(lost[0]));
    // The failure names the transaction that carried (and skipped) it.
    assert.match(lost[0].transaction, /^0x[0-9a-f]{64}$/);
    assert.equal(await balanceOf(token, poor.address), 0n);
  });

  test("behavior: 50 concurrent duplicates of one payment make one transfer and identical answers", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 4_321n });
    const body = v2Body(token, payload, payTo, 4_321n);
    const answers = await Promise.all(Array.from({ length: 50 }, () => f.post("/settle", body)));
    for (const a of answers) assert.deepEqual(a.body, answers[0]!.body);
    assert.equal(answers[0]!.body.success, true);
    assert.equal(await usesOf(payer.address, payload.authorization.nonce), 1);
  });

  test("behavior: killed between a batch's broadcast and its receipt, restarted, every item settles once", async () => {
    const data = tempDataDir();
    const env = (extra: Record<string, string> = {}) => ({
      PORT: "0",
      EVM_PRIVATE_KEY: HARDHAT_KEYS[2],
      EVM_NETWORK: "eip155:31337",
      EVM_RPC_URL: node.url,
      X402KIT_DATA_DIR: data.dir,
      X402KIT_MODE: "batched",
      X402KIT_BATCH_MAX_WAIT_MS: "300",
      X402KIT_TEST_ROUTER: router,
      ...extra,
    });
    try {
      await chain.publicClient.request({ method: "evm_setAutomine" as never, params: [false] as never });
      const payments = await Promise.all(
        Array.from({ length: 5 }, async (_, i) => {
          const payload = await signPayment({
            token,
            payer: payers[i % payers.length]!,
            payTo,
            value: 500n + BigInt(i),
          });
          return {
            payload,
            from: payers[i % payers.length]!.address,
            body: v2Body(token, payload, payTo, 500n + BigInt(i)),
          };
        }),
      );
      const before = await balanceOf(token, payTo);
      const crashing = await spawnFacilitator(env({ X402KIT_FAULT: "crash-after-batch-broadcast" }), batchedMain);
      const post = (url: string, body: unknown) =>
        fetch(`${url}/settle`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const first = await Promise.allSettled(payments.map((p) => post(crashing.url, p.body)));
      assert.ok(
        first.every((r) => r.status === "rejected"),
        "every caller lost its connection with the process",
      );
      assert.equal(await crashing.exited, "SIGKILL");
      await chain.publicClient.request({ method: "evm_mine" as never });

      const restarted = await spawnFacilitator(env(), batchedMain);
      try {
        const answers = await Promise.all(payments.map((p) => post(restarted.url, p.body).then((r) => r.json())));
        for (const a of answers) assert.equal((a as { success: boolean }).success, true, JSON.stringify(a));
        assert.equal(new Set(answers.map((a) => (a as { transaction: string }).transaction)).size, 1, "one batch");
        for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
        assert.equal(await balanceOf(token, payTo), before + 5n * 500n + 10n);
      } finally {
        restarted.child.kill("SIGTERM");
        assert.equal(await restarted.exited, 0, restarted.output());
      }
    } finally {
      await chain.publicClient.request({ method: "evm_setAutomine" as never, params: [true] as never });
      data.cleanup();
    }
  });
  test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
    const checked = await auditAnswers(token.chain.publicClient, [...f.settles]);
    assert.ok(checked > 0);
  });
});
