import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createDashboardServer, type DashboardServer } from "@x402kit/dashboard";
import { createApp, createFacilitator, createHttpServer, type Facilitator, httpLimitsOf } from "@x402kit/facilitator";
import {
  assertPortFree,
  DEFAULT_HARDHAT_MNEMONIC,
  type HardhatNode,
  lastLines,
  PortInUseError,
  startHardhatNode,
} from "@x402kit/hardhat-node";
import { pino } from "pino";
import { type Address, type Chain, createPublicClient, createTestClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { type DevnetAccounts, deriveDevnetAccounts, FIRST_PAYER_INDEX } from "./accounts.js";
import { awaitBalancedLeases } from "./awaitBalancedLeases.js";
import { defineDevnetChain } from "./defineDevnetChain.js";
import {
  type DevnetContracts,
  type DevnetErc8004Addresses,
  type DevnetTokenKind,
  deployContracts,
} from "./deployContracts.js";
import { buildDevnetEnv, type DevnetEnv, formatDevnetEnv } from "./devnetEnv.js";
import { ComponentExitedError, type DevnetError, InvalidDevnetOptionError } from "./errors.js";
import { fundPayers } from "./fundPayers.js";
import { assertEmptyJournal, startJournalDatabase } from "./internal/journalDatabase.js";
import { type Listening, listen } from "./internal/listen.js";
import { lockDataDir } from "./internal/lockDataDir.js";
import { resetJournalDir } from "./internal/resetJournalDir.js";
import { spawnFacilitatorProcess } from "./internal/spawnFacilitatorProcess.js";
import { type DevnetAgent, registerDemoAgent } from "./registerDemoAgent.js";
import { type DevnetSmartWallets, deploySmartWallets } from "./smartWallets.js";
import { type DemoApi, type DemoChannels, type DemoRoute, startDemoApi } from "./startDemoApi.js";

/** Test USDC minted to each payer: 10,000 USDC. */
export const PAYER_USDC = 10_000_000_000n;

/** The settlement mode a devnet's facilitator runs in unless told otherwise. */
export const DEFAULT_MODE = "batched" as const;

/** Signer lease TTL of the devnet's instances: a stopped instance's key is taken over within about 3 s. */
const LEASE_TTL_MS = 3_000;

const Options = z.object({
  port: z.number().int().min(0).max(65_535).default(0),
  chainId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(31337),
  accounts: z.number().int().min(1).max(1_000).default(5),
  blockTime: z.number().min(0).max(3_600).default(0),
  mode: z.enum(["direct", "batched"]).default(DEFAULT_MODE),
  token: z.enum(["testusdc", "usdc", "erc20"]).default("testusdc"),
  erc8004Addresses: z.enum(["canonical", "deployed"]).default("canonical"),
  smartWalletPayers: z.boolean().default(false),
  dataDir: z.string().min(1).optional(),
  facilitatorPort: z.number().int().min(0).max(65_535).default(0),
  facilitators: z.number().int().min(1).max(16).default(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "a postgres:// URL")
    .optional(),
  demo: z.union([z.boolean(), z.object({ port: z.number().int().min(0).max(65_535).default(0) })]).default(false),
  dashboard: z
    .union([z.boolean(), z.object({ port: z.number().int().min(0).max(65_535).default(0) }).strict()])
    .default(false),
  nodeLogging: z.boolean().default(false),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type StartDevnetParameters = {
  /** JSON-RPC port on 127.0.0.1. Default `0`: a free port, so devnets never collide. */
  port?: number | undefined;
  /** Chain id. Default 31337; 84532 gives a local Base Sepolia twin (for clients hard-wired to `base-sepolia`). */
  chainId?: number | undefined;
  /** How many payer accounts to fund with ETH and test USDC. Default 5. */
  accounts?: number | undefined;
  /** Seconds between blocks (interval mining) once set up. Default `0`: a block per transaction. */
  blockTime?: number | undefined;
  /** The facilitator's settlement mode. */
  mode?: "direct" | "batched" | undefined;
  /**
   * The payment token: `testusdc` (default), x402kit's TestUSDC with its faucet; `usdc`, Circle's FiatToken v2.2
   * bytecode behind its FiatTokenProxy, initialised as Base Sepolia USDC (name "USDC", version "2", 6 decimals),
   * payers funded through `configureMinter` + `mint` in both cases; or `erc20`, x402kit's TestERC20 ("Test ERC20",
   * EIP-712 version "1", 6 decimals, EIP-2612, no EIP-3009), payers funded from its faucet and each approving
   * Permit2 once, so the official `@x402/evm` client pays it with `exact` (`assetTransferMethod: "permit2"`) or
   * `upto` through the Permit2 proxies at the official addresses. x402kit's facilitator and the demo API settle
   * The demo API's `exact` routes are then paid through Permit2 too (our facilitator settles them through the proxy),
   * and it has no `batch-settlement` route (its deposits are ERC-3009).
   */
  token?: DevnetTokenKind | undefined;
  /**
   * Where the ERC-8004 registries answer: `canonical` (default), at the official registries' addresses for the chain
   * id (on 31337, 84532 and every testnet: IdentityRegistry `0x8004A818BFB912233c491871b3d84c89A494BD9e`,
   * ReputationRegistry `0x8004B663056A597Dffe9eCcC1965A193B7388713`, ValidationRegistry
   * `0x8004Cb1BF31DAf7788923b405b754f57acEB4272`), our registries behind their own ERC-1967 proxies, initialised
   * and owned by the deployer; or `deployed`, at the proxies the `X402Kit` Ignition module deploys (the bindings'
   * `deployments[31337]`). `devnet.contracts`, `devnet.env` and the demo agent use the chosen ones.
   */
  erc8004Addresses?: DevnetErc8004Addresses | undefined;
  /**
   * Payers pay from smart wallets that do not exist yet (ERC-6492): each payer owns a counterfactual wallet of a
   * CREATE2 factory (x402kit's `ERC1271WalletFactoryMock` test fixture), funded with the test stablecoin before it
   * is deployed; the facilitator has the factory on its allowlist and deploys each wallet with its first payment.
   * `devnet.smartWallets` lists them; the demo agent pays from them. Default `false`.
   */
  smartWalletPayers?: boolean | undefined;
  /**
   * Where the facilitator journal, logs and `devnet.env` go. The journal is reset at start (the chain
   * is new). Default: a fresh temporary directory, removed by `stop()`.
   */
  dataDir?: string | undefined;
  /** Facilitator port on 127.0.0.1 (the others, with `facilitators > 1`, on the next ports). Default `0` (free). */
  facilitatorPort?: number | undefined;
  /**
   * Facilitator instances on one Postgres journal. Default 1 (SQLite in `dataDir`). With more, the devnet starts an
   * embedded Postgres (unless `databaseUrl`), its own facilitator and `facilitators - 1` `x402kit-facilitator`
   * processes under signer leases: they share one signer key per instance (`accounts.facilitatorSigners`), each holds
   * one (balanced, waited for before `startDevnet` resolves), every one serves `/verify`, `/settle` and reads, and a
   * survivor takes a stopped instance's key over after its lease expires (3 s here). `devnet.facilitators` and
   * `FACILITATOR_URLS` / `FACILITATOR_PIDS` list them.
   */
  facilitators?: number | undefined;
  /**
   * The facilitators' journal on this Postgres database instead (implies Postgres with one instance too). It must
   * hold no journal yet: the chain is new on every start.
   */
  databaseUrl?: string | undefined;
  /** Start the demo paid API (`true`, or `{ port }`). Default `false`. */
  demo?: boolean | { port?: number | undefined } | undefined;
  /**
   * Serve the live dashboard (`@x402kit/dashboard`: payments, batches, signer lanes, balances, ERC-8004 agents,
   * charts, a transaction view) on 127.0.0.1: `true` (a free port) or `{ port }`. Default `false`; the CLI turns
   * it on (`--dashboard-port`, `--no-dashboard`).
   */
  dashboard?: boolean | { port?: number | undefined } | undefined;
  /** Keep Hardhat's per-request log in `<dataDir>/logs/hardhat-node.log`. Default `false`. */
  nodeLogging?: boolean | undefined;
  /** Facilitator log level (`<dataDir>/logs/facilitator.log`). Default `info`. */
  logLevel?: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent" | undefined;
  /** Called as each part comes up (the CLI prints these). */
  onStep?: ((step: DevnetStep) => void) | undefined;
};

/** A start-up step that finished. */
export type DevnetStep = {
  name: "node" | "contracts" | "funding" | "facilitator" | "dashboard" | "demoApi" | "agent" | "mining" | "ready";
  /** A one-line description of the result. */
  detail: string;
  /** Milliseconds since `startDevnet` was called. */
  elapsedMs: number;
};

/** One facilitator instance of a devnet. */
export type DevnetFacilitator = {
  url: string;
  /** Its process (the devnet's own for the first). */
  pid: number;
  /**
   * `only`: one instance on SQLite; `writer`: one instance on Postgres (`databaseUrl`), the journal's writer;
   * `leased`: one of several instances under signer leases.
   */
  role: "only" | "writer" | "leased";
  /** The signer keys it held when the devnet started (lower case); it may hand them over or take more later. */
  signers: readonly Address[];
};

/** Why a devnet stopped. */
export type DevnetStopped = {
  /** Set when a component failed while running (the rest was stopped). */
  error?: DevnetError | undefined;
};

/** A running devnet. */
export type Devnet = {
  /** `http://127.0.0.1:<port>`. */
  readonly rpcUrl: string;
  /** viem chain for clients. */
  readonly chain: Chain;
  readonly chainId: number;
  /** CAIP-2 id, e.g. `eip155:31337`. */
  readonly network: `eip155:${number}`;
  readonly contracts: DevnetContracts;
  /** Funded accounts by role; TEST-ONLY keys. */
  readonly accounts: DevnetAccounts;
  /** The demo agent's ERC-8004 identity (registered with its `agentWallet` set). */
  readonly agent: DevnetAgent;
  /** The payers' smart wallets, with `smartWalletPayers: true`. */
  readonly smartWallets: DevnetSmartWallets | undefined;
  readonly facilitatorUrl: string;
  /** Every facilitator instance, the devnet's own first (`facilitators` option). */
  readonly facilitators: readonly DevnetFacilitator[];
  readonly mode: "direct" | "batched";
  /** The demo paid API, when started. */
  readonly demoApiUrl: string | undefined;
  /** The live dashboard, when started (`dashboard` option). */
  readonly dashboardUrl: string | undefined;
  readonly demoRoutes: readonly DemoRoute[];
  /** The demo API's `batch-settlement` route and its claim scheduler, when the demo API runs. */
  readonly demoChannels: DemoChannels | undefined;
  /** The environment block (also written to `envFile`). */
  readonly env: DevnetEnv;
  /** `<dataDir>/devnet.env`. */
  readonly envFile: string;
  readonly dataDir: string;
  /** Process id of the Hardhat node. */
  readonly nodePid: number;
  /** Resolves once the devnet has stopped, through `stop()` or because a component failed. */
  readonly stopped: Promise<DevnetStopped>;
  /** Stops the demo API, drains and stops the facilitator, stops the node, frees every port. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/**
 * Starts a complete local x402 stack: a Hardhat node on 127.0.0.1, the x402kit contracts (TestUSDC,
 * batch settlement router, ERC-8004 registries), funded payer accounts, a demo agent registered in the
 * Identity Registry with its `agentWallet` set, our facilitator, and optionally a demo paid API.
 * Several devnets can run at once (ports default to free ones).
 *
 * If any step fails, everything already started is stopped before the error is thrown.
 *
 * @param parameters - {@link StartDevnetParameters}
 * @returns The running devnet; call `stop()` when done.
 * @throws {PortInUseError} When a fixed port is taken (nothing is started).
 * @throws {DeploymentError} When a contract deployment or set-up transaction fails.
 * @throws {InvalidDevnetOptionError} When an option is invalid.
 *
 * @example
 * ```ts
 * import { startDevnet } from "@x402kit/devnet";
 * const devnet = await startDevnet({ demo: true });
 * const response = await fetch(`${devnet.demoApiUrl}/weather`); // 402 until paid
 * await devnet.stop();
 * ```
 */
export async function startDevnet(parameters: StartDevnetParameters = {}): Promise<Devnet> {
  const startedAt = Date.now();
  const parsed = Options.safeParse(parameters);
  if (!parsed.success) {
    throw new InvalidDevnetOptionError({
      options: [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))],
      problems: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    });
  }
  const options = parsed.data;
  // The demo API is paid with EIP-3009 through x402kit's facilitator: TestERC20 has no EIP-3009.
  const demoPort = options.demo === false ? undefined : options.demo === true ? 0 : options.demo.port;
  const dashboardPort =
    options.dashboard === false ? undefined : options.dashboard === true ? 0 : options.dashboard.port;
  const step = (name: DevnetStep["name"], detail: string) =>
    parameters.onStep?.({ name, detail, elapsedMs: Date.now() - startedAt });

  // Refuse taken ports before anything starts.
  await assertPortFree({ port: options.port, service: "JSON-RPC node (hardhat node)" });
  await assertPortFree({ port: options.facilitatorPort, service: "facilitator" });
  if (options.facilitatorPort !== 0) {
    for (let i = 1; i < options.facilitators; i++) {
      await assertPortFree({ port: options.facilitatorPort + i, service: `facilitator #${i + 1}` });
    }
  }
  if (demoPort !== undefined) await assertPortFree({ port: demoPort, service: "demo API" });
  if (dashboardPort !== undefined) await assertPortFree({ port: dashboardPort, service: "dashboard" });

  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), "x402kit-devnet-"));
  const cleanups: (() => Promise<void> | void)[] = [];
  const runCleanups = async () => {
    let first: unknown;
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  };
  if (ownsDataDir) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

  let node: HardhatNode | undefined;
  try {
    cleanups.push(lockDataDir(dataDir));
    // The chain is new on every start, so the facilitator's journal of the last one must go.
    const journalDir = join(dataDir, "facilitator");
    resetJournalDir(journalDir);
    const logsDir = join(dataDir, "logs");
    mkdirSync(logsDir, { recursive: true });

    const accounts = deriveDevnetAccounts({
      mnemonic: DEFAULT_HARDHAT_MNEMONIC,
      payers: options.accounts,
      facilitatorSigners: options.facilitators,
    });
    const startedNode = await startHardhatNode({
      port: options.port,
      chainId: options.chainId,
      accounts: { mnemonic: DEFAULT_HARDHAT_MNEMONIC, count: Math.max(20, FIRST_PAYER_INDEX + options.accounts) },
      logging: options.nodeLogging,
      logFile: join(logsDir, "hardhat-node.log"),
      workDir: join(dataDir, "hardhat"),
    });
    node = startedNode;
    cleanups.push(async () => {
      await startedNode.stop();
    });
    // Every set-up step races the node's exit, so a node that dies fails start-up at once.
    const nodeDied = startedNode.exited.then(() => {
      throw new Error("the hardhat node exited");
    });
    nodeDied.catch(() => {});
    const whileNodeRuns = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, nodeDied]);
    const { rpcUrl, chainId } = startedNode;
    const chain = defineDevnetChain({ chainId, rpcUrl });
    const network = `eip155:${chainId}` as const;
    step("node", `${rpcUrl} (chain ${chainId}, pid ${startedNode.pid})`);

    const contracts = await whileNodeRuns(
      deployContracts({
        rpcUrl,
        chain,
        deployer: accounts.deployer,
        token: options.token,
        erc8004Addresses: options.erc8004Addresses,
      }),
    );
    const tokenName =
      options.token === "usdc" ? "USDC (FiatToken v2.2)" : options.token === "erc20" ? "TestERC20" : "TestUSDC";
    const smartWallets = options.smartWalletPayers
      ? await whileNodeRuns(deploySmartWallets({ rpcUrl, chain, deployer: accounts.deployer, owners: accounts.payers }))
      : undefined;
    step(
      "contracts",
      `${tokenName} ${contracts.token.address}, router ${contracts.router}, Permit2 proxies ${contracts.exactPermit2Proxy} (exact) and ${contracts.uptoPermit2Proxy} (upto), ERC-8004 registries (${options.erc8004Addresses === "canonical" ? "canonical addresses" : "deployed addresses"})`,
    );

    await whileNodeRuns(
      fundPayers({
        rpcUrl,
        chain,
        contracts,
        deployer: accounts.deployer,
        recipients: [
          ...accounts.payers.map((payer) => payer.address),
          ...(smartWallets?.wallets ?? []).map((w) => w.address),
        ],
        amount: PAYER_USDC,
        // A plain ERC-20 is paid through Permit2: each payer's one-time approval, done here for them.
        permit2Approvers: options.token === "erc20" ? accounts.payers : [],
      }),
    );
    step(
      "funding",
      `${accounts.payers.length} payer${accounts.payers.length === 1 ? "" : "s"} funded with 10,000 ETH and ${(PAYER_USDC / 1_000_000n).toLocaleString("en-US")} ${options.token === "usdc" ? "USDC" : options.token === "erc20" ? "TERC20 (Permit2 approved)" : "test USDC"} each${smartWallets ? `; their smart wallets (factory ${smartWallets.factory}, not deployed yet) with as much USDC each` : ""}`,
    );

    // The batch-settlement sender and the extra facilitator signers are far above Hardhat's funded accounts: give
    // them gas money.
    const testClient = createTestClient({ mode: "hardhat", chain, transport: http(rpcUrl) });
    for (const { address } of [accounts.channelSender, ...accounts.facilitatorSigners.slice(1)]) {
      await whileNodeRuns(testClient.setBalance({ address, value: 10_000n * 10n ** 18n }));
    }
    // Several instances share one Postgres journal (fresh: the chain is new).
    const journalUrl =
      options.databaseUrl ??
      (options.facilitators > 1 ? await whileNodeRuns(startJournalDatabase(cleanups)) : undefined);
    if (options.databaseUrl) await assertEmptyJournal(options.databaseUrl);
    // Several instances share the signer keys by lease, one each; a single one on Postgres is the journal's writer.
    const leased = options.facilitators > 1;
    const logFile = pino.destination({ dest: join(logsDir, "facilitator.log"), mkdir: true, sync: true });
    // A line logged after the devnet stopped (a late receipt of an in-flight wait) is dropped, not thrown.
    let logOpen = true;
    const logDestination = { write: (line: string) => (logOpen ? logFile.write(line) : true) };
    cleanups.push(() => {
      logOpen = false;
      logFile.end();
    });
    const facilitator: Facilitator = createFacilitator(
      {
        port: options.facilitatorPort,
        host: "127.0.0.1",
        dataDir: journalDir,
        ...(journalUrl ? { databaseUrl: journalUrl } : {}),
        privateKeys: accounts.facilitatorSigners.map((a) => a.privateKey),
        ...(leased ? { signerLeases: true, leaseTtlMs: LEASE_TTL_MS } : {}),
        networks: [
          {
            network,
            rpcUrl,
            assets: [contracts.token.address],
            router: contracts.router,
            walletFactories: smartWallets ? [smartWallets.factory] : [],
          },
        ],
        mode: options.mode,
        // batch-settlement (payment channels) beside exact, with a sender of its own.
        batchSettlement: { privateKey: accounts.channelSender.privateKey },
        pollIntervalMs: 100,
        journalSync: "NORMAL",
        drainTimeoutMs: 5_000,
        logLevel: options.logLevel,
      },
      {
        logger: pino({ level: options.logLevel, base: { service: "x402kit-facilitator" } }, logDestination),
      },
    );
    // Closing an unstarted facilitator is safe (it closes the journal), so register it first.
    cleanups.push(() => facilitator.close());
    await whileNodeRuns(facilitator.start());
    // The facilitator's own hardened HTTP edge, with its configured limits, as `x402kit-facilitator` serves it.
    const facilitatorServer: Listening = await listen({
      server: createHttpServer({
        fetch: createApp({ facilitator }).fetch,
        limits: httpLimitsOf(facilitator.config),
        registry: facilitator.metrics.registry,
      }),
      port: options.facilitatorPort,
      service: "facilitator",
    });
    cleanups.push(() => facilitatorServer.close());
    const instances: { url: string; pid: number }[] = [{ url: facilitatorServer.url, pid: process.pid }];
    for (let i = 2; i <= options.facilitators; i++) {
      const child = await whileNodeRuns(
        spawnFacilitatorProcess({
          name: `facilitator #${i}`,
          logFile: join(logsDir, `facilitator-${i}.log`),
          env: {
            PORT: String(options.facilitatorPort === 0 ? 0 : options.facilitatorPort + i - 1),
            HOST: "127.0.0.1",
            EVM_PRIVATE_KEYS: accounts.facilitatorSigners.map((a) => a.privateKey).join(","),
            X402KIT_SIGNER_LEASES: "1",
            X402KIT_LEASE_TTL_MS: String(LEASE_TTL_MS),
            EVM_NETWORK: network,
            EVM_RPC_URL: rpcUrl,
            DATABASE_URL: journalUrl as string,
            X402KIT_DATA_DIR: join(dataDir, `facilitator-${i}`),
            X402KIT_MODE: options.mode,
            X402KIT_ROUTER: contracts.router,
            X402KIT_ASSETS: contracts.token.address,
            ...(smartWallets ? { X402KIT_WALLET_FACTORIES: smartWallets.factory } : {}),
            X402KIT_BATCH_SETTLEMENT_KEY: accounts.channelSender.privateKey,
            X402KIT_POLL_INTERVAL_MS: "100",
            X402KIT_LOG_LEVEL: options.logLevel,
          },
        }),
      );
      // They stop before the devnet's own (cleanups run in reverse) and hand their leases back on the way.
      cleanups.push(() => child.stop());
      instances.push({ url: child.url, pid: child.pid });
    }
    const held = leased
      ? await whileNodeRuns(
          awaitBalancedLeases(
            instances.map((f) => f.url),
            accounts.facilitatorSigners.map((a) => a.address),
          ),
        )
      : [accounts.facilitatorSigners.map((a) => a.address.toLowerCase() as Address)];
    const facilitators: DevnetFacilitator[] = instances.map((f, i) => ({
      ...f,
      role: leased ? "leased" : journalUrl ? "writer" : "only",
      signers: held[i] ?? [],
    }));
    step(
      "facilitator",
      leased
        ? `${facilitators.length} instances on one Postgres journal under signer leases (${options.mode} mode; batch-settlement sender ${accounts.channelSender.address}): ${facilitators
            .map((f) => `${f.url} holds ${f.signers.join(", ") || "no signer"}`)
            .join("; ")}`
        : `${facilitatorServer.url} (${options.mode} mode, signer ${accounts.facilitator.address}; batch-settlement sender ${accounts.channelSender.address})${journalUrl ? "; journal on Postgres" : ""}`,
    );

    // The dashboard subscribes to the facilitator's events before any payment, so it sees every one.
    let dashboard: DashboardServer | undefined;
    if (dashboardPort !== undefined) {
      dashboard = await createDashboardServer({
        facilitator,
        rpcUrl,
        chain,
        network,
        token: { address: contracts.token.address, symbol: contracts.token.symbol, decimals: contracts.token.decimals },
        router: contracts.router,
        identityRegistry: contracts.identityRegistry,
        reputationRegistry: contracts.reputationRegistry,
        accounts: [
          { label: "faucet", address: accounts.deployer.address },
          { label: "facilitator", address: accounts.facilitator.address },
          { label: "agentOwner", address: accounts.agentOwner.address },
          { label: "agentWallet", address: accounts.agentWallet.address },
          { label: "channelSender", address: accounts.channelSender.address },
          ...accounts.payers.map((payer, i) => ({ label: `PAYER_${i + 1}`, address: payer.address })),
        ],
        facilitatorUrl: facilitatorServer.url,
        port: dashboardPort,
      }).catch((error: unknown) => {
        if ((error as { code?: string }).code === "EADDRINUSE") {
          throw new PortInUseError({ port: dashboardPort, hostname: "127.0.0.1", service: "dashboard", cause: error });
        }
        throw error;
      });
      const running = dashboard;
      cleanups.push(() => running.close());
      step("dashboard", running.url);
    }

    let demoApi: DemoApi | undefined;
    if (demoPort !== undefined) {
      demoApi = await startDemoApi({
        port: demoPort,
        network,
        token: contracts.token,
        payTo: accounts.agentWallet.address,
        facilitatorUrl: facilitatorServer.url,
        assetTransferMethod: options.token === "erc20" ? "permit2" : "eip3009",
        channels:
          options.token === "erc20"
            ? undefined
            : {
                receiverAuthorizer: privateKeyToAccount(accounts.receiverAuthorizer.privateKey),
                dataDir: join(dataDir, "demo-api"),
                publicClient: createPublicClient({ chain, transport: http(rpcUrl) }),
                batchSettlement: contracts.batchSettlement,
              },
      });
      const api = demoApi;
      cleanups.push(() => api.close());
      const channelRoute = demoApi.channels ? `; ${demoApi.channels.route.path} over batch-settlement channels` : "";
      step("demoApi", `${demoApi.url} (${demoApi.routes.map((route) => route.path).join(", ")}${channelRoute})`);
    }

    const agent = await whileNodeRuns(
      registerDemoAgent({
        rpcUrl,
        chain,
        contracts,
        owner: accounts.agentOwner,
        wallet: accounts.agentWallet,
        services: demoApi ? [{ name: "web", endpoint: demoApi.url }] : [],
      }),
    );
    step("agent", `agent #${agent.agentId}, agentWallet ${agent.wallet}`);

    if (options.blockTime > 0) {
      const testClient = createTestClient({ mode: "hardhat", chain, transport: http(rpcUrl) });
      await testClient.setAutomine(false);
      // viem takes seconds (and sends milliseconds to Hardhat).
      await testClient.setIntervalMining({ interval: options.blockTime });
      step("mining", `a block every ${options.blockTime} s`);
    }

    const env = buildDevnetEnv({
      rpcUrl,
      chainId,
      contracts,
      accounts,
      agent,
      smartWallets,
      facilitatorUrl: facilitatorServer.url,
      facilitators,
      demoApiUrl: demoApi?.url,
      dashboardUrl: dashboard?.url,
    });
    const envFile = join(dataDir, "devnet.env");
    writeFileSync(envFile, formatDevnetEnv(env), { mode: 0o600 });
    step("ready", `in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

    // Stop-once machinery; a node that exits on its own takes the rest down with it.
    let stopping: Promise<void> | undefined;
    let markStopped: (value: DevnetStopped) => void = () => {};
    const stopped = new Promise<DevnetStopped>((resolveStopped) => {
      markStopped = resolveStopped;
    });
    const stopAll = (error?: DevnetError): Promise<void> => {
      stopping ??= runCleanups().finally(() => markStopped({ error }));
      return stopping;
    };
    void startedNode.exited.then((exit) => {
      if (stopping) return;
      const reason = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
      stopAll(
        new ComponentExitedError({
          component: "hardhat node",
          reason,
          details: lastLines(startedNode.output(), 10) || undefined,
        }),
      ).catch(() => {});
    });

    return {
      rpcUrl,
      chain,
      chainId,
      network,
      contracts,
      accounts,
      agent,
      smartWallets,
      facilitatorUrl: facilitatorServer.url,
      facilitators,
      mode: options.mode,
      demoApiUrl: demoApi?.url,
      dashboardUrl: dashboard?.url,
      demoRoutes: demoApi?.routes ?? [],
      demoChannels: demoApi?.channels,
      env,
      envFile,
      dataDir,
      nodePid: startedNode.pid,
      stopped,
      stop: () => stopAll(),
      [Symbol.asyncDispose]: () => stopAll(),
    };
  } catch (error) {
    // A node that died under the set-up is the real story, not the RPC error it caused.
    const died = node !== undefined && !node.isRunning();
    const output = node?.output() ?? "";
    await runCleanups().catch(() => {});
    if (died) {
      throw new ComponentExitedError({
        component: "hardhat node",
        reason: "exited during start-up",
        details: lastLines(output, 10) || undefined,
      });
    }
    throw error;
  }
}
