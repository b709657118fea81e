import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { FacilitatorConfigInput } from "../src/config/schema.js";
import type { CreateFacilitatorOptions } from "../src/facilitator/createFacilitator.js";
import { auditAnswers, type SettleExchange } from "./helpers/auditAnswers.js";
import {
  balanceOf,
  deployRouter,
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
import { finalSettle } from "./helpers/until.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

/**
 * Payments that can still settle are never answered "failed" (a payer who sees failed pays again): a
 * window the chain's clock has not reached yet, and a used nonce whose use the log search cannot find.
 */
describe("no false failures (local chain 31337)", () => {
  let node: HardhatNode;
  let proxy: RefusingRpcProxy;
  let chain: LocalChain;
  let token: Token;
  let router: Address;
  const exchanges: SettleExchange[] = [];
  const rpc = (method: string, params: unknown[] = []) =>
    chain.publicClient.request({ method: method as never, params: params as never });

  const withFacilitator = async (
    config: Partial<FacilitatorConfigInput>,
    body: (f: RunningFacilitator) => Promise<void>,
    options: CreateFacilitatorOptions = {},
  ) => {
    const f = await startFacilitator(
      {
        privateKeys: [HARDHAT_KEYS[2]],
        networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl, router }],
        ...config,
      },
      options,
    );
    try {
      await body(f);
    } finally {
      exchanges.push(...f.settles);
      await f.close();
    }
  };
  /** Asks again until the answer is final (bounded). */
  const finalAnswer = async (f: RunningFacilitator, body: unknown) => (await finalSettle(f, body, 30_000)).body;

  before(async () => {
    node = await startHardhatNode();
    proxy = await startRefusingRpcProxy(node.rpcUrl);
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployTestUsdc(chain, [payer.address]);
    router = await deployRouter(chain);
  });
  after(async () => {
    await proxy?.close();
    await node?.stop();
  });

  for (const mode of ["direct", "batched"] as const) {
    test(`behavior: ${mode}: a validAfter our clock passed but the chain's has not is retried until it is valid, not failed`, async () => {
      // Our clock runs two minutes ahead of the chain's: verify accepts validAfter, the token does not yet.
      const chainNow = (await chain.publicClient.getBlock()).timestamp;
      const offset = Number(chainNow) * 1000 - Date.now() + 120_000;
      const clock = { now: () => Date.now() + offset };
      const payload = await signPayment({
        token,
        payer,
        payTo,
        value: 41n,
        validAfter: chainNow + 60n,
        validBefore: chainNow + 900n,
      });
      const body = v2Body(token, payload, payTo, 41n);
      const before = await balanceOf(token, payTo);
      await withFacilitator(
        { mode, settleTimeoutMs: 300, batch: { maxItems: 1, maxWaitMs: 10 } },
        async (f) => {
          const pending = await f.post("/settle", body);
          assert.equal(pending.body.errorReason, "settlement_pending", JSON.stringify(pending.body));
          await rpc("evm_increaseTime", [120]);
          await rpc("evm_mine");
          const settled = await finalAnswer(f, body);
          assert.equal(settled.success, true, JSON.stringify(settled));
        },
        { clock },
      );
      assert.equal(await balanceOf(token, payTo), before + 41n);
    });
  }

  test("behavior: a nonce used by our transaction whose receipt and log the node cannot find stays pending, then confirms", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 42n });
    const body = v2Body(token, payload, payTo, 42n);
    await withFacilitator(
      {
        networks: [{ network: "eip155:31337", rpcUrl: proxy.url }],
        settleTimeoutMs: 300,
        replaceAfterMs: 1000,
        lookbackBlocks: 1,
      },
      async (f) => {
        await rpc("evm_setAutomine", [false]);
        let hash: Hex;
        try {
          const pending = await f.post("/settle", body);
          assert.equal(pending.body.errorReason, "settlement_pending", JSON.stringify(pending.body));
          hash = pending.body.transaction as Hex;
          // The node "loses" our receipt, and the log search looks back one block only.
          proxy.hideReceipt(hash);
          await rpc("evm_mine");
          await rpc("hardhat_mine", ["0x5"]);
        } finally {
          await rpc("evm_setAutomine", [true]);
        }
        const id = (await f.post("/settle", body)).body.extensions.settlement.id as string;
        // The tracker has looked (nonce mined, no receipt by our hash, no log in range): still not failed.
        const deadline = Date.now() + 10_000;
        while ((await f.get(`/settlements/${id}`)).body.status !== "unknown") {
          if (Date.now() > deadline) throw new Error("the settlement was never marked unknown");
          const view = (await f.get(`/settlements/${id}`)).body;
          assert.notEqual(view.status, "failed", JSON.stringify(view));
          await new Promise((r) => setTimeout(r, 50));
        }
        const answer = await f.post("/settle", body);
        assert.equal(answer.body.errorReason, "settlement_pending", JSON.stringify(answer.body));
        proxy.showReceipt(hash);
        const settled = await finalAnswer(f, body);
        assert.equal(settled.success, true, JSON.stringify(settled));
        assert.equal(settled.transaction, hash);
      },
    );
  });

  test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
    const checked = await auditAnswers(chain.publicClient, exchanges);
    assert.ok(checked > 0);
  });
});
