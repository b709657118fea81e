import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { Counter, Gauge, Registry } from "prom-client";
import type { Address, PublicClient } from "viem";
import type { ChannelRecord, ChannelStore } from "./channelRecord.js";
import { type ChannelClaimPolicy, type ClaimPlan, type ClaimReason, planClaims } from "./planClaims.js";

/**
 * What the scheduler drives: the official `BatchSettlementChannelManager` (`scheme.createChannelManager(...)` of
 * `@x402/evm/batch-settlement/server`) has this shape; so may any claimer of ours.
 */
export type ChannelClaimer = {
  claim(options?: {
    maxClaimsPerBatch?: number;
    selectClaimChannels?: (channels: ChannelRecord[]) => ChannelRecord[] | Promise<ChannelRecord[]>;
  }): Promise<{ vouchers: number; transaction: string }[]>;
  settle(): Promise<{ transaction: string }>;
};

/** Parameters of {@link createChannelScheduler}. */
export type CreateChannelSchedulerParameters = {
  /** Claims and settles (sweeps) through the facilitator. */
  manager: ChannelClaimer;
  /** The channels the resource server keeps (the same storage its scheme was given). */
  storage: Pick<ChannelStore, "list">;
  /** When to claim; see {@link ChannelClaimPolicy}. A channel whose payer asked to withdraw is always claimed. */
  policy?: ChannelClaimPolicy;
  /** How often the channels are examined. Default 1,000 ms. */
  intervalMs?: number;
  /** Vouchers per claim transaction. Default 100 (the official default). */
  maxClaimsPerBatch?: number;
  /** Sweep the claimed funds to the receiver after each claim. Default `true`. */
  settle?: boolean;
  /**
   * Watch the channel contract for withdrawal requests (`pendingWithdrawals`), which the resource server's records only
   * learn of on the payer's next request: a channel whose payer initiated a withdrawal is claimed at the next tick.
   */
  chain?: { publicClient: Pick<PublicClient, "multicall">; batchSettlement: Address } | undefined;
  /** Where the metrics are registered. Default: a registry of its own (`scheduler.registry`). */
  registry?: Registry;
  /** Time source (ms). Default `Date.now`. */
  now?: () => number;
  /** Reports what each claim did. */
  onClaim?: (event: { reasons: Record<string, ClaimReason>; vouchers: number; transactions: string[] }) => void;
  /** Reports a failed tick; the next tick tries again. Default: ignored. */
  onError?: (error: unknown) => void;
};

/** What one tick did. */
export type ChannelTick = ClaimPlan & { transactions: string[]; settled: string | undefined };

/** A running claim scheduler. */
export type ChannelScheduler = {
  /** Starts ticking every `intervalMs`. */
  start(): void;
  /** Examines the channels now and claims what the policy says; concurrent calls share one tick. */
  tick(options?: { flush?: boolean }): Promise<ChannelTick>;
  /** Stops ticking; with `flush` (default `true`) claims every channel's unclaimed value and settles first. */
  stop(options?: { flush?: boolean }): Promise<ChannelTick | undefined>;
  /** The metrics registry (unclaimed value, value at risk, claims). */
  registry: Registry;
};

/**
 * A claim scheduler for a `batch-settlement` resource server that goes beyond fixed intervals: it claims a channel's
 * latest voucher when the channel's unclaimed value crosses a threshold, all of them when their sum does, an idle
 * channel after a while, at once when the payer has requested a withdrawal (what is not claimed before the
 * `withdrawDelay` ends is lost to the receiver), and everything on shutdown; then sweeps the claimed funds to the
 * receiver. Metrics: `x402kit_channels_unclaimed_value`, `x402kit_channels_value_at_risk`,
 * `x402kit_channels_open`, `x402kit_channel_claims_total{reason}`, `x402kit_channel_claim_errors_total`.
 *
 * @param parameters - {@link CreateChannelSchedulerParameters}
 * @returns The scheduler (not started).
 */
