/**
 * `pnpm bench [parts...]`: runs the benchmarks (gas, load, verify, sign, devnet; default all), writes
 * `bench/results/*.json`, prints the markdown report of every result file and rewrites the generated block
 * of `docs/benchmarks.md`. `--help` lists the knobs; docs/benchmarks.md explains the method.
 */
import { benchBatchSettlement } from "./batchSettlement/benchBatchSettlement.js";
import { benchDevnet } from "./devnet/benchDevnet.js";
import { benchGas } from "./gas/benchGas.js";
import { benchLatency } from "./latency/benchLatency.js";
import { benchLoad } from "./load/benchLoad.js";
import { BenchOptionsError, parseOptions } from "./options.js";
import { type AllResults, renderReport } from "./report/renderReport.js";
import { writeBenchmarksDoc } from "./report/writeBenchmarksDoc.js";
import { readResult, writeResult } from "./results.js";
import { benchScaleOut } from "./scale/benchScaleOut.js";
import { benchSigning } from "./sign/benchSigning.js";
import { benchVerify } from "./verify/benchVerify.js";

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") return;
    if (error instanceof BenchOptionsError || code?.startsWith("commander.")) {
      if (error instanceof BenchOptionsError) log(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const { parts } = options;
  const started = performance.now();

  if (parts.includes("gas")) {
    log("gas: router, token and ERC-8004 scripts (hardhat run)");
    await benchGas(log);
  }
  if (parts.includes("sign")) {
    log("sign: authorizations per second, ours vs the official client");
    const results = await benchSigning({ rounds: options.signRounds, iterations: options.signIterations }, log);
    log(`sign: wrote ${writeResult("sign", results)}`);
  }
  if (parts.includes("verify")) {
    log("verify: /verify throughput at fixed concurrency, ours vs official");
    const results = await benchVerify(
      {
        concurrency: options.verifyConcurrency,
        durationMs: options.verifyDurationS * 1000,
        maxRequests: options.verifyMaxRequests,
        blockTimeMs: options.blockTimeMs,
        requestTimeoutMs: options.requestTimeoutS * 1000,
      },
      log,
    );
    log(`verify: wrote ${writeResult("verify", results)}`);
  }
  if (parts.includes("load")) {
    log(`load: ${options.payers} payers × ${options.payments} payments through /verify + /settle`);
    const results = await benchLoad(
      {
        payers: options.payers,
        paymentsPerPayer: options.payments,
        blockTimeMs: options.blockTimeMs,
        payees: options.payees,
        value: options.value,
        runTimeoutMs: options.runTimeoutS * 1000,
        requestTimeoutMs: options.requestTimeoutS * 1000,
        facilitators: options.facilitators,
      },
      log,
    );
    log(`load: wrote ${writeResult("load", results)}`);
  }
  if (parts.includes("latency")) {
    log(`latency: ${options.latencyLevels.join(", ")} concurrent payers (automine), then batched at scale`);
    const results = await benchLatency(
      {
        levels: options.latencyLevels,
        paymentsPerLevel: options.latencyPayments,
        facilitators: options.facilitators,
        scale: {
          payers: options.scalePayers,
          payments: options.scalePayments,
          blockTimeMs: options.blockTimeMs || 2_000,
        },
        payees: options.payees,
        value: options.value,
        runTimeoutMs: options.runTimeoutS * 1000,
        requestTimeoutMs: options.requestTimeoutS * 1000,
      },
      log,
    );
    log(`latency: wrote ${writeResult("latency", results)}`);
  }
  if (parts.includes("devnet")) {
    log("devnet: start-up time");
    const results = await benchDevnet({ runs: options.devnetRuns, timeoutMs: 180_000 }, log);
    log(`devnet: wrote ${writeResult("devnet", results)}`);
  }
  if (parts.includes("batch")) {
    log("batch: batch-settlement end to end, ours vs official (vouchers/s, latency, gas per payment)");
    const results = await benchBatchSettlement(
      {
        levels: options.batchLevels,
        price: options.value,
        requestTimeoutMs: options.requestTimeoutS * 1000,
        direct: { concurrency: 100, offeredPerSecond: 2_000, durationMs: 5_000 },
      },
      log,
    );
    log(`batch: wrote ${writeResult("batch", results)}`);
  }
  if (parts.includes("scale")) {
    log(`scale: ours on 1 × SQLite, 1 × Postgres and ${options.scaleInstances} × Postgres, same load`);
    const results = await benchScaleOut(
      {
        instances: options.scaleInstances,
        payers: options.scalePayers || 1_000,
        paymentsPerPayer: options.scalePayments,
        blockTimeMs: options.blockTimeMs || 2_000,
        payees: options.payees,
        value: options.value,
        runTimeoutMs: options.runTimeoutS * 1000,
        requestTimeoutMs: options.requestTimeoutS * 1000,
      },
      log,
    );
    log(`scale: wrote ${writeResult("scale", results)}`);
  }

  const all: AllResults = {
    gas: readResult("gas"),
    token: readResult("token"),
    erc8004: readResult("erc8004"),
    load: readResult("load"),
    latency: readResult("latency"),
    verify: readResult("verify"),
    sign: readResult("sign"),
    devnet: readResult("devnet"),
    batch: readResult("batch"),
    scale: readResult("scale"),
  };
  const report = renderReport(all);
  process.stdout.write(`${report}\n`);
  if (options.docs) log(`docs: rewrote ${writeBenchmarksDoc(report)}`);
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
