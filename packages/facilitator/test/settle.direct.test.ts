import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { privateKeyToAccount } from "viem/accounts";
import { auditAnswers } from "./helpers/auditAnswers.js";
import { balanceOf, HARDHAT_KEYS, localChain, signPayment, type Token, v1Body, v2Body } from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { STORES } from "./helpers/stores.js";
import { TOKENS } from "./helpers/tokens.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

for (const [storeName, backendOf] of Object.entries(STORES)) {
  for (const [tokenName, deployToken] of Object.entries(TOKENS)) {
    describe(`settle (direct mode, local chain 84532, ${tokenName}, journal on ${storeName})`, () => {
      const backend = backendOf();
      let node: HardhatNode;
      let token: Token;
      let f: RunningFacilitator;

      before(async () => {
        await backend.setup();
        node = await startHardhatNode({ chainId: 84532 });
        const chain = localChain(node.rpcUrl, node.chainId);
        token = await deployToken(chain, [payer.address]);
        f = await startFacilitator({
          privateKeys: [HARDHAT_KEYS[1]],
          networks: [{ network: "eip155:84532", rpcUrl: node.rpcUrl }],
          ...(await backend.fresh()).config,
        });
      });
      after(async () => {
        await f?.close();
        await node?.stop();
        await backend.teardown();
      });

      test("default: v2 verify then settle moves the funds and returns the transaction", async () => {
        const payload = await signPayment({ token, payer, payTo, value: 1_000n });
        const body = v2Body(token, payload, payTo, 1_000n);
        const verify = await f.post("/verify", body);
        assert.equal(verify.status, 200);
        assert.deepEqual(verify.body, { isValid: true, payer: payer.address });
        const before = await balanceOf(token, payTo);
        const settle = await f.post("/settle", body);
        assert.equal(settle.status, 200, JSON.stringify(settle.body));
        assert.equal(settle.body.success, true, JSON.stringify(settle.body));
        assert.match(settle.body.transaction, /^0x[0-9a-f]{64}$/);
        assert.equal(settle.body.network, "eip155:84532");
        assert.equal(settle.body.payer, payer.address);
        assert.deepEqual(settle.body.extensions.proofOfPayment, {
          fromAddress: payer.address,
          toAddress: payTo,
          chainId: 84532,
          txHash: settle.body.transaction,
        });
        assert.equal(await balanceOf(token, payTo), before + 1_000n);
        // The same payload again: the same outcome and hash, nothing sent.
        const again = await f.post("/settle", body);
        assert.deepEqual(again.body, settle.body);
        assert.equal(await balanceOf(token, payTo), before + 1_000n);
      });

      test("default: v1 (legacy network name) settles and echoes the v1 network", async () => {
        const payload = await signPayment({ token, payer, payTo, value: 2_000n });
        const body = v1Body(token, payload, payTo, 2_000n, "base-sepolia");
        const verify = await f.post("/verify", body);
        assert.deepEqual(verify.body, { isValid: true, payer: payer.address });
        const settle = await f.post("/settle", body);
        assert.equal(settle.body.success, true, JSON.stringify(settle.body));
        assert.equal(settle.body.network, "base-sepolia");
      });
      test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
        const checked = await auditAnswers(token.chain.publicClient, [...f.settles]);
        assert.ok(checked > 0);
      });
    });
  }
}
