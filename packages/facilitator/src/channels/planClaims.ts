import type { ChannelRecord } from "./channelRecord.js";

/** When {@link planClaims} claims a channel's latest voucher. Every bound is optional; none set claims nothing early. */
export type ChannelClaimPolicy = {
  /** Claim a channel once its unclaimed value (charged − claimed, token units) reaches this. */
  channelThreshold?: bigint | undefined;
  /** Claim every channel with unclaimed value once the sum over all channels reaches this. */
  totalThreshold?: bigint | undefined;
  /** Claim a channel whose last paid request is at least this old (ms) and which still has unclaimed value. */
  maxIdleMs?: number | undefined;
};

/** Why a channel is claimed now. `withdrawal` comes first: what is not claimed before `withdrawDelay` ends is lost. */
export type ClaimReason = "withdrawal" | "channelThreshold" | "totalThreshold" | "idle" | "flush";

/** A channel picked for claiming, with its unclaimed value and why. */
export type PlannedClaim = { channelId: string; unclaimed: bigint; reason: ClaimReason };

/** What {@link planClaims} found: the claims to make now and the exposure they leave. */
export type ClaimPlan = {
  claims: PlannedClaim[];
  /** Charged but unclaimed value over all channels, before these claims. */
  unclaimed: bigint;
  /** Unclaimed value in channels whose payer asked to withdraw: lost if not claimed before the delay runs out. */
  atRisk: bigint;
  /** Channels with unclaimed value. */
  openChannels: number;
};

/** A channel's charged but unclaimed value; never negative. */
export function unclaimedValue(channel: ChannelRecord): bigint {
  const value = BigInt(channel.chargedCumulativeAmount) - BigInt(channel.totalClaimed);
  return value > 0n ? value : 0n;
}

/**
 * Which channels to claim now under `policy`. A channel is claimed when its payer asked to withdraw (its record says
 * so, or `withdrawing` — from the chain — names it), when it alone crosses `channelThreshold`, when it has been idle
 * `maxIdleMs`, or, all of them, when their sum crosses `totalThreshold`; `flush` claims every channel with value.
 *
 * @param channels - The stored channels.
 * @param options - Policy, channels with a withdrawal pending on chain (lowercase ids), the time, and `flush`.
 * @returns The plan.
 */
export function planClaims(
  channels: readonly ChannelRecord[],
  options: {
    policy: ChannelClaimPolicy;
    withdrawing?: ReadonlySet<string> | undefined;
    now: number;
    flush?: boolean | undefined;
  },
): ClaimPlan {
  const { policy, withdrawing, now, flush = false } = options;
  const open = channels
    .map((channel) => ({ channel, id: channel.channelId.toLowerCase(), unclaimed: unclaimedValue(channel) }))
    .filter((entry) => entry.unclaimed > 0n);
  const unclaimed = open.reduce((sum, entry) => sum + entry.unclaimed, 0n);
  const overTotal = policy.totalThreshold !== undefined && unclaimed >= policy.totalThreshold;
  let atRisk = 0n;
  const claims: PlannedClaim[] = [];
  for (const { channel, id, unclaimed: value } of open) {
    const isWithdrawing = channel.withdrawRequestedAt > 0 || (withdrawing?.has(id) ?? false);
    if (isWithdrawing) atRisk += value;
    const reason: ClaimReason | undefined = isWithdrawing
      ? "withdrawal"
      : policy.channelThreshold !== undefined && value >= policy.channelThreshold
        ? "channelThreshold"
        : policy.maxIdleMs !== undefined && now - channel.lastRequestTimestamp >= policy.maxIdleMs
          ? "idle"
          : overTotal
            ? "totalThreshold"
            : flush
              ? "flush"
              : undefined;
    if (reason !== undefined) claims.push({ channelId: id, unclaimed: value, reason });
  }
  return { claims, unclaimed, atRisk, openChannels: open.length };
}
