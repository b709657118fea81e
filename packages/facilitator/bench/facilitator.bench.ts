/**
 * Facilitator benchmark on a local `hardhat node` (automine): verify latency over real HTTP, and
 * settlements per second in direct mode (1 and 4 signers) and batched mode (x402kit BatchSettlementRouter),
 * and gas per payment in each mode.
 *
 *   pnpm --filter @x402kit/facilitator bench
 *
 * Figures depend on the machine and on Hardhat's own speed; compare runs on one machine.
 */

import { startHardhatNode } from "@x402kit/hardhat-node";
import { privateKeyToAccount } from "viem/accounts";
import { recoveryBackend } from "../src/chain/recoverAuthorizer.js";
import {
  deployRouter,
  deployTestUsdc,
  HARDHAT_KEYS,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "../test/helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "../test/helpers/facilitatorHarness.js";

const payers = [HARDHAT_KEYS[5], HARDHAT_KEYS[7], HARDHAT_KEYS[8], HARDHAT_KEYS[9]].map((k) => privateKeyToAccount(k));
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function bodies(token: Token, count: number) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      // A long window: Hardhat's automine clock advances at least 1 s per block, far faster than real time.
      const now = BigInt(Math.floor(Date.now() / 1000));
      const payload = await signPayment({
        token,
        payer: payers[i % payers.length]!,
        payTo,
        value: 1n,
        validAfter: now - 600n,
        validBefore: now + 36_000n,
      });
      return v2Body(token, payload, payTo, 1n);
    }),
  );
}

const gasLines = (metrics: string) =>
  metrics
    .split("\n")
    .filter((l) => /^x402kit_(gas_used_total|batch_size_(sum|count))/.test(l))
    .map((l) => `  ${l}`)
    .join("\n");

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

async function settleRun(f: RunningFacilitator, token: Token, count: number, concurrency: number) {
  const list = await bodies(token, count);
  const started = performance.now();
  let ok = 0;
  const failures = new Map<string, number>();
  await pool(list, concurrency, async (body) => {
    const answer = await f.post("/settle", body);
    if (answer.body.success) ok++;
    else {
      const reason = String(answer.body.errorReason ?? answer.status);
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
    }
  });
  if (failures.size > 0) console.log("  not settled:", Object.fromEntries(failures));
  const seconds = (performance.now() - started) / 1000;
  return { ok, seconds, perSecond: ok / seconds };
}

const node = await startHardhatNode();
try {
  const chain = localChain(node.rpcUrl, node.chainId);
  const token = await deployTestUsdc(
    chain,
    payers.map((p) => p.address),
    10n ** 15n,
  );
  console.log(`signature recovery: ${recoveryBackend()}`);

  // Verify latency: sequential, then 16 concurrent clients.
  const f1 = await startFacilitator({
    privateKeys: [HARDHAT_KEYS[1]],
    networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
  });
  const verifyBodies = await bodies(token, 500);
  for (const body of verifyBodies.slice(0, 50)) await f1.post("/verify", body); // warm-up
  const latencies: number[] = [];
  for (const body of verifyBodies) {
    const t = performance.now();
    await f1.post("/verify", body);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    `verify, sequential (500, state check): p50 ${fmt(percentile(latencies, 50))}, p95 ${fmt(percentile(latencies, 95))}, p99 ${fmt(percentile(latencies, 99))}`,
  );
  const t = performance.now();
  await pool(verifyBodies, 16, async (body) => {
    await f1.post("/verify", body);
  });
  console.log(`verify, 16 concurrent: ${(500 / ((performance.now() - t) / 1000)).toFixed(0)} verifications/s`);

  const one = await settleRun(f1, token, 300, 50);
  console.log(
    `settle, direct, 1 signer, 50 concurrent: ${one.ok}/300 in ${one.seconds.toFixed(2)} s = ${one.perSecond.toFixed(1)}/s`,
  );
  console.log(gasLines((await f1.get("/metrics")).text));
  await f1.close();

  const f4 = await startFacilitator({
    privateKeys: [HARDHAT_KEYS[1], HARDHAT_KEYS[2], HARDHAT_KEYS[3], HARDHAT_KEYS[4]],
    networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
  });
  const four = await settleRun(f4, token, 300, 50);
  console.log(
    `settle, direct, 4 signers, 50 concurrent: ${four.ok}/300 in ${four.seconds.toFixed(2)} s = ${four.perSecond.toFixed(1)}/s`,
  );
  await f4.close();

  const router = await deployRouter(chain);
  const fb = await startFacilitator({
    privateKeys: [HARDHAT_KEYS[2]],
    networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl, router }],
    mode: "batched",
    batch: { maxItems: 50, maxWaitMs: 100 },
  });
  const batched = await settleRun(fb, token, 300, 100);
  console.log(
    `settle, batched (BatchSettlementRouter, ≤50 per tx), 1 signer, 100 concurrent: ${batched.ok}/300 in ${batched.seconds.toFixed(2)} s = ${batched.perSecond.toFixed(1)}/s`,
  );
  console.log(gasLines((await fb.get("/metrics")).text));
  await fb.close();

  const fb2 = await startFacilitator({
    privateKeys: [HARDHAT_KEYS[3]],
    networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl, router }],
    mode: "batched",
    batch: { maxItems: 200, maxWaitMs: 200 },
  });
  const wide = await settleRun(fb2, token, 1000, 400);
  console.log(
    `settle, batched (BatchSettlementRouter, ≤200 per tx), 1 signer, 400 concurrent: ${wide.ok}/1000 in ${wide.seconds.toFixed(2)} s = ${wide.perSecond.toFixed(1)}/s`,
  );
  console.log(gasLines((await fb2.get("/metrics")).text));
  await fb2.close();
} finally {
  await node.stop();
}
