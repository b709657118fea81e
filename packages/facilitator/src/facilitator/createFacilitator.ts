import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import {
  type SettleResponse,
  type SupportedResponse,
  toV1Network,
  type VerifyRequest,
  type VerifyResponse,
} from "@x402kit/signer/wire";
import { type Logger, pino } from "pino";
import {
  type Address,
  createPublicClient,
  defineChain,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  webSocket,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { NetworkRuntime } from "../chain/networkRuntime.js";
import { parseConfig, redactConfig, redactUrl } from "../config/loadConfig.js";
import type { FacilitatorConfig, FacilitatorConfigInput } from "../config/schema.js";
import type { BatchSettlementStoreHost } from "../domain/batchSettlementStore.js";
import { type Clock, systemClock } from "../domain/clock.js";
import { errorSummary } from "../domain/errorSummary.js";
import { FacilitatorError, NotWriterError } from "../domain/errors.js";
import type { PaymentStore } from "../domain/store.js";
import type { PaymentRequest, SettlementRecord } from "../domain/types.js";
import { createSettlementEngine, type NetworkHealth, type SettlementEngine } from "../engine/createSettlementEngine.js";
import { type Faults, noFaults } from "../engine/faults.js";
import { createFacilitatorEvents, type FacilitatorEvents } from "../events/createFacilitatorEvents.js";
import { observeStore } from "../events/observeStore.js";
import { createMetrics, type FacilitatorMetrics } from "../metrics/createMetrics.js";
import type { BatchSubmitter } from "../modes/batchSubmitter.js";
import { createRouterSubmitter } from "../modes/router/createRouterSubmitter.js";
import {
  BATCH_SETTLEMENT_SCHEME,
  type BatchSettlementOptions,
  createBatchSettlementScheme,
} from "../schemes/batchSettlement/createBatchSettlementScheme.js";
import { createPermit2Scheme, type Permit2Scheme, permit2SchemeOf } from "../schemes/permit2/createPermit2Scheme.js";
import { createIntentSender, type IntentSender } from "../schemes/shared/sendIntent.js";
import { deferStore } from "../store/deferStore.js";
import { createPostgresStore } from "../store/postgres/createPostgresStore.js";
import { createSqliteStore } from "../store/sqlite/createSqliteStore.js";
import { createSignatureCache } from "../verify/signatureCache.js";
import { createSenderLeases, type LeasedScheme, type SenderLeases } from "./createSenderLeases.js";
import { type SettlementView, toSettlementView } from "./toSettlementView.js";
import { toPaymentRequest, toSettleResponse, toSupportedResponse, toVerifyResponse } from "./wire.js";

const gwei = (value: number | undefined): bigint | undefined =>
  value === undefined ? undefined : BigInt(Math.round(value * 1e9));

/** Options of {@link createFacilitator} beyond the configuration. */
export type CreateFacilitatorOptions = {
  /** pino logger; default: JSON to stdout at `config.logLevel`. */
  logger?: Logger;
  clock?: Clock;
  /**
   * A journal other than the configured one (`<dataDir>/journal.sqlite`, or Postgres at `databaseUrl`), e.g.
   * `await createPostgresStore({ url })`.
   */
  store?: PaymentStore;
  /**
   * The batch settlement router port of `batched` mode. Default: x402kit's BatchSettlementRouter at each
   * network's `router`, with `batch.itemGasLimit` (`createRouterSubmitter`).
   */
  batchSubmitter?: BatchSubmitter;
  /** TEST-ONLY crash points (see `engine/faults.ts`). */
  faults?: Faults;
  /**
   * Enables the `batch-settlement` scheme (payment channels on X402BatchSettlement) with its own sender account
   * (overrides `config.batchSettlement`)
   * and, optionally, a receiver authorizer (see `schemes/batchSettlement/`). Needs a journal that holds the
   * scheme's intents (the SQLite and Postgres journals do).
   */
  batchSettlement?: BatchSettlementOptions;
  /**
   * Enables the Permit2 schemes (`exact` with `extra.assetTransferMethod: "permit2"`, and `upto`, settled through
   * the official Permit2 proxies) with this sender account (overrides `config.permit2`). Default: `config.permit2`,
   * else the batch-settlement account when that scheme is on, else off. The same account as batch-settlement's
   * shares its sender (one lock, one nonce sequence).
   */
  permit2?: { account: LocalAccount };
};

/** Health of the facilitator: `ok` when every network's RPC answers. */
export type FacilitatorHealth = ({ status: "ok" } | { status: "degraded"; networks: NetworkHealth[] }) & {
  /** On a shared (Postgres) journal: `writer` signs and sends; a `standby` admits and answers, and waits to take over. */
  role?: "writer" | "standby";
  /**
   * Signer leases: the leases this instance holds (its lanes sign only for these signers; the batch-settlement and
   * Permit2 senders among them send only here), and whether the journal answered its last lease round trip (of the
   * lanes' keeper), with how long that took (ms).
   */
  leases?: { signer: Address; token: string; expiresAt: number }[];
  store?: { reachable: boolean; latencyMs: number | undefined };
};

/**
 * A facilitator: the x402 API as functions (wire in, wire out), plus lifecycle. `createApp` serves it
 * over HTTP; embedders may call it directly.
 */
export type Facilitator = {
  readonly config: FacilitatorConfig;
  readonly logger: Logger;
  readonly metrics: FacilitatorMetrics;
  readonly engine: SettlementEngine;
  /**
   * Observations of what the facilitator does (verifications, settle answers, journal state changes, mined
   * transactions), for dashboards and tests. Listening changes nothing on the settlement path.
   */
  readonly events: FacilitatorEvents;
  verify(body: VerifyRequest): Promise<VerifyResponse>;
  settle(body: VerifyRequest): Promise<SettleResponse>;
  supported(): SupportedResponse;
  settlement(id: string): Promise<SettlementView | undefined>;
  health(): Promise<FacilitatorHealth>;
  /** Reconciles the journal with the chain and starts tracking. Call once before serving. */
  start(): Promise<void>;
  /** Drains in-flight settlements (bounded by `drainTimeoutMs`), stops and closes the journal. */
  close(): Promise<void>;
};

/**
 * Creates a facilitator from a configuration (validated here; see `FacilitatorConfig`).
 *
 * @param input - Configuration; defaults fill what is missing.
 * @param options - Logger, clock, journal, batch router and test hooks.
 * @returns A {@link Facilitator}; call `start()` before use.
 * @throws {ConfigError} When the configuration is invalid.
 *
 * @example
 * ```ts
 * import { createApp, createFacilitator } from "@x402kit/facilitator";
 * const facilitator = createFacilitator({
 *   privateKeys: [process.env.EVM_PRIVATE_KEY as `0x${string}`],
 *   networks: [{ network: "eip155:84532", rpcUrl: "https://sepolia.base.org" }],
 * });
 * await facilitator.start();
 * const app = createApp({ facilitator });
 * ```
 */
export function createFacilitator(input: FacilitatorConfigInput, options: CreateFacilitatorOptions = {}): Facilitator {
  const config = parseConfig(input);
  const logger =
    options.logger ??
    pino(
      {
        level: config.logLevel,
        base: { service: "x402kit-facilitator" },
        redact: { paths: ["privateKeys", "apiKeys", "*.signature", "*.*.signature"], censor: "[redacted]" },
      },
      // Asynchronous writes to stdout: lines written while one write is in flight go out together (one write per
      // request cost a tenth of a voucher check), and pino flushes what is left when the process exits.
      pino.destination({ dest: 1, sync: false }),
    );
  const clock = options.clock ?? systemClock;
  const journal =
    options.store ??
    (config.databaseUrl
      ? deferStore(
          createPostgresStore({
            url: config.databaseUrl,
            clock,
            onError: (error) => logger.warn({ err: errorSummary(error) }, "Postgres connection error"),
          }),
        )
      : createSqliteStore({ path: join(config.dataDir, "journal.sqlite"), clock, synchronous: config.journalSync }));
  const events = createFacilitatorEvents({ logger });
  let caip2Of: (chainId: number) => string | undefined = () => undefined;
  // The engine writes through this wrapper; it reports which rows changed, after they committed.
  const store = observeStore(
    journal,
    (ids) => {
      void (async () => {
        for (const id of ids) {
          let record: SettlementRecord | undefined;
          try {
            record = await journal.getById(id);
          } catch {
            return; // the journal closed under a late report
          }
          if (record) {
            events.emit({
              type: "settlement",
              at: clock.now(),
              settlement: toSettlementView(record, caip2Of(record.key.chainId)),
            });
          }
        }
      })();
    },
    () => events.observed(),
  );

  const networks: NetworkRuntime[] = config.networks.map((n) => {
    const chain = defineChain({
      id: n.chainId,
      name: n.caip2,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [n.rpcUrl] } },
    });
    const transport = /^wss?:/.test(n.rpcUrl)
      ? webSocket(n.rpcUrl, { retryCount: 0, timeout: 10_000 })
      : http(n.rpcUrl, { batch: { batchSize: 200, wait: 0 }, retryCount: 0, timeout: 10_000 });
    let v1Name: string | undefined;
    try {
      v1Name = toV1Network({ network: n.caip2 });
    } catch {
      v1Name = undefined;
    }
    return {
      caip2: n.caip2,
      chainId: n.chainId,
      v1Name,
      client: createPublicClient({ chain, transport, pollingInterval: config.pollIntervalMs }) as PublicClient,
      assets: n.assets ? new Set(n.assets.map((a) => a.toLowerCase())) : undefined,
      payees: n.payees ? new Set(n.payees.map((a) => a.toLowerCase())) : undefined,
      router: n.router,
      walletFactories: new Set(n.walletFactories.map((a) => a.toLowerCase())),
    };
  });

  let engine: SettlementEngine | undefined;
  // Late-bound: the scheme senders' leases are kept once the schemes that their hand-over starts exist (below).
  let senderLeases: SenderLeases | undefined;
  const metrics = createMetrics(
    store,
    () => engine,
    () => senderLeases?.held().length ?? 0,
  );
  const leaseMetrics = {
    acquired: (signer: Address, tookOverFrom: string | undefined) => metrics.acquired?.(signer, tookOverFrom),
    lost: (signer: Address) => metrics.lost?.(signer),
    handedOver: (signer: Address) => metrics.handedOver?.(signer),
    storeLatency: (ms: number | undefined) => metrics.storeLatency?.(ms),
  };
  // One holder id per instance, for the lanes' leases and the scheme senders' alike.
  const leasing =
    config.signerLeases && store.leases
      ? { leases: store.leases, holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` }
      : undefined;
  const networkById = new Map(networks.map((n) => [n.chainId, n]));
  caip2Of = (chainId) => networkById.get(chainId)?.caip2;
  engine = createSettlementEngine({
    networks,
    accounts: config.privateKeys.map((key) => privateKeyToAccount(key)),
    store,
    // Signer leases: each instance signs for the keys whose leases it holds (one writer per signer, not per journal).
    signerLeases: leasing
      ? {
          leases: leasing.leases,
          holder: leasing.holder,
          ttlMs: config.leaseTtlMs,
          pollMs: config.blockPollIntervalMs,
        }
      : undefined,
    // A shared journal: a standby admits settlements for the writer and answers from the journal until it takes over.
    shared: store.lockWriter
      ? { role: config.standby ? "follower" : "writer", pollMs: config.blockPollIntervalMs }
      : undefined,
    clock,
    logger,
    faults: options.faults ?? noFaults,
    metrics: {
      ...leaseMetrics,
      mined(receipt, kind, items) {
        metrics.mined(receipt, kind, items);
        if (!events.observed()) return;
        events.emit({
          type: "transactionMined",
          at: clock.now(),
          hash: receipt.transactionHash,
          kind,
          items,
          from: receipt.from,
          to: receipt.to,
          status: receipt.status,
          blockNumber: receipt.blockNumber.toString(),
          gasUsed: receipt.gasUsed.toString(),
          effectiveGasPrice: receipt.effectiveGasPrice.toString(),
        });
      },
    },
    batchSubmitter:
      options.batchSubmitter ??
      (config.mode === "batched"
        ? createRouterSubmitter({
            routers: new Map(
              config.networks.flatMap((n) => (n.router ? [[n.chainId, n.router as Address] as const] : [])),
            ),
            itemGasLimit: BigInt(config.batch.itemGasLimit),
          })
        : undefined),
    verify: {
      signatures: createSignatureCache(),
      validBeforeBufferSeconds: config.verify.validBeforeBufferSeconds,
      chainCheck: config.verify.chainCheck,
    },
    config: {
      mode: config.mode,
      settleTimeoutMs: config.settleTimeoutMs,
      settleChainCheck: config.verify.settleChainCheck,
      pollIntervalMs: config.pollIntervalMs,
      blockPollIntervalMs: config.blockPollIntervalMs,
      replaceAfterMs: config.replaceAfterMs,
      lookbackBlocks: BigInt(config.lookbackBlocks),
      queueLimitPerSigner: config.queueLimitPerSigner,
      gasHeadroomPercent: config.gasHeadroomPercent,
      maxTransactionGas: BigInt(config.maxTransactionGas),
      batch: config.batch,
      fees: {
        baseFeeMultiplier: config.fees.baseFeeMultiplier,
        priorityFeePerGas: gwei(config.fees.priorityFeeGwei),
        maxFeePerGasCap: gwei(config.fees.maxFeeGwei),
        replacementBumpPercent: config.fees.replacementBumpPercent,
      },
    },
  });
  const settlementEngine = engine;
  const batchSettlementOptions = options.batchSettlement ?? batchSettlementFromConfig(config);
  const permit2Account =
    options.permit2?.account ??
    (config.permit2 ? privateKeyToAccount(config.permit2.privateKey) : batchSettlementOptions?.account);
  /**
   * Whether this instance sends a scheme sender's transactions now: under signer leases, while it holds the sender's
   * lease; else while it is the journal's writer (a standby sends none until it takes over).
   */
  const sends = (sender: Address): boolean =>
    leasing ? (senderLeases?.holds(sender) ?? false) : settlementEngine.role() === "writer";
  const senderOf = schemeSenders(journal, {
    logger,
    settleTimeoutMs: config.settleTimeoutMs,
    lanes: config.privateKeys.map((key) => privateKeyToAccount(key).address),
    sends,
  });
  const batchSettlement = batchSettlementOptions
    ? createBatchSettlementScheme({
        options: batchSettlementOptions,
        sender: senderOf(batchSettlementOptions.account, "batch-settlement"),
        store: senderOf(batchSettlementOptions.account, "batch-settlement").store,
        networks,
        clock,
        logger,
        settleTimeoutMs: config.settleTimeoutMs,
        headTtlMs: config.blockPollIntervalMs,
      })
    : undefined;
  const permit2: Permit2Scheme | undefined = permit2Account
    ? createPermit2Scheme({ sender: senderOf(permit2Account, "Permit2"), networks, clock, logger })
    : undefined;
  if (leasing && (batchSettlement || permit2)) {
    const leased: LeasedScheme[] = [];
    if (batchSettlement && batchSettlementOptions) {
      leased.push({ sender: batchSettlementOptions.account.address, start: () => batchSettlement.start() });
    }
    if (permit2 && permit2Account) leased.push({ sender: permit2Account.address, start: () => permit2.start() });
    senderLeases = createSenderLeases({
      leases: leasing.leases,
      schemes: leased,
      holder: leasing.holder,
      ttlMs: config.leaseTtlMs,
      clock,
      logger,
      events: leaseMetrics,
    });
  }
  let closing: Promise<void> | undefined;
  let takeover: Promise<void> | undefined;

  return {
    config,
    logger,
    metrics,
    engine: settlementEngine,
    events,

    async verify(body) {
      if (batchSettlement && isBatchSettlement(body)) return (await batchSettlement.verify(body)) as VerifyResponse;
      if (permit2 && permit2SchemeOf(body)) return (await permit2.verify(body)) as VerifyResponse;
      const started = performance.now();
      const request = toPaymentRequest(body);
      const result = await settlementEngine.verify(request);
      const response = toVerifyResponse(result, request);
      const seconds = (performance.now() - started) / 1000;
      metrics.verified(result.isValid ? "valid" : "invalid", response.invalidReason ?? "", seconds);
      if (events.observed()) {
        events.emit({
          type: "verified",
          at: clock.now(),
          ...requestFields(request),
          scheme: request.scheme,
          payer: response.payer ? (response.payer as Address) : undefined,
          isValid: response.isValid,
          reason: response.invalidReason ?? undefined,
          message: response.invalidMessage ?? undefined,
          durationMs: seconds * 1000,
        });
      }
      return response;
    },

    async settle(body) {
      if (batchSettlement && batchSettlementOptions && isBatchSettlement(body)) {
        if (!sends(batchSettlementOptions.account.address)) {
          throw new NotWriterError("send batch-settlement transactions", config.signerLeases ? "lease" : "writer");
        }
        return (await batchSettlement.settle(body)) as SettleResponse;
      }
      if (permit2 && permit2Account && permit2SchemeOf(body)) {
        if (!sends(permit2Account.address)) {
          throw new NotWriterError("send Permit2 transactions", config.signerLeases ? "lease" : "writer");
        }
        return (await permit2.settle(body)) as SettleResponse;
      }
      const started = performance.now();
      const request = toPaymentRequest(body);
      const { outcome, payment } = await settlementEngine.settle(request);
      const response = toSettleResponse(outcome, request, payment);
      const result = outcome.status === "confirmed" ? "success" : outcome.status;
      const seconds = (performance.now() - started) / 1000;
      metrics.settled(result, response.errorReason ?? "", seconds);
      if (events.observed()) {
        events.emit({
          type: "settleAnswered",
          at: clock.now(),
          ...requestFields(request),
          payer: response.payer ?? "",
          success: response.success,
          reason: response.errorReason ?? undefined,
          message: response.errorMessage ?? undefined,
          transaction: response.transaction,
          durationMs: seconds * 1000,
        });
      }
      if (outcome.status !== "confirmed") {
        logger.info(
          { payer: outcome.payer, status: outcome.status, reason: response.errorReason, tx: response.transaction },
          "settle answered without success",
        );
      }
      return response;
    },

    supported: () => {
      const supported = toSupportedResponse(networks, settlementEngine.signers());
      const schemes = [batchSettlement, permit2].filter((scheme) => scheme !== undefined);
      if (schemes.length === 0) return supported;
      const signers = supported.signers?.["eip155:*"] ?? [];
      return {
        ...supported,
        kinds: [...supported.kinds, ...schemes.flatMap((scheme) => scheme.kinds())],
        signers: {
          ...supported.signers,
          "eip155:*": [...new Set([...signers, ...schemes.flatMap((scheme) => scheme.signers())])],
        },
      };
    },

    async settlement(id) {
      const record = await settlementEngine.getSettlement(id);
      return record ? toSettlementView(record, caip2Of(record.key.chainId)) : undefined;
    },

    async health() {
      const networksHealth = await settlementEngine.health();
      const leases = settlementEngine.leases();
      // The lanes' leases, then the scheme senders'.
      const held = [...(leases?.held ?? []), ...(senderLeases?.held() ?? [])];
      // The journal is reachable when both keepers' last round trips succeeded (the slower one's latency shown).
      const senders = senderLeases?.store();
      const latencies = [leases?.store.latencyMs, senders?.latencyMs].filter((ms) => ms !== undefined);
      const reach = leases && {
        reachable: leases.store.reachable && senders?.reachable !== false,
        latencyMs: latencies.length > 0 ? Math.max(...latencies) : undefined,
      };
      const role = reach
        ? {
            leases: held.map((l) => ({ signer: l.signer, token: l.token.toString(), expiresAt: l.expiresAt })),
            store: reach,
          }
        : store.lockWriter
          ? { role: settlementEngine.role() === "writer" ? ("writer" as const) : ("standby" as const) }
          : {};
      return networksHealth.every((n) => n.rpc) && reach?.reachable !== false
        ? { status: "ok", ...role }
        : { status: "degraded", networks: networksHealth, ...role };
    },

    async start() {
      logger.info(
        {
          config: redactConfig(config),
          rpc: networks.map((n) => redactUrl(config.networks.find((c) => c.chainId === n.chainId)?.rpcUrl ?? "")),
        },
        "starting facilitator",
      );
      if (config.signerLeases) {
        // No writer lock: every instance signs, each for the keys whose leases it holds (taken in start()); the
        // scheme senders likewise, each reconciled by the instance that takes its lease before it sends.
        await settlementEngine.start();
        await senderLeases?.start();
        return;
      }
      const lockWriter = store.lockWriter?.bind(store);
      if (lockWriter && config.standby) {
        // A standby serves at once (verify; settle admits into the journal for the writer; reads answer from it) and
        // takes over when the writer stops: it gets the writer lock, reconciles and starts signing.
        logger.info("standby: serving; waiting until the journal's current writer stops to take over");
        await settlementEngine.start();
        takeover = (async () => {
          await lockWriter({ wait: true });
          if (closing) return;
          await settlementEngine.promote();
          await batchSettlement?.start();
          await permit2?.start();
          logger.info("standby: this facilitator is now the journal's writer");
        })();
        takeover.catch((error: unknown) => {
          if (!closing) logger.error({ err: errorSummary(error) }, "standby: the takeover failed; still a standby");
        });
        return;
      }
      // A shared journal (Postgres): become its only writer first (I4).
      if (lockWriter) await lockWriter({ wait: false });
      await settlementEngine.start();
      await batchSettlement?.start();
      await permit2?.start();
    },

    close() {
      closing ??= (async () => {
        await settlementEngine.drain(config.drainTimeoutMs);
        settlementEngine.stop();
        // Handed back at once: another instance takes these signers over now instead of at their expiry.
        await settlementEngine.releaseLeases();
        await senderLeases?.release();
        await store.close();
        if (!options.logger) logger.flush();
      })();
      return closing;
    },
  };
}

/** Whether a request is for the `batch-settlement` scheme (x402 v2 only; routed on the requirements' scheme). */
function isBatchSettlement(body: VerifyRequest): boolean {
  return body.paymentPayload.x402Version === 2 && body.paymentRequirements.scheme === BATCH_SETTLEMENT_SCHEME;
}

/**
 * The seam between the engine and the schemes that send their own transactions (batch-settlement, Permit2): same
 * journal database, own sender accounts, never a lane's. One sender per account, shared by the schemes that use it,
 * so one account has one lock and one nonce sequence (I4).
 */
function schemeSenders(
  journal: PaymentStore,
  context: {
    logger: Logger;
    settleTimeoutMs: number;
    lanes: readonly Address[];
    /** Whether this instance may send for an account now (writer, or holder of its lease). */
    sends: (account: Address) => boolean;
  },
): (account: LocalAccount, scheme: string) => IntentSender {
  const senders = new Map<string, IntentSender>();
  return (account, scheme) => {
    const address = account.address.toLowerCase();
    const existing = senders.get(address);
    if (existing) return existing;
    const store = (journal as Partial<BatchSettlementStoreHost>).batchSettlement;
    if (!store) {
      throw new FacilitatorError(`${scheme} needs a journal that holds its intents (the SQLite or Postgres journal)`);
    }
    if (context.lanes.some((lane) => lane.toLowerCase() === address)) {
      throw new FacilitatorError(`${scheme}'s account must not be one of privateKeys (one writer per account)`);
    }
    const sender = createIntentSender({
      account,
      store,
      settleTimeoutMs: context.settleTimeoutMs,
      logger: context.logger.child({ sender: account.address }),
      sending: () => context.sends(account.address),
    });
    senders.set(address, sender);
    return sender;
  };
}

/** The scheme's accounts from the configuration (`X402KIT_BATCH_SETTLEMENT_KEY`, …), when it is switched on there. */
function batchSettlementFromConfig(config: FacilitatorConfig): BatchSettlementOptions | undefined {
  const keys = config.batchSettlement;
  if (!keys) return undefined;
  return {
    account: privateKeyToAccount(keys.privateKey),
    ...(keys.receiverAuthorizerKey ? { receiverAuthorizer: privateKeyToAccount(keys.receiverAuthorizerKey) } : {}),
  };
}

const Nonce = /^0x[0-9a-fA-F]{64}$/;

/** Display fields of an (untrusted) request for events: as sent, and the nonce only when well formed. */
function requestFields(request: PaymentRequest): {
  network: string;
  asset: string;
  payTo: string;
  amount: string;
  nonce: Hex | undefined;
} {
  const payload = request.payload as { authorization?: { nonce?: unknown } } | null | undefined;
  const nonce = typeof payload === "object" && payload !== null ? payload.authorization?.nonce : undefined;
  return {
    network: request.network,
    asset: request.asset,
    payTo: request.payTo,
    amount: request.amount,
    nonce: typeof nonce === "string" && Nonce.test(nonce) ? (nonce as Hex) : undefined,
  };
}
