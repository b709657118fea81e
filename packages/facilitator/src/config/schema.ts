import { deployments } from "@x402kit/bindings";
import { networkToChainId, toCaip2Network } from "@x402kit/signer/wire";
import { privateKeyToAddress } from "viem/accounts";
import { z } from "zod";

const AddressString = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((v) => v as `0x${string}`);

const PrivateKey = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "expected a 0x-prefixed 32-byte hex private key")
  .transform((v) => v as `0x${string}`);

const Gwei = z.number().positive();

/** The CAIP-2 id and chain id of an EVM network named either way, or `undefined`. */
function resolveEvmNetwork(network: string): { caip2: `eip155:${number}`; chainId: number } | undefined {
  try {
    const caip2 = toCaip2Network({ network });
    if (!caip2.startsWith("eip155:")) return undefined;
    return { caip2: caip2 as `eip155:${number}`, chainId: networkToChainId({ network: caip2 }) };
  } catch {
    return undefined;
  }
}

/** The router x402kit's own deployment put on `chainId` (see `@x402kit/bindings` `deployments`), if any. */
function knownRouter(chainId: number): `0x${string}` | undefined {
  const known: { [chainId: number]: { batchSettlementRouter: `0x${string}` } | undefined } = deployments;
  return known[chainId]?.batchSettlementRouter;
}

/** One network the facilitator settles on. */
export const NetworkConfig = z
  .object({
    /** CAIP-2 id (`eip155:84532`) or x402 v1 name (`base-sepolia`). */
    network: z
      .string()
      .min(1)
      .refine(
        (n) => resolveEvmNetwork(n) !== undefined,
        "expected an EVM network: eip155:<chainId> or an x402 v1 name",
      ),
    /** JSON-RPC endpoint. Credentials in the URL are never logged. */
    rpcUrl: z.url({ protocol: /^(https?|wss?)$/ }),
    /** Assets accepted (gas-drain protection); omitted accepts any EIP-3009 token. */
    assets: z.array(AddressString).optional(),
    /** Payees accepted; omitted accepts any. */
    payees: z.array(AddressString).optional(),
    /**
     * Wallet factories this facilitator deploys counterfactual (ERC-6492) wallets through, paying the gas; empty
     * (default) refuses every undeployed wallet, as the official facilitator does unless configured.
     */
    walletFactories: z.array(AddressString).default([]),
    /**
     * x402kit BatchSettlementRouter on this network (`batched` mode). Defaults to the address in
     * `@x402kit/bindings` `deployments` for the chain (the devnet's, and Base Sepolia's once deployed);
     * required in `batched` mode on any other chain. Start-up checks that the address holds the router.
     */
    router: AddressString.optional(),
  })
  .transform((value) => {
    const resolved = resolveEvmNetwork(value.network) as NonNullable<ReturnType<typeof resolveEvmNetwork>>;
    return { ...value, ...resolved, router: value.router ?? knownRouter(resolved.chainId) };
  });
export type NetworkConfig = z.infer<typeof NetworkConfig>;

