import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { batchSettlementRouterAbi } from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { signCancelAuthorization } from "@x402kit/signer";
import { type Address, getAbiItem, type Hex, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eip3009Abi } from "../src/chain/eip3009Abi.js";
import type { FacilitatorConfigInput } from "../src/config/schema.js";
import type { CreateFacilitatorOptions } from "../src/facilitator/createFacilitator.js";
import { createRouterSubmitter } from "../src/modes/router/createRouterSubmitter.js";
import { auditAnswers, type SettleExchange } from "./helpers/auditAnswers.js";
import {
  balanceOf,
  deployRouter,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { type RunningFacilitator, spawnFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { STORES } from "./helpers/stores.js";
import { TOKENS } from "./helpers/tokens.js";
import { untilTrue } from "./helpers/until.js";

const payers = [HARDHAT_KEYS[5], HARDHAT_KEYS[7], HARDHAT_KEYS[8], HARDHAT_KEYS[9]].map((k) => privateKeyToAccount(k));
const payer = payers[0]!;
const poor = privateKeyToAccount(HARDHAT_KEYS[4]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const signer = privateKeyToAccount(HARDHAT_KEYS[1]);
/** Signer of the one-off facilitators below, one at a time (one writer per key). */
const otherSigner = privateKeyToAccount(HARDHAT_KEYS[3]);
const gwei = 1_000_000_000n;

/**
 * Batched mode (I5) through x402kit's BatchSettlementRouter on a real `hardhat node`: many payments per
 * transaction, each caller gets its own item's outcome, read from the router's per-item events and the
 * token's own logs; one bad item never fails the others; a dry run keeps items that would fail out of the
 * batch; a crash mid-batch loses nothing and settles nothing twice.
 */
for (const [storeName, backendOf] of Object.entries(STORES)) {
  for (const [tokenName, deployToken] of Object.entries(TOKENS)) {
    describe(`batched mode (BatchSettlementRouter, local chain 31337, ${tokenName}, journal on ${storeName})`, () => {
      const backend = backendOf();
      let node: HardhatNode;
      let chain: LocalChain;
      let token: Token;
      let router: Address;
      let f: RunningFacilitator;
      const exchanges: SettleExchange[] = [];

      const usesOf = async (from: Address, nonce: Hex) =>
        (
          await chain.publicClient.getLogs({
            address: token.address,
            event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
            args: { authorizer: from, nonce },
            fromBlock: 0n,
          })
        ).length;
      /** Signs one payment to `payTo` per value, payer `i` paying `values[i]` (payers reused round-robin). */
      const signPayments = (values: readonly bigint[]) =>
        Promise.all(
          values.map(async (value, i) => {
            const p = payers[i % payers.length]!;
            const payload = await signPayment({ token, payer: p, payTo, value });
            return { payload, from: p.address, body: v2Body(token, payload, payTo, value) };
          }),
        );
      /** Items the router reports settled in a transaction. */
      const settledItems = async (hash: Hex) =>
        parseEventLogs({
          abi: batchSettlementRouterAbi,
          eventName: "AuthorizationSettled",
          logs: (await chain.publicClient.getTransactionReceipt({ hash })).logs,
        }).length;
      const admin = () => chain.wallet(HARDHAT_KEYS[0]);
      const send = async (hash: Promise<Hex>) => chain.publicClient.waitForTransactionReceipt({ hash: await hash });
      const mintTo = (to: Address, amount: bigint) =>
        send(
          admin().writeContract({
            address: token.address,
            abi: token.abi,
            functionName: "mint",
            args: [to, amount],
            account: admin().account!,
            chain: admin().chain,
          }),
        );
      /** Runs `body` against a one-off in-process facilitator signing with `otherSigner`. */
      const withFacilitator = async (
        config: Partial<FacilitatorConfigInput>,
        body: (facilitator: RunningFacilitator) => Promise<void>,
        options: CreateFacilitatorOptions = {},
      ) => {
        const facilitator = await startFacilitator(
          {
            privateKeys: [HARDHAT_KEYS[3]],
            networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl, router }],
            mode: "batched",
            ...(await backend.fresh()).config,
            ...config,
          },
          options,
        );
        try {
          await body(facilitator);
        } finally {
          exchanges.push(...facilitator.settles);
          await facilitator.close();
        }
      };
      const pendingNonce = (address: Address) =>
        chain.publicClient.getTransactionCount({ address, blockTag: "pending" });
      const setAutomine = (on: boolean) =>
        chain.publicClient.request({ method: "evm_setAutomine" as never, params: [on] as never });

      before(async () => {
        await backend.setup();
        node = await startHardhatNode();
        chain = localChain(node.rpcUrl, node.chainId);
        token = await deployToken(
          chain,
          payers.map((p) => p.address),
        );
        router = await deployRouter(chain);
        f = await startFacilitator({
          privateKeys: [HARDHAT_KEYS[1]],
          networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl, router }],
          mode: "batched",
          batch: { maxItems: 10, maxWaitMs: 150 },
          ...(await backend.fresh()).config,
        });
      });
      after(async () => {
        await f?.close();
        await node?.stop();
        await backend.teardown();
      });

      test("default: concurrent payers share batch transactions and each caller gets its own success", async () => {
        const payments = await signPayments(Array.from({ length: 25 }, (_, i) => BigInt(10 + i)));
        const before = await balanceOf(token, payTo);
        const sentBefore = await chain.publicClient.getTransactionCount({ address: signer.address });
        const answers = await Promise.all(payments.map((p) => f.post("/settle", p.body)));
        for (const answer of answers) assert.equal(answer.body.success, true, JSON.stringify(answer.body));
        const transactions = new Set<Hex>(answers.map((a) => a.body.transaction));
        assert.ok(transactions.size < 25, `25 payments went out in ${transactions.size} transactions`);
        assert.equal(
          await chain.publicClient.getTransactionCount({ address: signer.address }),
          sentBefore + transactions.size,
        );
        for (const hash of transactions) {
          const tx = await chain.publicClient.getTransaction({ hash });
          assert.equal(tx.to?.toLowerCase(), router.toLowerCase(), "every transaction is a router batch");
          assert.equal(await settledItems(hash), answers.filter((a) => a.body.transaction === hash).length);
        }
        assert.equal(await balanceOf(token, payTo), before + payments.reduce((s, _, i) => s + BigInt(10 + i), 0n));
        for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
        for (const [i, a] of answers.entries()) {
          assert.equal(a.body.payer, payments[i]!.from);
          assert.equal(a.body.extensions.proofOfPayment.txHash, a.body.transaction);
        }
      });

      test("behavior: items the router skips in a mined batch get their own truthful outcome; the rest settle", async () => {
        // Four payments that all pass verification and the dry run; between the batch's broadcast and its block,
        // three of them are spoiled by transactions that pay a higher tip: one authorization is submitted to the
        // token directly (front-run), one is canceled by its payer, and one payer spends the funds.
        await mintTo(poor.address, 1_000n);
        const good = await signPayment({ token, payer: payers[0]!, payTo, value: 101n });
        const frontRun = await signPayment({ token, payer: payers[1]!, payTo, value: 102n });
        const canceled = await signPayment({ token, payer: payers[2]!, payTo, value: 103n });
        const drained = await signPayment({ token, payer: poor, payTo, value: 1_000n });
        await withFacilitator({ batch: { maxItems: 4, maxWaitMs: 30_000 }, settleTimeoutMs: 60_000 }, async (fx) => {
          const sentBefore = await pendingNonce(otherSigner.address);
          await setAutomine(false);
          try {
            const answers = Promise.all([
              fx.post("/settle", v2Body(token, good, payTo, 101n)),
              fx.post("/settle", v2Body(token, frontRun, payTo, 102n)),
              fx.post("/settle", v2Body(token, canceled, payTo, 103n)),
              fx.post("/settle", v2Body(token, drained, payTo, 1_000n)),
            ]);
            for (let i = 0; (await pendingNonce(otherSigner.address)) === sentBefore; i++) {
              assert.ok(i < 400, "the batch reaches the mempool");
              await new Promise((r) => setTimeout(r, 50));
            }
            const tip = { maxPriorityFeePerGas: 100n * gwei, maxFeePerGas: 200n * gwei, gas: 200_000n };
            const relayer = admin();
            const a = frontRun.authorization;
            const frontRunHash = await relayer.writeContract({
              address: token.address,
              abi: eip3009Abi,
              functionName: "transferWithAuthorization",
              args: [
                a.from,
                a.to,
                BigInt(a.value),
                BigInt(a.validAfter),
                BigInt(a.validBefore),
                a.nonce,
                frontRun.signature,
              ],
              account: relayer.account!,
              chain: relayer.chain,
              ...tip,
            });
            const cancel = await signCancelAuthorization({
              signer: payers[2]!,
              domain: {
                name: token.name,
                version: token.version,
                chainId: chain.chainId,
                verifyingContract: token.address,
              },
              authorization: { nonce: canceled.authorization.nonce },
            });
            const cancelHash = await relayer.writeContract({
              address: token.address,
              abi: eip3009Abi,
              functionName: "cancelAuthorization",
              args: [payers[2]!.address, canceled.authorization.nonce, cancel.signature],
              account: relayer.account!,
              chain: relayer.chain,
              ...tip,
            });
            const spender = chain.wallet(HARDHAT_KEYS[4]);
            await spender.writeContract({
              address: token.address,
              abi: token.abi,
              functionName: "transfer",
              args: [payTo, 1n],
              account: spender.account!,
              chain: spender.chain,
              ...tip,
            });
            await chain.publicClient.request({ method: "evm_mine" as never });
            const [rGood, rFrontRun, rCanceled, rDrained] = (await answers).map((r) => r.body);
            const batch = rGood.transaction as Hex;
            assert.equal(rGood.success, true, JSON.stringify(rGood));
            assert.equal(
              (await chain.publicClient.getTransaction({ hash: batch })).to?.toLowerCase(),
              router.toLowerCase(),
            );
            // The front-runner's transaction paid exactly this payment: it happened, with that transaction.
            assert.equal(rFrontRun.success, true, JSON.stringify(rFrontRun));
            assert.equal(rFrontRun.transaction, frontRunHash);
            // The cancel and the spent balance are failures, named by the batch that skipped them.
            assert.equal(rCanceled.success, false);
            assert.equal(rCanceled.errorReason, "invalid_exact_evm_nonce_already_used");
            assert.match(
              rCanceled.errorMessage,
              new RegExp(`canceled the authorization \\(transaction ${cancelHash}\\)`),
            );
            assert.equal(rCanceled.transaction, batch);
            assert.equal(rDrained.success, false);
            assert.equal(rDrained.errorReason, "insufficient_funds", JSON.stringify(rDrained));
            // Its own index in the batch (arrival order into the batch is not fixed): the one the router skipped it at.
            const index = Number(
              new RegExp(`item (\\d+) of batch transaction ${batch}`).exec(rDrained.errorMessage)?.[1],
            );
            const skipped = parseEventLogs({
              abi: batchSettlementRouterAbi,
              eventName: "AuthorizationFailed",
              logs: (await chain.publicClient.getTransactionReceipt({ hash: batch })).logs,
            }).find((log) => Number(log.args.index) === index);
            assert.equal(skipped?.args.from, poor.address, rDrained.errorMessage);
            assert.equal(rDrained.transaction, batch);
            assert.equal(await settledItems(batch), 1);
            assert.equal(await usesOf(poor.address, drained.authorization.nonce), 0);
          } finally {
            await setAutomine(true);
          }
        });
      });

      test("behavior: a dry run leaves out the item the router would skip; it fails with nothing sent for it", async () => {
        // Two payments that each pass verification alone, but the payer can afford only one of them.
        await mintTo(poor.address, 1_000n - (await balanceOf(token, poor.address)));
        const a = await signPayment({ token, payer: poor, payTo, value: 1_000n });
        const b = await signPayment({ token, payer: poor, payTo, value: 1_000n });
        await withFacilitator({ batch: { maxItems: 2, maxWaitMs: 30_000 } }, async (fx) => {
          const sentBefore = await pendingNonce(otherSigner.address);
          const answers = (
            await Promise.all([
              fx.post("/settle", v2Body(token, a, payTo, 1_000n)),
              fx.post("/settle", v2Body(token, b, payTo, 1_000n)),
            ])
          ).map((r) => r.body);
          const won = answers.filter((o) => o.success);
          const lost = answers.filter((o) => !o.success);
          assert.equal(won.length, 1, JSON.stringify(answers));
          assert.equal(lost[0]?.errorReason, "insufficient_funds", JSON.stringify(lost[0]));
          assert.equal(lost[0]?.transaction, "");
          assert.match(lost[0]?.errorMessage, /dry run/);
          assert.equal(await pendingNonce(otherSigner.address), sentBefore + 1, "one transaction, for the good item");
          assert.equal(await settledItems(won[0]?.transaction), 1);
          assert.equal(await balanceOf(token, poor.address), 0n);
        });
      });

      test("behavior: an item that needs more gas than a batch item gets is sent on its own", async () => {
        const payload = await signPayment({ token, payer, payTo, value: 55n });
        // 20,000 gas is less than any token call needs, so the dry run reports GasLimitExceeded.
        const batchSubmitter = createRouterSubmitter({ routers: new Map([[31337, router]]), itemGasLimit: 20_000n });
        await withFacilitator(
          { batch: { maxItems: 1, maxWaitMs: 10 } },
          async (fx) => {
            const answer = (await fx.post("/settle", v2Body(token, payload, payTo, 55n))).body;
            assert.equal(answer.success, true, JSON.stringify(answer));
            const tx = await chain.publicClient.getTransaction({ hash: answer.transaction });
            assert.equal(tx.to?.toLowerCase(), token.address.toLowerCase(), "a direct transferWithAuthorization");
            assert.equal(await usesOf(payer.address, payload.authorization.nonce), 1);
          },
          { batchSubmitter },
        );
      });

      test("behavior: a batch whose router call would revert as a whole is split, not failed; every item settles", async () => {
        const base = createRouterSubmitter({ routers: new Map([[31337, router]]) });
        const payments = await signPayments([61n, 62n, 63n, 64n]);
        const poison = payments[1]!.payload.authorization.nonce.toLowerCase();
        // Any batch carrying the poison item is malformed (the selector alone): the router call reverts as a whole.
        const batchSubmitter = {
          ...base,
          maxItems: base.maxItems,
          encode: (list: Parameters<typeof base.encode>[0]) => {
            const data = base.encode(list);
            return list.some((p) => p.authorization.nonce.toLowerCase() === poison) ? (data.slice(0, 10) as Hex) : data;
          },
        };
        const before = await balanceOf(token, payTo);
        await withFacilitator(
          { batch: { maxItems: 4, maxWaitMs: 100 } },
          async (fx) => {
            const answers = await Promise.all(payments.map((p) => fx.post("/settle", p.body)));
            for (const answer of answers) assert.equal(answer.body.success, true, JSON.stringify(answer.body));
            for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
            const alone = await chain.publicClient.getTransaction({ hash: answers[1]!.body.transaction });
            assert.equal(alone.to?.toLowerCase(), token.address.toLowerCase(), "the poison item went out on its own");
          },
          { batchSubmitter },
        );
        assert.equal(await balanceOf(token, payTo), before + 61n + 62n + 63n + 64n);
      });

      test("behavior: a job that keeps failing before it is signed is handed back, never blocking the signer; every item settles", async () => {
        const base = createRouterSubmitter({ routers: new Map([[31337, router]]) });
        const payments = await signPayments([81n, 82n, 83n, 84n]);
        const poison = payments[2]!.payload.authorization.nonce.toLowerCase();
        // Building any batch that carries the poison item throws (a bug, not the chain): the lane must move on.
        const batchSubmitter = {
          ...base,
          maxItems: base.maxItems,
          encode: (list: Parameters<typeof base.encode>[0]) => {
            if (list.some((p) => p.authorization.nonce.toLowerCase() === poison)) throw new Error("cannot encode");
            return base.encode(list);
          },
        };
        const before = await balanceOf(token, payTo);
        await withFacilitator(
          { batch: { maxItems: 4, maxWaitMs: 100 }, settleTimeoutMs: 60_000 },
          async (fx) => {
            const answers = await Promise.all(payments.map((p) => fx.post("/settle", p.body)));
            for (const answer of answers) assert.equal(answer.body.success, true, JSON.stringify(answer.body));
            for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
            const alone = await chain.publicClient.getTransaction({ hash: answers[2]!.body.transaction });
            assert.equal(alone.to?.toLowerCase(), token.address.toLowerCase(), "the poison item went out on its own");
          },
          { batchSubmitter },
        );
        assert.equal(await balanceOf(token, payTo), before + 81n + 82n + 83n + 84n);
      });

      test("behavior: a batch that needs more gas than one transaction may have is split, and every item settles", async () => {
        const payments = await signPayments([71n, 72n, 73n, 74n]);
        const before = await balanceOf(token, payTo);
        // Four items need ~190k gas; a chain that allows 150k a transaction takes two items at most.
        await withFacilitator({ batch: { maxItems: 4, maxWaitMs: 100 }, maxTransactionGas: 150_000 }, async (fx) => {
          const answers = await Promise.all(payments.map((p) => fx.post("/settle", p.body)));
          for (const answer of answers) assert.equal(answer.body.success, true, JSON.stringify(answer.body));
          for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
          const hashes = [...new Set(answers.map((a) => a.body.transaction as Hex))];
          assert.ok(hashes.length >= 2, "split into more than one transaction");
          for (const hash of hashes) {
            const tx = await chain.publicClient.getTransaction({ hash });
            assert.ok(tx.gas <= 150_000n, `transaction ${hash} asks for ${tx.gas} gas`);
          }
        });
        assert.equal(await balanceOf(token, payTo), before + 71n + 72n + 73n + 74n);
      });

      test("behavior: a batch mined as reverted is split in two, never failed nor re-sent whole", async () => {
        // Both items pay `payee`, whose balance the estimate sees; emptied before the batch is mined, the first
        // item's transfer costs ~17k gas more, so with no gas headroom the router runs short before the second.
        const payee = privateKeyToAccount(HARDHAT_KEYS[2]);
        await mintTo(payee.address, 1_000n);
        const first = await signPayment({ token, payer: payers[0]!, payTo: payee.address, value: 71n });
        const second = await signPayment({ token, payer: payers[1]!, payTo: payee.address, value: 72n });
        await withFacilitator(
          { batch: { maxItems: 2, maxWaitMs: 5_000 }, gasHeadroomPercent: 0, settleTimeoutMs: 500 },
          async (fx) => {
            await setAutomine(false);
            let batch: Hex;
            try {
              const pending = await Promise.all([
                fx.post("/settle", v2Body(token, first, payee.address, 71n)),
                fx.post("/settle", v2Body(token, second, payee.address, 72n)),
              ]);
              for (const p of pending) assert.equal(p.body.errorReason, "settlement_pending", JSON.stringify(p.body));
              batch = pending[0]!.body.transaction as Hex;
              assert.equal(pending[1]!.body.transaction, batch);
              const wallet = chain.wallet(HARDHAT_KEYS[2]);
              const balance = await balanceOf(token, payee.address);
              await wallet.writeContract({
                address: token.address,
                abi: token.abi,
                functionName: "transfer",
                args: [payTo, balance],
                account: wallet.account!,
                chain: wallet.chain,
                maxPriorityFeePerGas: 100n * gwei,
                maxFeePerGas: 200n * gwei,
              });
              await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
            } finally {
              await setAutomine(true);
            }
            const receipt = await chain.publicClient.getTransactionReceipt({ hash: batch });
            assert.equal(receipt.status, "reverted", "the batch reverted as a whole");
            const answers = [];
            for (const [payload, value] of [
              [first, 71n],
              [second, 72n],
            ] as const) {
              for (;;) {
                const answer = await fx.post("/settle", v2Body(token, payload, payee.address, value));
                if (answer.body.errorReason !== "settlement_pending") {
                  answers.push(answer.body);
                  break;
                }
              }
            }
            for (const a of answers) assert.equal(a.success, true, JSON.stringify(a));
            assert.notEqual(answers[0].transaction, batch);
            assert.notEqual(answers[0].transaction, answers[1].transaction, "each half went out on its own");
            assert.equal(await usesOf(payers[0]!.address, first.authorization.nonce), 1);
            assert.equal(await usesOf(payers[1]!.address, second.authorization.nonce), 1);
          },
        );
      });

      /** Waits (bounded) until `address` has `count` transactions sent (mined or in the pool). */
      const untilSent = (address: Address, count: number): Promise<void> =>
        untilTrue(
          async () => (await pendingNonce(address)) >= count,
          `transaction ${count} of ${address} to reach the pool`,
          10_000,
        );
      /** Transactions of `address` in the pool, not mined yet. */
      const poolSize = async (address: Address) => {
        const mined = await chain.publicClient.getTransactionCount({ address, blockTag: "latest" });
        const pending = await pendingNonce(address);
        return pending - mined;
      };
      const mine = () => chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
      /** Items a mined router transaction settled (its `AuthorizationSettled` events). */
      const itemsIn = async (hash: Hex) => {
        const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
        return parseEventLogs({ abi: batchSettlementRouterAbi, eventName: "AuthorizationSettled", logs: receipt.logs })
          .length;
      };

      test("group commit: a lone payment goes at once; what arrives while it is in flight goes together next", async () => {
        // Default batch config: maxWaitMs 0, no window at all. The chain mines only when told to.
        const [lone, ...later] = await signPayments([301n, 302n, 303n, 304n]);
        await withFacilitator({ settleTimeoutMs: 60_000 }, async (fx) => {
          const sentBefore = await pendingNonce(otherSigner.address);
          await setAutomine(false);
          try {
            const first = fx.post("/settle", lone!.body);
            // Nothing else arrives and there is no window: the lone payment is broadcast by itself.
            await untilSent(otherSigner.address, sentBefore + 1);
            const rest = Promise.all(later.map((p) => fx.post("/settle", p.body)));
            // While that transaction is unconfirmed the signer is busy: the three wait for it, whatever the time.
            const verified = await Promise.all(later.map((p) => fx.post("/verify", p.body)));
            for (const v of verified) assert.equal(v.body.isValid, true, JSON.stringify(v.body));
            await new Promise((r) => setTimeout(r, 400));
            assert.equal(
              await pendingNonce(otherSigner.address),
              sentBefore + 1,
              "nothing more is sent while in flight",
            );
            await mine();
            const firstAnswer = await first;
            assert.equal(firstAnswer.body.success, true, JSON.stringify(firstAnswer.body));
            assert.equal(await itemsIn(firstAnswer.body.transaction), 1);
            // Confirmed: the signer is free, and the three go together in one transaction.
            await untilSent(otherSigner.address, sentBefore + 2);
            assert.equal(await poolSize(otherSigner.address), 1);
            await mine();
            const answers = await rest;
            for (const a of answers) assert.equal(a.body.success, true, JSON.stringify(a.body));
            assert.equal(new Set(answers.map((a) => a.body.transaction)).size, 1, "one transaction for the group");
            assert.equal(await itemsIn(answers[0]!.body.transaction), 3);
            assert.equal(await pendingNonce(otherSigner.address), sentBefore + 2);
          } finally {
            await setAutomine(true);
          }
        });
      });

      test("group commit: the size cap holds; full batches go at once behind the one in flight, the rest waits", async () => {
        const [lone, ...later] = await signPayments([311n, 312n, 313n, 314n, 315n, 316n]);
        await withFacilitator({ batch: { maxItems: 2 }, settleTimeoutMs: 60_000 }, async (fx) => {
          const sentBefore = await pendingNonce(otherSigner.address);
          await setAutomine(false);
          try {
            const first = fx.post("/settle", lone!.body);
            await untilSent(otherSigner.address, sentBefore + 1);
            const rest = Promise.all(later.map((p) => fx.post("/settle", p.body)));
            // Five arrive while the first is in flight: two full batches of two go at once; the fifth waits.
            await untilSent(otherSigner.address, sentBefore + 3);
            await new Promise((r) => setTimeout(r, 400));
            assert.equal(
              await pendingNonce(otherSigner.address),
              sentBefore + 3,
              "a partial batch waits for a free signer",
            );
            await mine();
            await untilSent(otherSigner.address, sentBefore + 4);
            await mine();
            const answers = [await first, ...(await rest)];
            for (const a of answers) assert.equal(a.body.success, true, JSON.stringify(a.body));
            const byTx = new Map<Hex, number>();
            for (const a of answers) byTx.set(a.body.transaction, (byTx.get(a.body.transaction) ?? 0) + 1);
            assert.deepEqual([...byTx.values()].sort(), [1, 1, 2, 2]);
            for (const [hash, n] of byTx) assert.equal(await itemsIn(hash), n);
          } finally {
            await setAutomine(true);
          }
        });
      });

      test("window flag: with batch.maxWaitMs > 0 a batch goes when its window ends, without waiting for a free signer", async () => {
        const [a, b, c] = await signPayments([321n, 322n, 323n]);
        await withFacilitator({ batch: { maxItems: 10, maxWaitMs: 300 }, settleTimeoutMs: 60_000 }, async (fx) => {
          const sentBefore = await pendingNonce(otherSigner.address);
          await setAutomine(false);
          try {
            // Two payments inside one window share its batch.
            const firstTwo = Promise.all([fx.post("/settle", a!.body), fx.post("/settle", b!.body)]);
            await untilSent(otherSigner.address, sentBefore + 1);
            // The next window's batch goes while the first transaction is still unconfirmed (pipelined).
            const third = fx.post("/settle", c!.body);
            await untilSent(otherSigner.address, sentBefore + 2);
            assert.equal(await poolSize(otherSigner.address), 2);
            await mine();
            const answers = [...(await firstTwo), await third];
            for (const x of answers) assert.equal(x.body.success, true, JSON.stringify(x.body));
            assert.equal(answers[0]!.body.transaction, answers[1]!.body.transaction);
            assert.notEqual(answers[2]!.body.transaction, answers[0]!.body.transaction);
            assert.equal(await itemsIn(answers[0]!.body.transaction), 2);
          } finally {
            await setAutomine(true);
          }
        });
      });

      test("behavior: 50 concurrent duplicates of one payment make one transfer and identical answers", async () => {
        const payload = await signPayment({ token, payer, payTo, value: 4_321n });
        const body = v2Body(token, payload, payTo, 4_321n);
        const answers = await Promise.all(Array.from({ length: 50 }, () => f.post("/settle", body)));
        for (const a of answers) assert.deepEqual(a.body, answers[0]!.body);
        assert.equal(answers[0]!.body.success, true);
        assert.equal(await usesOf(payer.address, payload.authorization.nonce), 1);
      });

      test("behavior: start-up refuses a router address that is not a BatchSettlementRouter", async () => {
        for (const [address, problem] of [
          [token.address, /is not a BatchSettlementRouter/],
          ["0x00000000000000000000000000000000000b0b0b", /no contract at this address/],
        ] as const) {
          await assert.rejects(
            startFacilitator({
              privateKeys: [HARDHAT_KEYS[3]],
              networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl, router: address }],
              mode: "batched",
            }),
            (error: unknown) => {
              assert.equal((error as Error).name, "RouterMisconfiguredError");
              assert.match((error as Error).message, problem);
              return true;
            },
          );
        }
      });

      // "Kill the process (SIGKILL) after persist and before broadcast, […] and between a batch's broadcast and
      // its receipt; restart; every payment ends settled exactly once" (settlement-engine.md).
      for (const fault of ["crash-after-persist", "crash-after-batch-broadcast"] as const) {
        test(`behavior: killed mid-batch (${fault}), restarted, every item settles once from the persisted batch`, async () => {
          const journal = await backend.fresh();
          const env = (extra: Record<string, string> = {}) => ({
            PORT: "0",
            EVM_PRIVATE_KEY: HARDHAT_KEYS[2],
            EVM_NETWORK: "eip155:31337",
            EVM_RPC_URL: node.rpcUrl,
            ...journal.env,
            X402KIT_MODE: "batched",
            X402KIT_ROUTER: router,
            X402KIT_BATCH_MAX_ITEMS: "5",
            X402KIT_BATCH_MAX_WAIT_MS: "5000",
            ...extra,
          });
          const batchSigner = privateKeyToAccount(HARDHAT_KEYS[2]).address;
          const waitForPending = async (count: number) => {
            for (let i = 0; (await pendingNonce(batchSigner)) < count; i++) {
              assert.ok(i < 400, "the batch reaches the mempool");
              await new Promise((r) => setTimeout(r, 50));
            }
          };
          try {
            await setAutomine(false);
            const payments = await signPayments(Array.from({ length: 5 }, (_, i) => 500n + BigInt(i)));
            const before = await balanceOf(token, payTo);
            const sentBefore = await pendingNonce(batchSigner);
            const crashing = await spawnFacilitator(env({ X402KIT_FAULT: fault }));
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
            if (fault === "crash-after-persist") {
              assert.equal(await pendingNonce(batchSigner), sentBefore, "signed and persisted, never sent");
            } else {
              assert.equal(await pendingNonce(batchSigner), sentBefore + 1, "in the mempool, unwatched");
            }

            const restarted = await spawnFacilitator(env());
            try {
              const answers = Promise.all(payments.map((p) => post(restarted.url, p.body).then((r) => r.json())));
              // Start-up re-sends exactly the persisted bytes (or finds them known): still one transaction.
              await waitForPending(sentBefore + 1);
              await chain.publicClient.request({ method: "evm_mine" as never });
              for (const a of await answers) assert.equal((a as { success: boolean }).success, true, JSON.stringify(a));
              const hashes = new Set((await answers).map((a) => (a as { transaction: Hex }).transaction));
              assert.equal(hashes.size, 1, "one batch");
              assert.equal(await settledItems([...hashes][0]!), 5);
              // Nothing was built again: the only transaction of this signer is the one persisted before the crash.
              assert.equal(await chain.publicClient.getTransactionCount({ address: batchSigner }), sentBefore + 1);
              for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
              assert.equal(await balanceOf(token, payTo), before + 5n * 500n + 10n);
            } finally {
              restarted.child.kill("SIGTERM");
              assert.equal(await restarted.exited, 0, restarted.output());
            }
          } finally {
            await setAutomine(true);
          }
        });
      }

      test("audit: every settle answer agrees with the chain (no false success, no false failure)", async () => {
        const checked = await auditAnswers(token.chain.publicClient, [...f.settles, ...exchanges]);
        assert.ok(checked > 0);
      });
    });
  }
}
