import { startHardhatNode } from "@x402kit/hardhat-node";
import { privateKeyToAccount } from "viem/accounts";
import { FACILITATOR_KEY, setupChain } from "../chain/setupChain.js";
import { cpuTimeMs } from "../cpu.js";
import { startFacilitator } from "../facilitators/startFacilitator.js";
import { postJson } from "../http.js";
import { type Payment, signPayments } from "../load/signPayments.js";
import { describeMachine, type Machine } from "../machine.js";
import { type Percentiles, percentiles, ratio, round } from "../stats.js";

/** Parameters of the verify-only benchmark. */
export type VerifyParameters = {
  concurrency: number[];
  durationMs: number;
  maxRequests: number;
  blockTimeMs: number;
  requestTimeoutMs: number;
};

/** One concurrency level of one facilitator. */
export type VerifyLevel = Percentiles & {
  concurrency: number;
  requestsPerSecond: number;
  /** Answers other than `isValid: true` (all payloads are valid, so these are errors). */
  notValid: number;
  /** CPU the facilitator process spent per answered request (Linux; `null` elsewhere). */
  facilitatorCpuMsPerRequest: number | null;
  /** CPU the hardhat node spent per answered request: the chain reads each verify makes. */
  nodeCpuMsPerRequest: number | null;
};

/** `bench/results/verify.json`. */
export type VerifyResults = {
  description: string;
  machine: Machine;
  parameters: VerifyParameters;
  official: VerifyLevel[];
  ours: VerifyLevel[];
  /** Ours / official at each concurrency level. */
  atConcurrency: {
    concurrency: number;
    requestsPerSecond: number | null;
    p99Ms: number | null;
    facilitatorCpuMsPerRequest: number | null;
  }[];
  /**
   * The official facilitator's best level against our best level whose p99 is no worse: the "requests
   * per second at equal p99" comparison.
   */
  atEqualP99: {
    official: { concurrency: number; requestsPerSecond: number; p99Ms: number } | null;
    ours: { concurrency: number; requestsPerSecond: number; p99Ms: number } | null;
    requestsPerSecond: number | null;
  };
};

const PAYERS = 32;
const WARM_UP = 50;

async function measureLevel(
  url: string,
  bodies: readonly Payment[],
  concurrency: number,
  p: VerifyParameters,
  pids: { facilitator: number | undefined; node: number | undefined },
) {
  const cpuBefore = { facilitator: cpuTimeMs(pids.facilitator), node: cpuTimeMs(pids.node) };
  const latencies: number[] = [];
  let notValid = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + p.durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length && performance.now() < deadline) {
        const payment = bodies[next++] as Payment;
        const answer = await postJson(`${url}/verify`, payment.body, p.requestTimeoutMs);
        if (answer.body?.isValid === true) latencies.push(answer.ms);
        else notValid++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const perRequest = (before: number | null, pid: number | undefined) => {
    const after = cpuTimeMs(pid);
    return before === null || after === null || latencies.length === 0
      ? null
      : round((after - before) / latencies.length, 3);
  };
  return {
    latencies,
    notValid,
    seconds,
    facilitatorCpuMsPerRequest: perRequest(cpuBefore.facilitator, pids.facilitator),
    nodeCpuMsPerRequest: perRequest(cpuBefore.node, pids.node),
  };
}

/**
 * Verify throughput: for each facilitator, a closed loop of C concurrent clients posting distinct valid
 * payments to `/verify` (no settlement) for a fixed time per level, on the same chain setup.
 *
 * @param parameters - {@link VerifyParameters}
 * @param log - Progress output.
 */