export function createChannelScheduler(parameters: CreateChannelSchedulerParameters): ChannelScheduler {
  const { manager, storage, policy = {}, intervalMs = 1_000, maxClaimsPerBatch = 100, chain } = parameters;
  const now = parameters.now ?? Date.now;
  const registry = parameters.registry ?? new Registry();
  const unclaimedGauge = new Gauge({
    name: "x402kit_channels_unclaimed_value",
    help: "Charged but unclaimed value over all batch-settlement channels (token units)",
    registers: [registry],
  });
  const atRiskGauge = new Gauge({
    name: "x402kit_channels_value_at_risk",
    help: "Unclaimed value in channels whose payer requested a withdrawal (token units)",
    registers: [registry],
  });
  const openGauge = new Gauge({
    name: "x402kit_channels_open",
    help: "Channels with unclaimed value",
    registers: [registry],
  });
  const claimsTotal = new Counter({
    name: "x402kit_channel_claims_total",
    help: "Channel vouchers claimed, by why they were claimed",
    labelNames: ["reason"],
    registers: [registry],
  });
  const errorsTotal = new Counter({
    name: "x402kit_channel_claim_errors_total",
    help: "Scheduler ticks that failed (retried on the next tick)",
    registers: [registry],
  });

  /** Channels with a withdrawal pending on chain, among `channels` (one multicall). */
  async function withdrawingOnChain(channels: readonly ChannelRecord[]): Promise<Set<string>> {
    if (chain === undefined || channels.length === 0) return new Set();
    const results = await chain.publicClient.multicall({
      allowFailure: false,
      contracts: channels.map((channel) => ({
        address: chain.batchSettlement,
        abi: x402BatchSettlementAbi,
        functionName: "pendingWithdrawals" as const,
        args: [channel.channelId as `0x${string}`] as const,
      })),
    });
    return new Set(
      channels.filter((_, i) => (results[i] as readonly [bigint, number])[1] > 0).map((c) => c.channelId.toLowerCase()),
    );
  }

  async function runTick(flush: boolean): Promise<ChannelTick> {
    const channels = await storage.list();
    const candidates = channels.filter(
      (channel) => BigInt(channel.chargedCumulativeAmount) > BigInt(channel.totalClaimed),
    );
    const plan = planClaims(channels, { policy, withdrawing: await withdrawingOnChain(candidates), now: now(), flush });
    unclaimedGauge.set(Number(plan.unclaimed));
    atRiskGauge.set(Number(plan.atRisk));
    openGauge.set(plan.openChannels);
    if (plan.claims.length === 0) return { ...plan, transactions: [], settled: undefined };
    const reasons = Object.fromEntries(plan.claims.map((claim) => [claim.channelId, claim.reason]));
    const results = await manager.claim({
      maxClaimsPerBatch,
      selectClaimChannels: (stored) => stored.filter((channel) => channel.channelId.toLowerCase() in reasons),
    });
    const vouchers = results.reduce((sum, result) => sum + result.vouchers, 0);
    for (const claim of plan.claims) claimsTotal.inc({ reason: claim.reason });
    const transactions = results.map((result) => result.transaction);
    parameters.onClaim?.({ reasons, vouchers, transactions });
    const settled =
      results.length > 0 && (parameters.settle ?? true) ? (await manager.settle()).transaction : undefined;
    return { ...plan, transactions, settled };
  }

  let running: Promise<ChannelTick> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = (options: { flush?: boolean } = {}): Promise<ChannelTick> => {
    if (running !== undefined && !options.flush) return running;
    const previous = running ?? Promise.resolve(undefined);
    const next = previous
      .catch(() => undefined)
      .then(() => runTick(options.flush ?? false))
      .catch((error: unknown) => {
        errorsTotal.inc();
        throw error;
      })
      .finally(() => {
        if (running === next) running = undefined;
      });
    running = next;
    return next;
  };
  const loop = () => {
    tick()
      .catch((error: unknown) => parameters.onError?.(error))
      .finally(() => {
        if (timer !== undefined) timer = setTimeout(loop, intervalMs);
      });
  };

  return {
    registry,
    start() {
      if (timer !== undefined) return;
      timer = setTimeout(loop, intervalMs);
    },
    tick,
    async stop(options = {}) {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (options.flush ?? true) return tick({ flush: true });
      await running?.catch(() => undefined);
      return undefined;
    },
  };
}
