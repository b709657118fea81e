import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { getAbiItem, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eip3009Abi } from "../src/chain/eip3009Abi.js";
import { auditAnswers } from "./helpers/auditAnswers.js";
import {
  balanceOf,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { STORES } from "./helpers/stores.js";
import { TOKENS } from "./helpers/tokens.js";

const payers = [HARDHAT_KEYS[5], HARDHAT_KEYS[7], HARDHAT_KEYS[8], HARDHAT_KEYS[9]].map((key) =>
  privateKeyToAccount(key),
);
const payer = payers[0]!;
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const signerKeys = [HARDHAT_KEYS[1], HARDHAT_KEYS[2], HARDHAT_KEYS[3]];

/** I3 (one key, one outcome) and I4 (one writer per signer, many signers for throughput). */
for (const [storeName, backendOf] of Object.entries(STORES)) {
  for (const [tokenName, deployToken] of Object.entries(TOKENS)) {
    describe(`idempotency and concurrency (local chain 31337, ${tokenName}, journal on ${storeName})`, () => {
      const backend = backendOf();
      let node: HardhatNode;
      let chain: LocalChain;
      let token: Token;
      let f: RunningFacilitator;

      const usesOf = async (from: Hex, nonce: Hex) =>
        chain.publicClient.getLogs({
          address: token.address,
          event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
          args: { authorizer: from, nonce },
          fromBlock: 0n,
        });
      const sentBySigners = async () => {
        let total = 0;
        for (const key of signerKeys) {
          total += await chain.publicClient.getTransactionCount({ address: privateKeyToAccount(key).address });
        }
        return total;
      };

      before(async () => {
        await backend.setup();
        node = await startHardhatNode();
        chain = localChain(node.rpcUrl, node.chainId);
        token = await deployToken(
          chain,
          payers.map((p) => p.address),
        );
        f = await startFacilitator({
          privateKeys: signerKeys,
          networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
          ...(await backend.fresh()).config,
        });
      });
      after(async () => {
        await f?.close();
        await node?.stop();
        await backend.teardown();
      });

      test("default: 100 concurrent identical settles make one transfer and 100 identical answers", async () => {
        const payload = await signPayment({ token, payer, payTo, value: 1_234n });
        const body = v2Body(token, payload, payTo, 1_234n);
        const sentBefore = await sentBySigners();
        const balanceBefore = await balanceOf(token, payTo);
        const answers = await Promise.all(Array.from({ length: 100 }, () => f.post("/settle", body)));
        for (const answer of answers) assert.equal(answer.status, 200);
        const first = answers[0]!.body;
        assert.equal(first.success, true, JSON.stringify(first));
        for (const answer of answers) assert.deepEqual(answer.body, first);
        assert.equal(await balanceOf(token, payTo), balanceBefore + 1_234n);
        assert.equal((await usesOf(payer.address, payload.authorization.nonce)).length, 1);
        // One transaction in total from every signer: no losing duplicate was ever broadcast.
        assert.equal(await sentBySigners(), sentBefore + 1);
      });

      test("behavior: many payers at once across three signers all settle, each exactly once", async () => {
        const bodies = await Promise.all(
          Array.from({ length: 60 }, async (_, i) => {
            const p = payers[i % payers.length]!;
            const payload = await signPayment({ token, payer: p, payTo, value: BigInt(100 + i) });
            return { body: v2Body(token, payload, payTo, BigInt(100 + i)), payload, payer: p };
          }),
        );
        const balanceBefore = await balanceOf(token, payTo);
        const sentBefore = await sentBySigners();
        const answers = await Promise.all(bodies.map(({ body }) => f.post("/settle", body)));
        for (const answer of answers) assert.equal(answer.body.success, true, JSON.stringify(answer.body));
        const expected = bodies.reduce((sum, _, i) => sum + BigInt(100 + i), 0n);
        assert.equal(await balanceOf(token, payTo), balanceBefore + expected);
        assert.equal(await sentBySigners(), sentBefore + 60);
        assert.equal(new Set(answers.map((a) => a.body.transaction)).size, 60);
        // The work was spread over the signers.
        const signersUsed = new Set(
          await Promise.all(
            answers.map(async (a) =>
              (await chain.publicClient.getTransaction({ hash: a.body.transaction })).from.toLowerCase(),
            ),
          ),
        );
        assert.ok(signersUsed.size > 1, "more than one signer lane carried the load");
      });
      test("behavior: a nonce taken behind the facilitator's back is re-read, and the payment still settles once", async () => {
        // Someone else sends a transaction from every signer key: the lanes' next nonces are now stale.
        for (const key of signerKeys) {
          const wallet = chain.wallet(key);
          const hash = await wallet.sendTransaction({
            to: wallet.account!.address,
            value: 0n,
            account: wallet.account!,
            chain: wallet.chain,
          });
          await chain.publicClient.waitForTransactionReceipt({ hash });
        }
        const payload = await signPayment({ token, payer, payTo, value: 66n });
        const settled = await f.post("/settle", v2Body(token, payload, payTo, 66n));
        assert.equal(settled.body.success, true, JSON.stringify(settled.body));
        assert.equal((await usesOf(payer.address, payload.authorization.nonce)).length, 1);
      });

      test("behavior: an authorization someone else already executed is reported as the success it was", async () => {
        const payload = await signPayment({ token, payer, payTo, value: 88n });
        const { authorization, signature } = payload;
        const outsider = chain.wallet(HARDHAT_KEYS[0]);
        const hash = await outsider.writeContract({
          address: token.address,
          abi: eip3009Abi,
          functionName: "transferWithAuthorization",
          args: [
            authorization.from,
            authorization.to,
            BigInt(authorization.value),
            BigInt(authorization.validAfter),
            BigInt(authorization.validBefore),
            authorization.nonce,
            signature,
          ],
          account: outsider.account!,
          chain: outsider.chain,
        });
        await chain.publicClient.waitForTransactionReceipt({ hash });
        const body = v2Body(token, payload, payTo, 88n);
        const verify = await f.post("/verify", body);
        assert.equal(verify.body.invalidReason, "invalid_exact_evm_nonce_already_used");
        const settled = await f.post("/settle", body);
        assert.equal(settled.body.success, true, JSON.stringify(settled.body));
        assert.equal(settled.body.transaction, hash);
        assert.equal((await usesOf(payer.address, authorization.nonce)).length, 1);
      });

      // Last: it moves the chain clock an hour ahead.
      test("behavior: a settled payload presented again after its authorization expired still answers success", async () => {
        const { timestamp } = await chain.publicClient.getBlock({ blockTag: "latest" });
        const wall = BigInt(Math.floor(Date.now() / 1000));
        const payload = await signPayment({
          token,
          payer,
          payTo,
          value: 55n,
          validBefore: (timestamp > wall ? timestamp : wall) + 60n,
        });
        const body = v2Body(token, payload, payTo, 55n);
        const settled = await f.post("/settle", body);
        assert.equal(settled.body.success, true, JSON.stringify(settled.body));
        await chain.publicClient.request({ method: "evm_increaseTime" as never, params: [3600] as never });
        await chain.publicClient.request({ method: "evm_mine" as never });
        assert.deepEqual((await f.post("/settle", body)).body, settled.body);
      });
      test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
        const checked = await auditAnswers(token.chain.publicClient, [...f.settles]);
        assert.ok(checked > 0);
      });
    });
  }
}
