#!/usr/bin/env node
/**
 * `x402kit-devnet`: starts the local x402 stack, runs the paying demo agent, prints a summary and the
 * environment block (also written to `<data-dir>/devnet.env`), then runs until Ctrl-C or SIGTERM and
 * stops everything it started. Exit codes: 0 after a clean stop, 1 on a failure, 2 on a bad option.
 */
import { relative } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { type Address, formatEther, formatUnits } from "viem";
import { formatDevnetEnv } from "./devnetEnv.js";
import { createProgressBar } from "./internal/progressBar.js";
import { type DemoReport, runDemoAgent } from "./runDemoAgent.js";
import { DEFAULT_MODE, type Devnet, type DevnetStep, startDevnet } from "./startDevnet.js";

const STEP_LABELS: Record<DevnetStep["name"], string> = {
  node: "Hardhat node",
  contracts: "Contracts",
  funding: "Accounts",
  facilitator: "Facilitator",
  dashboard: "Dashboard",
  demoApi: "Demo API",
  agent: "ERC-8004 agent",
  mining: "Mining",
  ready: "Ready",
};

type CliOptions = {
  demo: boolean;
  calls: number;
  channelCalls: number;
  accounts: number;
  port: number;
  facilitatorPort: number;
  facilitators: number;
  databaseUrl: string | undefined;
  demoPort: number;
  dashboard: boolean;
  dashboardPort: number;
  blockTime: number;
  mode: "direct" | "batched";
  token: "testusdc" | "usdc" | "erc20";
  erc8004Addresses: "canonical" | "deployed";
  smartWalletPayers: boolean;
  dataDir: string;
  chainId: number;
  nodeLogs: boolean;
};

const integer = (name: string, min: number, max: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
  }
  return parsed;
};

