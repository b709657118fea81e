import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { PaymentStore } from "../src/domain/store.js";
import { createSqliteStore } from "../src/store/sqlite/createSqliteStore.js";
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
import { type RefusingRpcProxy, startRefusingRpcProxy } from "./helpers/rpcProxy.js";
import { finalSettle, until } from "./helpers/until.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const signer = privateKeyToAccount(HARDHAT_KEYS[2]).address;

/**
 * A signer's nonce sequence never stalls (I4): a transaction the node lost and now refuses, or whose
 * broadcast was unknown and is then refused, is replaced (same nonce and calldata, higher fee), and a
 * refused replacement never becomes the slot's latest attempt.
 */
describe("signer nonce never stalls (local chain 31337 behind a refusing proxy)", () => {
  let node: HardhatNode;
  let proxy: RefusingRpcProxy;
  let chain: LocalChain;
  let token: Token;
  let store: PaymentStore;
  let f: RunningFacilitator;
  const rpc = (method: string, params: unknown[] = []) =>
    chain.publicClient.request({ method: method as never, params: params as never });

  before(async () => {
    node = await startHardhatNode();
    proxy = await startRefusingRpcProxy(node.rpcUrl);
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployTestUsdc(chain, [payer.address]);
    store = createSqliteStore({ path: ":memory:" });
    f = await startFacilitator(
      {
        privateKeys: [HARDHAT_KEYS[2]],
        networks: [{ network: "eip155:31337", rpcUrl: proxy.url }],
        settleTimeoutMs: 500,
        replaceAfterMs: 1000,
      },
      { store },
    );
  });
  beforeEach(async () => {
    await rpc("evm_setAutomine", [true]);
  });
  after(async () => {
    await f?.close();
    await proxy?.close();
    await node?.stop();
  });

  const viewOf = async (id: string) => (await f.get(`/settlements/${id}`)).body;
  /** Whether the node holds a transaction (a replacement is journaled before it is broadcast, I1). */
  const inPool = (hash: Hex) =>
    chain.publicClient.getTransaction({ hash }).then(
      () => true,
      () => false,
    );

  test("behavior: a transaction dropped from the pool whose bytes are then refused is replaced; it settles once", async () => {
    await rpc("evm_setAutomine", [false]);
    const payload = await signPayment({ token, payer, payTo, value: 310n });
    const body = v2Body(token, payload, payTo, 310n);
    const before = await balanceOf(token, payTo);
    const pending = await f.post("/settle", body);
    assert.equal(pending.body.errorReason, "settlement_pending", JSON.stringify(pending.body));
    const first = pending.body.transaction as Hex;
    const id = pending.body.extensions.settlement.id as string;
    proxy.refuse(first);
    assert.equal(await rpc("hardhat_dropTransaction", [first]), true);
    const replaced = await until(async () => {
      const view = await viewOf(id);
      const hash = view.transaction as Hex;
      return hash !== first && (await inPool(hash)) ? hash : undefined;
    }, "a replacement of the refused transaction");
    const tx = await chain.publicClient.getTransaction({ hash: replaced });
    assert.equal(tx.from.toLowerCase(), signer.toLowerCase());
    await rpc("evm_mine");
    const settled = await finalSettle(f, body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(settled.body.transaction, replaced);
    assert.equal(await balanceOf(token, payTo), before + 310n);
    // The next nonce of the signer is not blocked.
    await rpc("evm_setAutomine", [true]);
    const next = await signPayment({ token, payer, payTo, value: 311n });
    const answer = await f.post("/settle", v2Body(token, next, payTo, 311n));
    assert.equal(answer.body.success, true, JSON.stringify(answer.body));
  });

  test("behavior: a refused replacement is marked dead and never becomes the latest attempt", async () => {
    await rpc("evm_setAutomine", [false]);
    const payload = await signPayment({ token, payer, payTo, value: 320n });
    const body = v2Body(token, payload, payTo, 320n);
    const pending = await f.post("/settle", body);
    assert.equal(pending.body.errorReason, "settlement_pending", JSON.stringify(pending.body));
    const first = pending.body.transaction as Hex;
    const id = pending.body.extensions.settlement.id as string;
    const earlier = new Set(proxy.refused());
    proxy.refuse(first);
    proxy.refuseNextNew(1); // the first replacement
    assert.equal(await rpc("hardhat_dropTransaction", [first]), true);
    const replaced = await until(async () => {
      const view = await viewOf(id);
      const hash = view.transaction as Hex;
      return hash !== first && (await inPool(hash)) ? hash : undefined;
    }, "an accepted replacement");
    const refusedReplacements = proxy.refused().filter((h) => h !== first && !earlier.has(h));
    assert.equal(new Set(refusedReplacements).size, 1);
    const record = await store.getById(id);
    assert.ok(record?.signer && record.signerNonce !== undefined);
    const live = (await store.attemptsForSlot(node.chainId, record.signer, record.signerNonce)).map((a) => a.hash);
    assert.ok(!live.includes(refusedReplacements[0] as Hex), "the refused replacement is dead");
    assert.ok(live.includes(replaced));
    await rpc("evm_mine");
    const settled = await finalSettle(f, body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(settled.body.transaction, replaced);
  });

  test("behavior: a broadcast with no answer whose re-sends are refused is replaced, not re-sent forever", async () => {
    await rpc("evm_setAutomine", [false]);
    const payload = await signPayment({ token, payer, payTo, value: 330n });
    const body = v2Body(token, payload, payTo, 330n);
    const before = await balanceOf(token, payTo);
    proxy.swallowNextBroadcast(); // the node never sees it, the facilitator gets no answer
    proxy.refuseNextNew(1); // and the node refuses its re-sends
    const pending = await f.post("/settle", body);
    assert.equal(pending.body.errorReason, "settlement_pending", JSON.stringify(pending.body));
    const first = pending.body.transaction as Hex;
    const id = pending.body.extensions.settlement.id as string;
    const replaced = await until(async () => {
      const view = await viewOf(id);
      const hash = view.transaction as Hex;
      return hash !== first && view.status === "submitted" && (await inPool(hash)) ? hash : undefined;
    }, "a replacement of the refused transaction");
    await rpc("evm_mine");
    const settled = await finalSettle(f, body);
    assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    assert.equal(settled.body.transaction, replaced);
    assert.equal(await balanceOf(token, payTo), before + 330n);
  });

  test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
    const checked = await auditAnswers(token.chain.publicClient, [...f.settles]);
    assert.ok(checked > 0);
  });
});
