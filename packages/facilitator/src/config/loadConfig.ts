import { readFileSync } from "node:fs";
import { toCaip2Network } from "@x402kit/signer/wire";
import { Command, Option } from "commander";
import { ConfigError } from "../domain/errors.js";
import { FacilitatorConfig, type FacilitatorConfigInput } from "./schema.js";

/** Where settings come from; later sources win: defaults < JSON file < environment < CLI flags. */
export type ConfigSources = {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
};

const DEFAULT_RPC: Record<string, string> = {
  "eip155:31337": "http://127.0.0.1:8545",
  "eip155:84532": "https://sepolia.base.org",
  "eip155:8453": "https://mainnet.base.org",
};

const caip2Of = (network: string): string => {
  try {
    return toCaip2Network({ network });
  } catch {
    return network;
  }
};

const list = (value: string | undefined): string[] | undefined =>
  value === undefined || value.trim() === ""
    ? undefined
    : value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);

const int = (value: string | undefined): number | string | undefined =>
  value === undefined || value === "" ? undefined : /^-?\d+$/.test(value) ? Number(value) : value;

/** Drops `undefined` so that unset sources do not override lower ones. */
function defined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Builds and validates the configuration from the command line, the environment and an optional JSON
 * file (`--config` / `X402KIT_CONFIG`). Fails fast with a {@link ConfigError} that names each bad
 * setting; secret values never appear in its message.
 *
 * Environment (drop-in for the official x402 e2e harness): `PORT`, `HOST`, `EVM_PRIVATE_KEY`,
 * `EVM_PRIVATE_KEYS` (comma-separated), `EVM_PRIVATE_KEY_1..N`, `EVM_NETWORK`, `EVM_RPC_URL`, and
 * `X402KIT_*` for the rest (see the README).
 *
 * @param sources - `argv` (without the node and script entries) and `env`; default `process`.
 * @returns The validated configuration.
 * @throws {ConfigError} When a setting is missing or invalid.
 */
