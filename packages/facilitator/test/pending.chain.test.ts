import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import type { Hex } from "viem";
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
import { finalSettle, until } from "./helpers/until.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

/** Bounded waits, honest answers (I6), and stuck-transaction replacement (I4), with mining under test control. */
describe("settlement_pending and mining control (local chain 31337)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let f: RunningFacilitator;
  const rpc = (method: string, params: unknown[] = []) =>
    chain.publicClient.request({ method: method as never, params: params as never });

  before(async () => {
    node = await startHardhatNode();
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployTestUsdc(chain, [payer.address]);
    f = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[1]],
      networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
      settleTimeoutMs: 1000,
      replaceAfterMs: 1000,
    });
  });
  beforeEach(async () => {
    await rpc("evm_setAutomine", [true]);
  });
  after(async () => {
    await f?.close();
    await node?.stop();
  });

  test("default: a receipt that does not come in time is pending with its hash; the retry returns success", async () => {
    await rpc("evm_setAutomine", [false]);
    const payload = await signPayment({ token, payer, payTo, value: 500n });
    const body = v2Body(token, payload, payTo, 500n);
    const before = await balanceOf(token, payTo);
    const pending = await f.post("/settle", body);
    assert.equal(pending.status, 200);
    assert.equal(pending.body.success, false);
    assert.equal(pending.body.errorReason, "settlement_pending");
    assert.match(pending.body.transaction, /^0x[0-9a-f]{64}$/);
    assert.equal(pending.body.payer, payer.address);
    assert.equal(pending.body.network, "eip155:31337");
    const id = pending.body.extensions.settlement.id as string;
    const view = await f.get(`/settlements/${id}`);
    assert.equal(view.body.status, "submitted");
    assert.equal(view.body.transaction, pending.body.transaction);

    await rpc("evm_mine");
    const settled = await f.post("/settle", body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(settled.body.transaction, pending.body.transaction);
    assert.equal(await balanceOf(token, payTo), before + 500n);
    assert.equal((await f.get(`/settlements/${id}`)).body.status, "confirmed");
  });

  test("behavior: a direct transaction mined and reverted while the authorization is unused is sent again, not failed", async () => {
    await rpc("evm_setAutomine", [false]);
    const payload = await signPayment({ token, payer, payTo, value: 600n });
    const body = v2Body(token, payload, payTo, 600n);
    const before = await balanceOf(token, payTo);
    const pending = await f.post("/settle", body);
    assert.equal(pending.body.errorReason, "settlement_pending");
    const id = pending.body.extensions.settlement.id as string;
    // The token is paused by a transaction with a higher tip, mined before ours in the same block.
    const admin = chain.wallet(HARDHAT_KEYS[0]);
    const call = (functionName: "pause" | "unpause") =>
      admin.writeContract({
        address: token.address,
        abi: token.abi,
        functionName,
        args: [],
        account: admin.account!,
        chain: admin.chain,
        maxPriorityFeePerGas: 100_000_000_000n,
        maxFeePerGas: 200_000_000_000n,
      });
    await call("pause");
    await rpc("evm_mine");
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: pending.body.transaction as Hex });
    assert.equal(receipt.status, "reverted");
    try {
      // Reverted, but the authorization is unused and valid: a paused token may be unpaused. Not failed.
      await until(async () => {
        const view = await f.get(`/settlements/${id}`);
        return view.body.status === "queued" ? true : undefined;
      }, "the payment back in the queue");
      const again = await f.post("/settle", body);
      assert.equal(again.body.errorReason, "settlement_pending", JSON.stringify(again.body));
    } finally {
      await rpc("evm_setAutomine", [true]);
      await call("unpause");
    }
    const settled = await finalSettle(f, body, 20_000);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.notEqual(settled.body.transaction, pending.body.transaction);
    assert.equal(await balanceOf(token, payTo), before + 600n);
  });

  test("behavior: a full signer queue answers 503 with Retry-After and admits nothing", async () => {
    const small = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[3]],
      networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
      settleTimeoutMs: 300,
      queueLimitPerSigner: 1,
    });
    try {
      await rpc("evm_setAutomine", [false]);
      const first = await signPayment({ token, payer, payTo, value: 1n });
      const second = await signPayment({ token, payer, payTo, value: 2n });
      const pending = await small.post("/settle", v2Body(token, first, payTo, 1n));
      assert.equal(pending.body.errorReason, "settlement_pending");
      const full = await small.post("/settle", v2Body(token, second, payTo, 2n));
      assert.equal(full.status, 503, JSON.stringify(full.body));
      assert.equal(full.headers.get("retry-after"), "2");
      await rpc("evm_mine");
      assert.equal((await small.post("/settle", v2Body(token, first, payTo, 1n))).body.success, true);
      // Room again: the refused payment was never admitted, so it settles now.
      await rpc("evm_setAutomine", [true]);
      const retried = await small.post("/settle", v2Body(token, second, payTo, 2n));
      assert.equal(retried.body.success, true, JSON.stringify(retried.body));
    } finally {
      await small.close();
    }
  });

  test("behavior: a transaction priced below the base fee is replaced (same nonce, higher fee), never doubled", async () => {
    await rpc("evm_setAutomine", [false]);
    const payload = await signPayment({ token, payer, payTo, value: 700n });
    const body = v2Body(token, payload, payTo, 700n);
    const before = await balanceOf(token, payTo);
    const pending = await f.post("/settle", body);
    assert.equal(pending.body.errorReason, "settlement_pending");
    const first = pending.body.transaction as Hex;
    const tx = await chain.publicClient.getTransaction({ hash: first });
    // Base fee jumps far above the transaction's fee cap: it cannot be mined any more.
    await rpc("hardhat_setNextBlockBaseFeePerGas", [`0x${((tx.maxFeePerGas ?? 0n) * 50n).toString(16)}`]);
    await rpc("evm_mine");
    const id = pending.body.extensions.settlement.id as string;
    const replaced = await until(async () => {
      const view = await f.get(`/settlements/${id}`);
      return view.body.transaction !== first ? (view.body.transaction as Hex) : undefined;
    }, "a replacement transaction");
    const replacement = await chain.publicClient.getTransaction({ hash: replaced });
    assert.equal(replacement.nonce, tx.nonce);
    assert.equal(replacement.input, tx.input);
    assert.ok((replacement.maxFeePerGas ?? 0n) > (tx.maxFeePerGas ?? 0n));
    await rpc("evm_mine");
    const settled = await f.post("/settle", body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(settled.body.transaction, replaced);
    assert.equal(await balanceOf(token, payTo), before + 700n);
  });
  test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
    const checked = await auditAnswers(token.chain.publicClient, [...f.settles]);
    assert.ok(checked > 0);
  });
});