export async function benchVerify(parameters: VerifyParameters, log: (line: string) => void): Promise<VerifyResults> {
  const machine = describeMachine();
  const results: Record<"official" | "ours", VerifyLevel[]> = { official: [], ours: [] };
  const perLevel = parameters.maxRequests;
  const total = WARM_UP + perLevel * parameters.concurrency.length;
  let pool: Payment[] | undefined;
  for (const kind of ["official", "ours"] as const) {
    const node = await startHardhatNode();
    try {
      const chain = await setupChain(node.rpcUrl, node.chainId, {
        payers: PAYERS,
        payees: 4,
        fundsPerPayer: 10n ** 12n,
        blockTimeMs: parameters.blockTimeMs,
      });
      // Deterministic deployer nonces: every fresh node has the token at the same address, so the pool
      // signed for the first facilitator is valid for the second one too.
      if (pool === undefined) {
        log(`  signing ${total} payments …`);
        const wall = BigInt(Math.floor(Date.now() / 1000));
        pool = (
          await signPayments({
            chainId: node.chainId,
            token: chain.token,
            payers: chain.payers,
            payees: chain.payees,
            perPayer: Math.ceil(total / PAYERS),
            value: 1_000n,
            maxTimeoutSeconds: 3_600,
            now: wall,
          })
        ).flat();
      }
      const facilitator = await startFacilitator(kind === "official" ? "official" : "direct", {
        rpcUrl: node.rpcUrl,
        chainId: node.chainId,
        privateKey: FACILITATOR_KEY,
        signer: privateKeyToAccount(FACILITATOR_KEY).address,
        router: chain.router,
        blockTimeMs: parameters.blockTimeMs,
      });
      const pids = { facilitator: facilitator.child.process.pid, node: node.pid };
      try {
        await measureLevel(facilitator.url, pool.slice(0, WARM_UP), 4, { ...parameters, durationMs: 60_000 }, pids);
        for (const [i, concurrency] of parameters.concurrency.entries()) {
          const slice = pool.slice(WARM_UP + i * perLevel, WARM_UP + (i + 1) * perLevel);
          const m = await measureLevel(facilitator.url, slice, concurrency, parameters, pids);
          const level = {
            concurrency,
            requestsPerSecond: round(m.latencies.length / m.seconds, 1),
            notValid: m.notValid,
            facilitatorCpuMsPerRequest: m.facilitatorCpuMsPerRequest,
            nodeCpuMsPerRequest: m.nodeCpuMsPerRequest,
            ...percentiles(m.latencies),
          };
          results[kind].push(level);
          log(
            `  ${kind} verify, ${concurrency} concurrent: ${level.requestsPerSecond} req/s, p99 ${level.p99Ms} ms, ` +
              `CPU/request ${level.facilitatorCpuMsPerRequest} ms (node ${level.nodeCpuMsPerRequest} ms)`,
          );
        }
      } finally {
        await facilitator.stop();
      }
    } finally {
      await node.stop();
    }
  }

  const best = (levels: VerifyLevel[]) =>
    levels.reduce<VerifyLevel | undefined>(
      (b, l) => (b === undefined || l.requestsPerSecond > b.requestsPerSecond ? l : b),
      undefined,
    );
  const official = best(results.official);
  const ours = official ? best(results.ours.filter((l) => l.p99Ms <= official.p99Ms)) : undefined;
  const pick = (l: VerifyLevel | undefined) =>
    l ? { concurrency: l.concurrency, requestsPerSecond: l.requestsPerSecond, p99Ms: l.p99Ms } : null;
  return {
    description:
      "POST /verify only (x402 v2, distinct valid payments, no settlement), closed loop at fixed concurrency for a " +
      "fixed time per level, official x402 facilitator vs x402kit-facilitator (defaults: balance and nonce " +
      "read from the chain). Generated by `pnpm bench verify`; see docs/benchmarks.md.",
    machine,
    parameters,
    official: results.official,
    ours: results.ours,
    atConcurrency: parameters.concurrency.map((concurrency) => {
      const o = results.official.find((l) => l.concurrency === concurrency);
      const u = results.ours.find((l) => l.concurrency === concurrency);
      return {
        concurrency,
        requestsPerSecond: ratio(u?.requestsPerSecond, o?.requestsPerSecond),
        p99Ms: ratio(u?.p99Ms, o?.p99Ms),
        facilitatorCpuMsPerRequest: ratio(u?.facilitatorCpuMsPerRequest, o?.facilitatorCpuMsPerRequest),
      };
    }),
    atEqualP99: {
      official: pick(official),
      ours: pick(ours),
      requestsPerSecond: ratio(ours?.requestsPerSecond, official?.requestsPerSecond),
    },
  };
}