export function loadConfig(sources: ConfigSources = {}): FacilitatorConfig {
  const env = sources.env ?? process.env;
  const argv = sources.argv ?? process.argv.slice(2);
  const program = new Command("x402kit-facilitator")
    .description("x402 facilitator: verifies and settles EIP-3009 payments (x402 v1 and v2).")
    .option("-c, --config <file>", "JSON configuration file")
    .option("-p, --port <port>", "HTTP port (PORT)")
    .option("--host <host>", "interface to bind (HOST)")
    .option("--data-dir <dir>", "settlement journal directory (X402KIT_DATA_DIR)")
    .option("--database-url <url>", "settlement journal on Postgres, postgres://… (DATABASE_URL)")
    .option("--standby", "Postgres journal: wait for its writer to stop, then take over (X402KIT_STANDBY)")
    .option(
      "--signer-leases",
      "Postgres journal: one lease per signer key, every instance signs (X402KIT_SIGNER_LEASES)",
    )
    .option("--lease-ttl-ms <ms>", "signer lease lifetime in ms (X402KIT_LEASE_TTL_MS)")
    .option("--network <network>", "network, CAIP-2 or v1 name (EVM_NETWORK)")
    .option("--rpc-url <url>", "JSON-RPC endpoint of --network (EVM_RPC_URL)")
    .option("--asset <address...>", "accepted asset addresses (X402KIT_ASSETS)")
    .option("--payee <address...>", "accepted payee addresses (X402KIT_PAYEES)")
    .option(
      "--wallet-factory <address...>",
      "factories of counterfactual (ERC-6492) wallets to deploy, none by default (X402KIT_WALLET_FACTORIES)",
    )
    .option("--router <address>", "batch settlement router (X402KIT_ROUTER)")
    .addOption(new Option("--mode <mode>", "settlement mode (X402KIT_MODE)").choices(["direct", "batched"]))
    .option("--settle-timeout-ms <ms>", "longest /settle wait before settlement_pending (X402KIT_SETTLE_TIMEOUT_MS)")
    .option("--batch-max-items <n>", "batch size that triggers a flush (X402KIT_BATCH_MAX_ITEMS)")
    .option(
      "--batch-max-wait-ms <ms>",
      "0 (default): group commit, a batch goes when a signer is free; N: a fixed window of N ms for fuller batches (X402KIT_BATCH_MAX_WAIT_MS)",
    )
    .addOption(
      new Option("--chain-check <mode>", "chain reads at /verify (X402KIT_CHAIN_CHECK)").choices([
        "state",
        "simulate",
        "none",
      ]),
    )
    .option("--poll-interval-ms <ms>", "receipt polling interval (X402KIT_POLL_INTERVAL_MS)")
    .option("--rate-limit <perMinute>", "requests per minute per client, 0 = off (X402KIT_RATE_LIMIT)")
    .option("--trust-proxy", "rate-limit by X-Forwarded-For's first hop (X402KIT_TRUST_PROXY=1)")
    .option("--body-limit-bytes <bytes>", "largest request body, else 413 (X402KIT_BODY_LIMIT_BYTES)")
    .option("--max-connections <n>", "open connections served, else 503 (X402KIT_MAX_CONNECTIONS)")
    .option("--max-in-flight <n>", "requests answered at once, else 503 (X402KIT_MAX_IN_FLIGHT)")
    .option("--headers-timeout-ms <ms>", "longest wait for request headers, else 408 (X402KIT_HEADERS_TIMEOUT_MS)")
    .option("--request-timeout-ms <ms>", "longest wait for a whole request, else 408 (X402KIT_REQUEST_TIMEOUT_MS)")
    .option("--keep-alive-timeout-ms <ms>", "idle keep-alive connections closed after (X402KIT_KEEP_ALIVE_TIMEOUT_MS)")
    .addOption(
      new Option("--log-level <level>", "log level (X402KIT_LOG_LEVEL)").choices([
        "fatal",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
        "silent",
      ]),
    )
    .helpOption("-h, --help")
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  let flags: Record<string, string | string[] | undefined>;
  try {
    program.parse([...argv], { from: "user" });
    flags = program.opts();
  } catch (error) {
    const message = (error as Error).message;
    if ((error as { code?: string }).code === "commander.helpDisplayed") throw error;
    throw new ConfigError({ settings: ["argv"], problems: [message], cause: error });
  }

  // 1. JSON file.
  const file = (flags.config as string | undefined) ?? env.X402KIT_CONFIG;
  let fromFile: Partial<FacilitatorConfigInput> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, "utf8")) as Partial<FacilitatorConfigInput>;
    } catch (error) {
      throw new ConfigError({ settings: ["config"], problems: [`cannot read ${file}: ${(error as Error).message}`] });
    }
  }

  // 2. Environment, then 3. flags.
  const keys = [
    ...(list(env.EVM_PRIVATE_KEYS) ?? []),
    ...(env.EVM_PRIVATE_KEY ? [env.EVM_PRIVATE_KEY.trim()] : []),
    ...Object.keys(env)
      .filter((k) => /^EVM_PRIVATE_KEY_\d+$/.test(k))
      .sort((a, b) => Number(a.slice(16)) - Number(b.slice(16)))
      .map((k) => (env[k] ?? "").trim()),
  ];
  const networkName = (flags.network as string | undefined) ?? env.EVM_NETWORK;
  const rpcUrl = (flags.rpcUrl as string | undefined) ?? env.EVM_RPC_URL;
  let networks = fromFile.networks;
  if (networkName) {
    const base = networks?.find((n) => n.network === networkName);
    networks = [
      {
        ...base,
        network: networkName,
        rpcUrl: rpcUrl ?? base?.rpcUrl ?? DEFAULT_RPC[caip2Of(networkName)] ?? "",
        ...defined({
          assets: (flags.asset as string[] | undefined) ?? list(env.X402KIT_ASSETS),
          payees: (flags.payee as string[] | undefined) ?? list(env.X402KIT_PAYEES),
          walletFactories: (flags.walletFactory as string[] | undefined) ?? list(env.X402KIT_WALLET_FACTORIES),
          router: (flags.router as string | undefined) ?? env.X402KIT_ROUTER,
        }),
      } as NonNullable<FacilitatorConfigInput["networks"]>[number],
      ...(networks ?? []).filter((n) => n.network !== networkName),
    ];
  }

  const input: Record<string, unknown> = {
    ...fromFile,
    ...defined({
      port: int((flags.port as string | undefined) ?? env.PORT),
      host: (flags.host as string | undefined) ?? env.HOST,
      dataDir: (flags.dataDir as string | undefined) ?? env.X402KIT_DATA_DIR,
      databaseUrl: (flags.databaseUrl as string | undefined) ?? (env.DATABASE_URL || undefined),
      standby:
        (flags.standby as boolean | undefined) ||
        (env.X402KIT_STANDBY ? ["1", "true", "yes"].includes(env.X402KIT_STANDBY.toLowerCase()) : undefined),
      signerLeases:
        (flags.signerLeases as boolean | undefined) ||
        (env.X402KIT_SIGNER_LEASES
          ? ["1", "true", "yes"].includes(env.X402KIT_SIGNER_LEASES.toLowerCase())
          : undefined),
      leaseTtlMs: int((flags.leaseTtlMs as string | undefined) ?? env.X402KIT_LEASE_TTL_MS),
      mode: (flags.mode as string | undefined) ?? env.X402KIT_MODE,
      settleTimeoutMs: int((flags.settleTimeoutMs as string | undefined) ?? env.X402KIT_SETTLE_TIMEOUT_MS),
      pollIntervalMs: int((flags.pollIntervalMs as string | undefined) ?? env.X402KIT_POLL_INTERVAL_MS),
      rateLimitPerMinute: int((flags.rateLimit as string | undefined) ?? env.X402KIT_RATE_LIMIT),
      bodyLimitBytes: int((flags.bodyLimitBytes as string | undefined) ?? env.X402KIT_BODY_LIMIT_BYTES),
      logLevel: (flags.logLevel as string | undefined) ?? env.X402KIT_LOG_LEVEL,
      apiKeys: list(env.X402KIT_API_KEYS),
      privateKeys: keys.length > 0 ? keys : undefined,
      networks,
    }),
  };
  const batchItems = int((flags.batchMaxItems as string | undefined) ?? env.X402KIT_BATCH_MAX_ITEMS);
  const batchWait = int((flags.batchMaxWaitMs as string | undefined) ?? env.X402KIT_BATCH_MAX_WAIT_MS);
  if (batchItems !== undefined || batchWait !== undefined) {
    input.batch = { ...(fromFile.batch ?? {}), ...defined({ maxItems: batchItems, maxWaitMs: batchWait }) };
  }
  const http = defined({
    maxConnections: int((flags.maxConnections as string | undefined) ?? env.X402KIT_MAX_CONNECTIONS),
    maxInFlight: int((flags.maxInFlight as string | undefined) ?? env.X402KIT_MAX_IN_FLIGHT),
    headersTimeoutMs: int((flags.headersTimeoutMs as string | undefined) ?? env.X402KIT_HEADERS_TIMEOUT_MS),
    requestTimeoutMs: int((flags.requestTimeoutMs as string | undefined) ?? env.X402KIT_REQUEST_TIMEOUT_MS),
    keepAliveTimeoutMs: int((flags.keepAliveTimeoutMs as string | undefined) ?? env.X402KIT_KEEP_ALIVE_TIMEOUT_MS),
    trustProxy:
      (flags.trustProxy as unknown as boolean | undefined) ||
      (env.X402KIT_TRUST_PROXY ? ["1", "true", "yes"].includes(env.X402KIT_TRUST_PROXY.toLowerCase()) : undefined),
  });
  if (Object.keys(http).length > 0) input.http = { ...(fromFile.http ?? {}), ...http };
  const channelKey = env.X402KIT_BATCH_SETTLEMENT_KEY?.trim();
  const authorizerKey = env.X402KIT_RECEIVER_AUTHORIZER_KEY?.trim();
  if (channelKey || authorizerKey) {
    input.batchSettlement = {
      ...(fromFile.batchSettlement ?? {}),
      ...defined({ privateKey: channelKey || undefined, receiverAuthorizerKey: authorizerKey || undefined }),
    };
  }
  const permit2Key = env.X402KIT_PERMIT2_KEY?.trim();
  if (permit2Key) input.permit2 = { ...(fromFile.permit2 ?? {}), privateKey: permit2Key };
  const chainCheck = (flags.chainCheck as string | undefined) ?? env.X402KIT_CHAIN_CHECK;
  if (chainCheck) input.verify = { ...(fromFile.verify ?? {}), chainCheck };

  return parseConfig(input);
}