function parseArguments(argv: string[]): CliOptions {
  const program = new Command("x402kit-devnet")
    .description(
      "Start a local x402 stack: Hardhat node, x402kit contracts, funded accounts, an ERC-8004 agent, the facilitator and a paid demo API.",
    )
    .option("--no-demo", "do not start the demo API or run the demo agent")
    .option("--calls <k>", "paid calls the demo agent makes", integer("--calls", 0, 10_000), 20)
    .option(
      "--channel-calls <k>",
      "paid calls over one batch-settlement channel after them",
      integer("--channel-calls", 0, 10_000),
      20,
    )
    .option("--accounts <n>", "payer accounts funded with ETH and test USDC", integer("--accounts", 1, 1_000), 5)
    .option("--port <port>", "JSON-RPC port (0 = any free port)", integer("--port", 0, 65_535), 8545)
    .option(
      "--facilitator-port <port>",
      "facilitator port (0 = any free port)",
      integer("--facilitator-port", 0, 65_535),
      4022,
    )
    .option(
      "--facilitators <n>",
      "facilitator instances on one Postgres journal (embedded; > 1: one signer lease each, on the next ports)",
      integer("--facilitators", 1, 16),
      1,
    )
    .option("--database-url <url>", "the facilitators' journal on this (empty) Postgres database")
    .option("--demo-port <port>", "demo API port (0 = any free port)", integer("--demo-port", 0, 65_535), 4021)
    .option("--no-dashboard", "do not serve the live dashboard")
    .option(
      "--dashboard-port <port>",
      "live dashboard port (0 = any free port)",
      integer("--dashboard-port", 0, 65_535),
      4023,
    )
    .option(
      "--block-time <seconds>",
      "seconds between blocks (0 = a block per transaction)",
      (value: string) => {
        const parsed = Number(value);
        if (!Number.isFinite(parsed) || parsed < 0 || parsed > 3_600) {
          throw new InvalidArgumentError("--block-time must be a number of seconds from 0 to 3600.");
        }
        return parsed;
      },
      0,
    )
    .addOption(
      new Option("--mode <mode>", "facilitator settlement mode").choices(["direct", "batched"]).default(DEFAULT_MODE),
    )
    .addOption(
      new Option(
        "--token <token>",
        "payment token: TestUSDC, Circle's FiatToken v2.2 bytecode as Base Sepolia USDC, or TestERC20 (a plain ERC-20 paid through Permit2)",
      )
        .choices(["testusdc", "usdc", "erc20"])
        .default("testusdc"),
    )
    .addOption(
      new Option(
        "--erc8004-addresses <where>",
        "ERC-8004 registries at the official registries' addresses (0x8004A818…), or where Ignition deploys them",
      )
        .choices(["canonical", "deployed"])
        .default("canonical"),
    )
    .option(
      "--smart-wallet-payers",
      "payers pay from counterfactual smart wallets (ERC-6492), deployed by the facilitator with their first payment",
      false,
    )
    .option("--data-dir <dir>", "facilitator journal, logs and devnet.env", ".x402kit")
    .option(
      "--chain-id <id>",
      "chain id (84532 = a local Base Sepolia twin for clients hard-wired to base-sepolia)",
      integer("--chain-id", 1, Number.MAX_SAFE_INTEGER),
      31337,
    )
    .option("--node-logs", "keep Hardhat's per-request log in <data-dir>/logs/hardhat-node.log", false)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  // `pnpm start -- --flag` passes the `--` through; treat it as the npm-style separator it meant to be.
  program.parse(argv[2] === "--" ? [...argv.slice(0, 2), ...argv.slice(3)] : argv);
  const options = program.opts<CliOptions>();
  // More facilitators take the ports after --facilitator-port: a default dashboard port among them moves past them.
  const last = options.facilitatorPort + options.facilitators - 1;
  if (
    program.getOptionValueSource("dashboardPort") === "default" &&
    options.facilitatorPort !== 0 &&
    options.dashboardPort > options.facilitatorPort &&
    options.dashboardPort <= last
  ) {
    options.dashboardPort = last + 1;
  }
  return options;
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArguments(process.argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    process.exit(code === "commander.helpDisplayed" || code === "commander.version" ? 0 : 2);
  }
  const out = process.stdout;
  // A closed stdout (e.g. piped into `head`) must not take the devnet down without stopping it.
  out.on("error", () => {});
  const say = (line = "") => out.write(`${line}\n`);

  let devnet: Devnet | undefined;
  let stopRequested = false;
  let firstSignalAt = 0;
  const shutdown = (signal: string) => {
    if (stopRequested) {
      // One Ctrl-C often arrives twice (from the terminal and forwarded by pnpm): only a second press,
      // a moment later, means "leave now" (the node's watchdog ends it with us).
      if (Date.now() - firstSignalAt > 1_000) process.exit(130);
      return;
    }
    stopRequested = true;
    firstSignalAt = Date.now();
    if (!devnet) {
      say(`\n${signal}: stopping once start-up finishes…`);
      return;
    }
    const running = devnet;
    say(`\n${signal}: stopping…`);
    running
      .stop()
      .then(() => {
        say(
          `Stopped: ${listOf(["the node", "the facilitator", running.demoApiUrl && "the demo API", running.dashboardUrl && "the dashboard"])} are down; their ports are free.`,
        );
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`x402kit-devnet: stopping failed: ${describe(error)}\n`);
        process.exit(1);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  // A fault nobody caught (in the embedded facilitator or the demo API) must still stop every child
  // and free every port, then exit non-zero.
  const crash = (error: unknown) => {
    process.stderr.write(`x402kit-devnet: unexpected error: ${describe(error)}\n`);
    const running = devnet;
    if (!running) process.exit(1);
    running.stop().finally(() => process.exit(1));
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);

  say("x402kit devnet (local chain, test tokens, test-only keys)");
  say();
  try {
    devnet = await startDevnet({
      port: options.port,
      chainId: options.chainId,
      accounts: options.accounts,
      blockTime: options.blockTime,
      mode: options.mode,
      token: options.token,
      erc8004Addresses: options.erc8004Addresses,
      smartWalletPayers: options.smartWalletPayers,
      dataDir: options.dataDir,
      facilitatorPort: options.facilitatorPort,
      facilitators: options.facilitators,
      databaseUrl: options.databaseUrl,
      demo: options.demo ? { port: options.demoPort } : false,
      dashboard: options.dashboard ? { port: options.dashboardPort } : false,
      nodeLogging: options.nodeLogs,
      onStep: (step) => {
        say(
          step.name === "ready"
            ? `  Ready in ${(step.elapsedMs / 1000).toFixed(1)} s`
            : `  ✓ ${STEP_LABELS[step.name].padEnd(16)}${step.detail}`,
        );
      },
    });
  } catch (error) {
    process.stderr.write(`\nx402kit-devnet: ${describe(error)}\n`);
    process.exit(error instanceof Error && error.name === "InvalidDevnetOptionError" ? 2 : 1);
  }
  const running = devnet;
  void running.stopped.then(({ error }) => {
    if (!error) return;
    process.stderr.write(`\nx402kit-devnet: ${error.message}\n`);
    process.exit(1);
  });
  if (stopRequested) {
    stopRequested = false;
    shutdown("SIGINT");
    return;
  }

  if (running.demoApiUrl && options.calls > 0) {
    say();
    say(
      `Demo agent: ${options.calls} paid calls to ${running.demoApiUrl} from ${Math.min(options.calls, running.accounts.payers.length)} payers${running.demoChannels && options.channelCalls > 0 && !running.smartWallets ? `, then ${options.channelCalls} over one batch-settlement channel` : ""}`,
    );
    const bar = createProgressBar(out);
    try {
      const report = await runDemoAgent(running, {
        calls: options.calls,
        channelCalls: options.channelCalls,
        onProgress: ({ done, total, paid, failed }) => bar.update(done, total, `paid ${paid}  failed ${failed}`),
      });
      bar.finish();
      printSummary(say, running, report);
    } catch (error) {
      bar.finish();
      process.stderr.write(`x402kit-devnet: the demo agent failed: ${describe(error)}\n`);
    }
  }

  if (running.facilitators.some((f) => f.role !== "only")) {
    say();
    say("Facilitators (one Postgres journal)");
    for (const [i, f] of running.facilitators.entries()) {
      const holds =
        f.role === "writer"
          ? `writer: holds the journal's writer lock, signs with ${running.accounts.facilitator.address} (and ${running.accounts.channelSender.address} for batch-settlement)`
          : `signer lease of ${f.signers.join(", ") || "no signer (verifies, admits, answers)"}`;
      say(`  #${i + 1}  ${f.url}  pid ${f.pid}  ${holds}`);
    }
    if (running.facilitators.some((f) => f.role === "leased")) {
      say("  Every instance answers /verify, /settle and reads; kill one and another takes its signer over in ~3 s.");
    }
  }

  const envFile = relative(process.cwd(), running.envFile) || running.envFile;
  say();
  say(`Environment (also written to ${envFile}):`);
  say();
  out.write(formatDevnetEnv(running.env));
  say();
  if (running.dashboardUrl) say(`Dashboard: ${running.dashboardUrl} (live; open it in a browser)`);
  say(`Logs: ${relative(process.cwd(), running.dataDir) || "."}/logs/   Press Ctrl-C to stop.`);
}

function printSummary(say: (line?: string) => void, devnet: Devnet, report: DemoReport): void {
  const usdc = (value: bigint) => {
    const [whole, fraction] = formatUnits(value, devnet.contracts.token.decimals).split(".");
    return `${BigInt(whole as string).toLocaleString("en-US")}${fraction ? `.${fraction}` : ""} USDC`;
  };
  const eth = (value: bigint) =>
    `${Number(formatEther(value)).toLocaleString("en-US", { maximumFractionDigits: 6 })} ETH`;
  const perPayment = report.payments.length > 0 ? report.gasUsed / BigInt(report.payments.length) : 0n;
  const payerName = (address: Address) => `PAYER_${devnet.accounts.payers.findIndex((p) => p.address === address) + 1}`;
  say();
  say("Summary");
  say(
    `  Payments      ${report.payments.length} settled, ${report.failures.length} failed, ${usdc(report.totalPaid)} paid in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  for (const failure of report.failures.slice(0, 3)) say(`                ✗ ${failure.route}: ${failure.error}`);
  say(
    `  Settlement    ${report.transactions.length} transaction${report.transactions.length === 1 ? "" : "s"} (${devnet.mode} mode), ${report.gasUsed.toLocaleString("en-US")} gas, ${perPayment.toLocaleString("en-US")} per payment`,
  );
  const shown = report.transactions.slice(0, 8);
  for (const transaction of shown) {
    say(
      `                ${transaction.hash}  block ${transaction.blockNumber}, ${transaction.payments} payment(s), ${transaction.gasUsed.toLocaleString("en-US")} gas`,
    );
  }
  if (report.transactions.length > shown.length)
    say(`                … and ${report.transactions.length - shown.length} more`);
  say("  Balances      before → after");
  say(
    `                agentWallet ${devnet.agent.wallet}  ${usdc(report.before.agentWallet)} → ${usdc(report.after.agentWallet)}`,
  );
  for (const [i, payer] of report.after.payers.entries()) {
    const before = report.before.payers[i]?.usdc ?? 0n;
    say(
      `                ${payerName(payer.address).padEnd(11)} ${payer.address}  ${usdc(before)} → ${usdc(payer.usdc)}`,
    );
  }
  say(
    devnet.accounts.facilitatorSigners.length === 1
      ? `                facilitator ${devnet.accounts.facilitator.address}  ${eth(report.before.facilitatorEth)} → ${eth(report.after.facilitatorEth)}`
      : `                facilitators' ${devnet.accounts.facilitatorSigners.length} signers, summed  ${eth(report.before.facilitatorEth)} → ${eth(report.after.facilitatorEth)}`,
  );
  const c = report.channels;
  if (c) {
    const perPayment = c.paid > 0 ? c.gasUsed / BigInt(c.paid) : 0n;
    say(
      `  Channel       ${c.route} (batch-settlement): ${c.paid} paid by ${payerName(c.payer)}, ${c.failed} failed, ${usdc(c.charged)}`,
    );
    if (c.firstError) say(`                ✗ ${c.firstError}`);
    const txs = (label: string, list: { hash: string; gasUsed: bigint }[]) =>
      list.length === 0
        ? `${label} none`
        : `${label} ${list.length} (${list.map((t) => `${t.hash.slice(0, 10)}… ${t.gasUsed.toLocaleString("en-US")} gas`).join(", ")})`;
    say(`                ${txs("deposits", c.deposits)}; vouchers ${c.vouchers} (no transaction)`);
    say(`                ${txs("claims", c.claims)}; ${txs("sweep", c.sweep ? [c.sweep] : [])}`);
    say(
      `                ${c.gasUsed.toLocaleString("en-US")} gas, ${perPayment.toLocaleString("en-US")} per payment; agentWallet +${usdc(c.payeeDelta)}`,
    );
  }
  if (report.feedback) {
    const f = report.feedback;
    say(
      `  Reputation    PAYER_1 gave agent #${devnet.agent.agentId} feedback ${f.tag1}=${f.value} (tx ${f.transaction})`,
    );
    say(
      `                proofOfPayment: ${f.proofOfPayment.fromAddress} → ${f.proofOfPayment.toAddress}, tx ${f.proofOfPayment.txHash}`,
    );
    say(
      `                feedbackHash ${f.feedbackHash}; getSummary → ${f.summary.count} review(s), ${f.tag1} ${f.summary.value}`,
    );
  } else if (report.feedbackError) {
    say(`  Reputation    feedback not given: ${report.feedbackError}`);
  }
}

/** "a, b and c" of the parts that are set. */
function listOf(parts: (string | false | undefined)[]): string {
  const set = parts.filter((part): part is string => typeof part === "string");
  return set.length <= 1 ? (set[0] ?? "") : `${set.slice(0, -1).join(", ")} and ${set.at(-1)}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

void main();