/** The fields of {@link FacilitatorConfig}, before the checks that span several of them. */
const FacilitatorConfigFields = z.object({
  /** HTTP port (`PORT`). 0 picks a free one. */
  port: z.number().int().min(0).max(65_535).default(4022),
  /** Interface to bind (`HOST`). */
  host: z.string().min(1).default("127.0.0.1"),
  /** Directory of the settlement journal (`X402KIT_DATA_DIR`). */
  dataDir: z.string().min(1).default(".x402kit/facilitator"),
  /**
   * The settlement journal on Postgres instead of SQLite (`DATABASE_URL`, `--database-url`): a `postgres://` URL.
   * Secret (it carries the password): logged without credentials. When set, `dataDir` holds no journal.
   */
  databaseUrl: z
    .string()
    .regex(/^postgres(?:ql)?:\/\/\S+$/, "a postgres://user:password@host:port/database URL")
    .optional(),
  /**
   * Postgres journal only: when another facilitator is the journal's writer, wait until it stops and then take over
   * (a hot standby) instead of failing at start-up (`X402KIT_STANDBY`, `--standby`).
   */
  standby: z.boolean().default(false),
  /**
   * Postgres journal: share the signing among every instance on it, one lease per signer key instead of one writer
   * per journal (`X402KIT_SIGNER_LEASES`, `--signer-leases`). Each instance signs for the keys whose leases it holds
   * and takes over the keys of an instance that stops renewing. On SQLite the one instance holds every lease.
   */
  signerLeases: z.boolean().default(false),
  /** How long a signer lease lasts unrenewed (ms); renewed every `min(ttl / 3, 1 s)` (`X402KIT_LEASE_TTL_MS`). */
  leaseTtlMs: z.number().int().min(300).max(600_000).default(10_000),
  /** Signer keys, one lane each (`EVM_PRIVATE_KEY`, `EVM_PRIVATE_KEYS`, `EVM_PRIVATE_KEY_1..N`). Secret. */
  privateKeys: z
    .array(PrivateKey, { error: (issue) => (issue.input === undefined ? "required: set EVM_PRIVATE_KEY" : undefined) })
    .min(1, "at least one signer key is required (EVM_PRIVATE_KEY)"),
  /** Networks (`EVM_NETWORK` + `EVM_RPC_URL` for one). */
  networks: z
    .array(NetworkConfig, {
      error: (issue) => (issue.input === undefined ? "required: set EVM_NETWORK and EVM_RPC_URL" : undefined),
    })
    .min(1, "at least one network is required (EVM_NETWORK)"),
  /** `direct`: one transaction per payment; `batched`: many per router call (`X402KIT_MODE`). */
  mode: z.enum(["direct", "batched"]).default("direct"),
  batch: z
    .object({
      /** Flush at this many payments (at most 250: EIP-7825 caps a transaction at 2^24 gas). */
      maxItems: z.number().int().min(1).max(250).default(50),
      /**
       * `0` (default): group commit, a batch goes as soon as a signer is free (a lone payment at once; what
       * arrives while a transaction is in flight goes together in the next one). `> 0`: a fixed window for
       * fuller batches, a batch goes when its oldest payment has waited this long (ms) or `maxItems` wait.
       */
      maxWaitMs: z.number().int().min(0).max(60_000).default(0),
      /**
       * Gas the router forwards to each item's token call. 150,000 (the router's recommendation) covers an
       * EOA payment (about 38k on TestUSDC, 45k on USDC) and ordinary smart wallets; an item that needs more
       * is sent on its own.
       */
      itemGasLimit: z.number().int().min(50_000).max(2_000_000).default(150_000),
    })
    .prefault({}),
  /** Longest a `/settle` waits for its receipt before answering `settlement_pending` (ms). */
  settleTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  verify: z
    .object({
      /** Chain reads at `/verify`: `state` (balance + nonce), `simulate` (eth_call) or `none`. */
      chainCheck: z.enum(["state", "simulate", "none"]).default("state"),
      /** Chain re-check at `/settle` before a payment is admitted. */
      settleChainCheck: z.enum(["state", "simulate", "none"]).default("state"),
      /** Minimum seconds left before `validBefore` (official: 6). */
      validBeforeBufferSeconds: z.number().int().min(0).max(3600).default(6),
    })
    .prefault({}),
  /** How often pending transactions are checked in full: re-sends, fee bumps, unknown broadcasts (ms). */
  pollIntervalMs: z.number().int().min(10).max(60_000).default(500),
  /**
   * While transactions are in flight, how often the block number is read (ms); each new block checks them at
   * once, so a receipt is seen within this long of its block instead of a whole `pollIntervalMs`.
   */
  blockPollIntervalMs: z.number().int().min(10).max(60_000).default(100),
  /** An unmined transaction is re-sent or fee-bumped after this long (ms). */
  replaceAfterMs: z.number().int().min(1000).default(30_000),
  /** Blocks searched for a foreign use of an authorization nonce. */
  lookbackBlocks: z.number().int().min(1).default(50_000),
  /** Waiting jobs plus unconfirmed transactions per signer before 503 + Retry-After. */
  queueLimitPerSigner: z.number().int().min(1).default(256),
  /** Percent added to gas estimates. */
  gasHeadroomPercent: z.number().int().min(0).max(500).default(20),
  /**
   * Most gas one transaction may ask for: EIP-7825's cap (2^24) by default; lower it for a chain with a
   * smaller per-transaction limit. A batch that would need more is split; the headroom is trimmed to fit.
   */
  maxTransactionGas: z.number().int().min(100_000).max(1_000_000_000).default(16_777_216),
  fees: z
    .object({
      /** `maxFeePerGas = baseFee × multiplier + tip`. */
      baseFeeMultiplier: z.number().min(1).max(10).default(2),
      /** Tip in gwei; omitted asks the node. */
      priorityFeeGwei: Gwei.optional(),
      /** Ceiling on `maxFeePerGas` in gwei. */
      maxFeeGwei: Gwei.optional(),
      /** Minimum bump of a replacement, percent. */
      replacementBumpPercent: z.number().int().min(10).max(500).default(15),
    })
    .prefault({}),
  /** Bearer API keys required on `/verify` and `/settle`; empty disables auth (`X402KIT_API_KEYS`). Secret. */
  apiKeys: z.array(z.string().min(16, "API keys must be at least 16 characters")).default([]),
  /** Requests per minute per client (API key, else IP) on `/verify` and `/settle`; 0 disables. */
  rateLimitPerMinute: z.number().int().min(0).default(0),
  /** Largest accepted request body (bytes, `--body-limit-bytes`); larger ones are answered 413. */
  bodyLimitBytes: z.number().int().min(1024).max(10_485_760).default(65_536),
  /** The HTTP edge's limits (see the README, "HTTP limits"). */
  http: z
    .object({
      /** How much of an oversized body is read and discarded so the client reads its 413 (bytes). */
      drainLimitBytes: z.number().int().min(0).max(1_073_741_824).default(16_777_216),
      /** Longest wait for a request's headers (ms, `--headers-timeout-ms`); then 408. */
      headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
      /** Longest wait for a whole request, headers and body (ms, `--request-timeout-ms`); then 408. */
      requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
      /** Idle keep-alive connections are closed after this long (ms, `--keep-alive-timeout-ms`). */
      keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
      /** Largest header section (bytes); larger ones are answered 431. */
      maxHeaderBytes: z.number().int().min(1024).max(1_048_576).default(16_384),
      /** Open connections served; the requests of others get 503 + Retry-After (`--max-connections`). */
      maxConnections: z.number().int().min(1).max(1_000_000).default(4_096),
      /** Requests read or answered at once; more get 503 + Retry-After (`--max-in-flight`). */
      maxInFlight: z.number().int().min(1).max(1_000_000).default(2_048),
      /** Clients the rate limiter remembers at once (oldest forgotten first). */
      rateLimitMaxClients: z.number().int().min(1).max(10_000_000).default(100_000),
      /** Rate-limit by `X-Forwarded-For`'s first hop (only behind a proxy you run; `--trust-proxy`). */
      trustProxy: z.boolean().default(false),
    })
    .refine((http) => http.headersTimeoutMs <= http.requestTimeoutMs, {
      message: "headersTimeoutMs must not exceed requestTimeoutMs",
      path: ["headersTimeoutMs"],
    })
    .prefault({}),
  /**
   * The `batch-settlement` scheme (payment channels): off unless set. `privateKey` (`X402KIT_BATCH_SETTLEMENT_KEY`)
   * sends deposits, claims, sweeps and refunds and must not be one of `privateKeys`; `receiverAuthorizerKey`
   * (`X402KIT_RECEIVER_AUTHORIZER_KEY`) is advertised in `/supported` and signs the claims and refunds servers send
   * unsigned. Secret.
   */
  batchSettlement: z
    .object({
      privateKey: PrivateKey,
      receiverAuthorizerKey: PrivateKey.optional(),
    })
    .strict()
    .optional(),
  /**
   * The Permit2 schemes (`exact` with `extra.assetTransferMethod: "permit2"`, and `upto`): `privateKey`
   * (`X402KIT_PERMIT2_KEY`) sends their settlements through the official Permit2 proxies and is the `upto`
   * `facilitatorAddress`; it must not be one of `privateKeys` (it may be the batch-settlement key: one account, one
   * sender). Unset, the schemes use the batch-settlement account when that is configured, and are off otherwise.
   * Secret.
   */
  permit2: z.object({ privateKey: PrivateKey }).strict().optional(),
  /** Longest shutdown waits for in-flight settlements (ms). */
  drainTimeoutMs: z.number().int().min(0).default(20_000),
  /** Journal durability: `FULL` (fsync per commit) or `NORMAL` (crash-safe, not power-loss-safe). */
  journalSync: z.enum(["FULL", "NORMAL"]).default("FULL"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/**
 * The whole facilitator configuration, validated once at start-up. Every field has a default except
 * the signer keys and the networks; `batched` mode also needs a router on every network.
 */
export const FacilitatorConfig = FacilitatorConfigFields.superRefine((config, context) => {
  // One key, one lane, one writer per signer nonce (I4): the same key twice (say in EVM_PRIVATE_KEY and
  // EVM_PRIVATE_KEYS) would make two lanes hand out the same account's nonces.
  const seen = new Map<string, number>();
  for (const [i, key] of config.privateKeys.entries()) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) continue; // already reported
    const address = privateKeyToAddress(key);
    const first = seen.get(address);
    if (first === undefined) seen.set(address, i);
    else {
      context.addIssue({
        code: "custom",
        path: ["privateKeys", i],
        message: `the same signer as privateKeys[${first}] (${address}); each key may be given once (EVM_PRIVATE_KEY, EVM_PRIVATE_KEYS, EVM_PRIVATE_KEY_1..N together)`,
      });
    }
  }
  // The schemes' own senders: one writer per account nonce, so never a lane's key.
  for (const [scheme, key] of [
    ["batchSettlement", config.batchSettlement?.privateKey],
    ["permit2", config.permit2?.privateKey],
  ] as const) {
    if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) continue;
    const address = privateKeyToAddress(key);
    const lane = seen.get(address);
    if (lane !== undefined) {
      context.addIssue({
        code: "custom",
        path: [scheme, "privateKey"],
        message: `the same signer as privateKeys[${lane}] (${address}); the ${scheme === "permit2" ? "Permit2" : "batch-settlement"} account needs a key of its own (one writer per account nonce)`,
      });
    }
  }
  if (config.mode !== "batched") return;
  for (const [i, network] of config.networks.entries()) {
    if (network.router) continue;
    context.addIssue({
      code: "custom",
      path: ["networks", i, "router"],
      message: `required in batched mode: the BatchSettlementRouter address on ${network.network} (X402KIT_ROUTER, --router)`,
    });
  }
});

/** Input of {@link FacilitatorConfig} (what a JSON file or `createFacilitator` accepts). */
export type FacilitatorConfigInput = z.input<typeof FacilitatorConfig>;
/** A validated configuration. */
export type FacilitatorConfig = z.output<typeof FacilitatorConfig>;