/**
 * Validates a configuration object (for `createFacilitator` and tests).
 *
 * @param input - Settings; defaults fill the rest.
 * @returns The validated configuration.
 * @throws {ConfigError} Naming each bad setting; secret values are never quoted.
 */
export function parseConfig(input: unknown): FacilitatorConfig {
  const result = FacilitatorConfig.safeParse(input);
  if (result.success) return result.data;
  const settings: string[] = [];
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.join(".") || "(root)";
    if (!settings.includes(path)) settings.push(path);
    // zod messages describe the expected shape and never echo the input value.
    problems.push(`${path}: ${issue.message}`);
  }
  throw new ConfigError({ settings, problems });
}

/**
 * A copy of a configuration that is safe to log: keys and API keys replaced by their count, RPC URL
 * credentials and query strings removed.
 *
 * @param config - A validated configuration.
 * @returns The redacted copy.
 */
export function redactConfig(config: FacilitatorConfig): Record<string, unknown> {
  return {
    ...config,
    privateKeys: `[${config.privateKeys.length} redacted]`,
    apiKeys: `[${config.apiKeys.length} redacted]`,
    networks: config.networks.map((n) => ({ ...n, rpcUrl: redactUrl(n.rpcUrl) })),
    ...(config.databaseUrl ? { databaseUrl: redactUrl(config.databaseUrl) } : {}),
    ...(config.batchSettlement
      ? {
          batchSettlement: {
            privateKey: "[redacted]",
            ...(config.batchSettlement.receiverAuthorizerKey ? { receiverAuthorizerKey: "[redacted]" } : {}),
          },
        }
      : {}),
    ...(config.permit2 ? { permit2: { privateKey: "[redacted]" } } : {}),
  };
}

/**
 * Strips credentials, path secrets (API keys often sit in the path) and query strings from a URL.
 *
 * @param url - An RPC URL.
 * @returns `protocol://host[:port]` plus `/…` when a path was removed.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hasPath = parsed.pathname !== "/" && parsed.pathname !== "";
    return `${parsed.protocol}//${parsed.host}${hasPath ? "/…" : ""}`;
  } catch {
    return "[invalid url]";
  }
}
