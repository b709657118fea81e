import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { privateKeyToAccount } from "viem/accounts";
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
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { type RpcProxy, startLossyRpcProxy, startRpcProxy } from "./helpers/rpcProxy.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

/**
 * The RPC goes away (a TCP proxy in front of the node is closed, so the chain keeps its state): health
 * degrades, settles answer 503 and nothing is marked failed; when it returns everything resolves.
 */
describe("RPC down (local chain 31337 behind a proxy)", () => {
  let node: HardhatNode;
  let proxy: RpcProxy;
  let chain: LocalChain;
  let token: Token;
  let f: RunningFacilitator;
  const rpc = (method: string, params: unknown[] = []) =>
    chain.publicClient.request({ method: method as never, params: params as never });

  before(async () => {
    node = await startHardhatNode();
    proxy = await startRpcProxy(node.port);
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployTestUsdc(chain, [payer.address]);
    f = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[1]],
      networks: [{ network: "eip155:31337", rpcUrl: proxy.url }],
      settleTimeoutMs: 800,
    });
  });
  after(async () => {
    await f?.close();
    await proxy?.close();
    await node?.stop();
  });

  test("default: health degrades, verify and settle answer 503 with Retry-After, and recover", async () => {
    assert.deepEqual((await f.get("/health")).body, { status: "ok" });
    const payload = await signPayment({ token, payer, payTo, value: 100n });
    const body = v2Body(token, payload, payTo, 100n);
    await proxy.down();
    try {
      const health = await f.get("/health");
      assert.equal(health.status, 503);
      assert.equal(health.body.status, "degraded");
      assert.equal(health.body.networks[0].rpc, false);
      for (const path of ["/verify", "/settle"]) {
        const answer = await f.post(path, body);
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.equal(answer.headers.get("retry-after"), "5");
        assert.equal(answer.body.retryable, true);
      }
      // Nothing was admitted, so nothing can have been marked failed.
      assert.deepEqual(Object.values(f.facilitator.engine.lanes().map((l) => l.depth())), [0]);
    } finally {
      await proxy.up();
    }
    assert.deepEqual((await f.get("/health")).body, { status: "ok" });
    const settled = await f.post("/settle", body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
  });

  test("behavior: the RPC drops after broadcast; the answer stays pending, never failed, then succeeds", async () => {
    await rpc("evm_setAutomine", [false]);
    const payload = await signPayment({ token, payer, payTo, value: 200n });
    const body = v2Body(token, payload, payTo, 200n);
    const before = await balanceOf(token, payTo);
    const pending = await f.post("/settle", body);
    assert.equal(pending.body.errorReason, "settlement_pending", JSON.stringify(pending.body));
    const hash = pending.body.transaction as string;
    await proxy.down();
    try {
      await rpc("evm_mine"); // mined while the facilitator cannot see the chain
      const stillPending = await f.post("/settle", body);
      assert.equal(stillPending.status, 200);
      assert.equal(stillPending.body.success, false);
      assert.equal(stillPending.body.errorReason, "settlement_pending");
      assert.equal(stillPending.body.transaction, hash);
      const view = await f.get(`/settlements/${pending.body.extensions.settlement.id}`);
      assert.notEqual(view.body.status, "failed");
    } finally {
      await proxy.up();
      await rpc("evm_setAutomine", [true]);
    }
    const settled = await f.post("/settle", body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(settled.body.transaction, hash);
    assert.equal(await balanceOf(token, payTo), before + 200n);
  });
  test("behavior: a facilitator started while the RPC is down serves degraded, then settles when it returns", async () => {
    await proxy.down();
    let late: RunningFacilitator | undefined;
    try {
      late = await startFacilitator({
        privateKeys: [HARDHAT_KEYS[2]],
        networks: [{ network: "eip155:31337", rpcUrl: proxy.url }],
      });
      assert.equal((await late.get("/health")).status, 503);
      await proxy.up();
      const payload = await signPayment({ token, payer, payTo, value: 300n });
      const settled = await late.post("/settle", v2Body(token, payload, payTo, 300n));
      assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    } finally {
      await proxy.up();
      await late?.close();
    }
  });
  test("behavior: the answer to a broadcast is lost; the same bytes are re-sent, never a second transaction", async () => {
    const lossy = await startLossyRpcProxy(node.rpcUrl);
    const signer = privateKeyToAccount(HARDHAT_KEYS[3]);
    const g = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[3]],
      networks: [{ network: "eip155:31337", rpcUrl: lossy.url }],
      settleTimeoutMs: 5000,
    });
    try {
      const payload = await signPayment({ token, payer, payTo, value: 400n });
      const before = await balanceOf(token, payTo);
      const sentBefore = await chain.publicClient.getTransactionCount({ address: signer.address });
      lossy.loseNextBroadcastAnswer();
      const settled = await g.post("/settle", v2Body(token, payload, payTo, 400n));
      assert.equal(lossy.lost(), 1, "the broadcast answer was lost");
      assert.equal(settled.body.success, true, JSON.stringify(settled.body));
      assert.equal(await balanceOf(token, payTo), before + 400n);
      assert.equal(await chain.publicClient.getTransactionCount({ address: signer.address }), sentBefore + 1);
    } finally {
      await g.close();
      await lossy.close();
    }
  });
  test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
    const checked = await auditAnswers(token.chain.publicClient, [...f.settles]);
    assert.ok(checked > 0);
  });
});
