// Pipeline, signer leases: which signer keys this instance signs for, among instances sharing one journal.

import type { Logger } from "pino";
import type { Address } from "viem";
import type { Clock } from "../../domain/clock.js";
import { errorSummary } from "../../domain/errorSummary.js";
import type { SignerLease, SignerLeases } from "../../domain/store.js";
import { assignSigners } from "./assignSigners.js";

/** What a lease keeper reports (metrics, logs). */
export type LeaseEvents = {
  /** A lease was taken; `tookOverFrom` names the holder it expired on (a takeover), undefined when it was free. */
  acquired(signer: Address, tookOverFrom: string | undefined): void;
  /** A held lease went to another instance (or could not be renewed before it expired). */
  lost(signer: Address): void;
  /** A held lease was handed back so that another instance holds it (balancing). */
  handedOver(signer: Address): void;
  /** One round trip to the store (a renewal or an acquisition), for the store latency metric; undefined: it failed. */
  storeLatency(ms: number | undefined): void;
};

/**
 * Holds the leases of an instance's signer keys: takes free or expired ones, renews held ones, hands them back, and
 * balances them with the other live instances configured with the same keys.
 */
export type LeaseKeeper = {
  /** Takes what is free now, then keeps renewing and taking every `min(ttlMs / 3, 1 s)`. */
  start(): Promise<void>;
  /**
   * Whether this instance gives new work to a signer: it holds its lease (as far as it knows; the store fences every
   * write), has reconciled that signer's transactions since it took it, and is not handing it over.
   */
  holds(signer: Address): boolean;
  /** Whether this instance gives new work to any signer (one it holds, reconciled, not being handed over). */
  signing(): boolean;
  held(): SignerLease[];
  /** Whether the last round trip to the store succeeded, and how long it took (ms). */
  store(): { reachable: boolean; latencyMs: number | undefined };
  /** Stops renewing and releases every held lease at once (graceful shutdown). */
  release(): Promise<void>;
};

/** Parameters of {@link createLeaseKeeper}. */
export type CreateLeaseKeeperParameters = {
  leases: SignerLeases;
  /** The signer keys this instance is configured with. */
  signers: readonly Address[];
  /** This instance's id (the `holder` of its leases). */
  holder: string;
  ttlMs: number;
  clock: Clock;
  logger: Logger;
  /**
   * A lease was taken: reconcile that signer's in-flight transactions with the chain before its lane signs.
   * Awaited; leases taken together are handed over one at a time.
   */
  gained(signer: Address, tookOverFrom: string | undefined): Promise<void>;
  /** A lease was lost (or handed over): stop that signer's lane and tracking at once. */
  lost(signer: Address): void;
  /**
   * Whether nothing of a signer is in flight here (no job waiting or running, no transaction unresolved): a lease
   * being handed over to balance is released once this holds, or after `ttlMs` whatever it says (the next holder
   * reconciles what is still in flight, as after a crash).
   */
  idle(signer: Address): boolean;
  events?: Partial<LeaseEvents> | undefined;
};

/**
 * How often a keeper renews and looks for free leases: a third of the TTL (a lease survives two missed renewals),
 * and at least every second, so a lease handed back or expired is taken within a second.
 */
const roundMs = (ttlMs: number) => Math.max(50, Math.min(1_000, Math.floor(ttlMs / 3)));

/**
 * Creates the lease keeper of an instance. Every `min(ttlMs / 3, 1 s)` it renews the leases it holds and tries to take each
 * configured signer's lease that is free, released or expired. A renewal that finds the token moved, or that cannot
 * reach the store before the lease would expire, loses the lease: the lane stops at once (and the store's fencing
 * refuses any write of it that is still on its way).
 *
 * Balancing: each round it also says it is alive for its keys (`heartbeat`) and reads who holds what, then
 * {@link assignSigners} says which live instance each key should be with. A free key assigned to another instance is
 * left to it for `ttlMs` (taken after that: a key is never left unsigned because its assignee cannot take it). A held
 * key assigned to another instance is handed over: no new work goes to it, and once its lane is idle (or `ttlMs`
 * later) the lease is released, for the assignee to take on its next round. When the store cannot say (the heartbeat
 * failed), the keeper takes and keeps what it can, as without balancing.
 *
 * @param parameters - See {@link CreateLeaseKeeperParameters}.
 * @returns A {@link LeaseKeeper}.
 */
export function createLeaseKeeper(parameters: CreateLeaseKeeperParameters): LeaseKeeper {
  const { leases, signers, holder, ttlMs, clock, gained, lost, idle, events } = parameters;
  const logger = parameters.logger.child({ holder });
  const held = new Map<string, SignerLease>();
  const configured = new Set(signers.map((s) => s.toLowerCase()));
  /** Held and handed over (`gained` resolved): this instance signs for these. */
  const ready = new Set<string>();
  /** Held leases being handed over to balance, with when that began (ms): no new work goes to them. */
  const yielding = new Map<string, number>();
  /** Since when (ms) each configured key was seen with no live holder: after `ttlMs` any instance takes it. */
  const freeSince = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let stopped = false;
  let reachable = true;
  let latencyMs: number | undefined;

  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const result = await call();
      latencyMs = performance.now() - started;
      reachable = true;
      events?.storeLatency?.(latencyMs);
      return result;
    } catch (error) {
      reachable = false;
      events?.storeLatency?.(undefined);
      throw error;
    }
  };

  const forget = (signer: Address) => {
    held.delete(signer.toLowerCase());
    ready.delete(signer.toLowerCase());
    yielding.delete(signer.toLowerCase());
  };

  const lose = (signer: Address, why: string) => {
    forget(signer);
    logger.warn({ signer, why }, "signer lease lost: this instance stops signing for it");
    events?.lost?.(signer);
    lost(signer);
  };

  /** Which instance each key should be with, or `undefined` when the store could not say this round. */
  const balance = async (): Promise<Map<string, string> | undefined> => {
    try {
      const candidates = await timed(() => leases.heartbeat(holder, signers, ttlMs));
      const rows = await timed(() => leases.list());
      const now = clock.now();
      const current = new Map(
        rows.filter((r) => r.holder !== "" && r.expiresAt > now).map((r) => [r.signer.toLowerCase(), r.holder]),
      );
      for (const signer of signers) {
        const key = signer.toLowerCase();
        if (current.has(key)) freeSince.delete(key);
        else if (!freeSince.has(key)) freeSince.set(key, now);
      }
      // Balanced within this keeper's keys only: the lanes' keys and the scheme senders' are spread separately, so a
      // sender lease never stands in for a lane key in an instance's share.
      return assignSigners(
        candidates.filter((c) => configured.has(c.signer.toLowerCase())),
        current,
      );
    } catch (error) {
      logger.warn({ err: errorSummary(error) }, "cannot balance signer leases now: keeping and taking what is free");
      return undefined;
    }
  };

  /** Hands a held lease over to balance once its lane is idle, or `ttlMs` after it stopped getting work. */
  const handOver = async (signer: Address, to: string): Promise<void> => {
    const key = signer.toLowerCase();
    const since = yielding.get(key);
    if (since === undefined) {
      yielding.set(key, clock.now());
      logger.info({ signer, to }, "handing a signer lease over to balance: no new work for it, released once idle");
      return;
    }
    const drained = idle(signer);
    if (!drained && clock.now() - since < ttlMs) return;
    forget(signer);
    lost(signer);
    await timed(() => leases.release(signer));
    logger.info({ signer, to, drained }, "signer lease handed over to balance");
    events?.handedOver?.(signer);
  };

  const tick = async (): Promise<void> => {
    const assignment = await balance();
    for (const signer of signers) {
      if (stopped) return;
      const key = signer.toLowerCase();
      const lease = held.get(key);
      const assignee = assignment?.get(key);
      const ours = assignee === undefined || assignee === holder;
      try {
        if (lease) {
          if (await timed(() => leases.renew(signer, ttlMs)))
            held.set(key, { ...lease, expiresAt: clock.now() + ttlMs });
          else lose(signer, "another instance took it");
          if (!held.has(key)) continue;
          if (!ours) {
            await handOver(signer, assignee);
            continue;
          }
          yielding.delete(key); // assigned back here (another instance left) before it was handed over
          if (!ready.has(key)) {
            await gained(signer, undefined); // the hand-over failed last time (the RPC, say): again
            ready.add(key);
          }
          continue;
        }
        // Another live instance should take it: left to it, unless it stays free for a whole TTL.
        if (!ours && clock.now() - (freeSince.get(key) ?? clock.now()) < ttlMs) continue;
        const taken = await timed(() => leases.acquire(signer, holder, ttlMs));
        if (!taken || stopped) continue;
        held.set(key, taken.lease);
        logger.info(
          { signer, token: taken.lease.token.toString(), tookOverFrom: taken.tookOverFrom },
          taken.tookOverFrom ? "took over an expired signer lease: reconciling its transactions" : "signer lease taken",
        );
        events?.acquired?.(signer, taken.tookOverFrom);
        await gained(signer, taken.tookOverFrom);
        if (held.has(key)) ready.add(key);
      } catch (error) {
        logger.warn({ signer, err: errorSummary(error) }, "cannot renew or take the signer lease now");
        // Unreachable store: once the lease may have expired, another instance may hold it; stop signing.
        if (lease && lease.expiresAt <= clock.now()) lose(signer, "not renewed before it expired");
      }
    }
  };
  const next = () => {
    round ??= tick().finally(() => {
      round = undefined;
    });
    return round;
  };

  return {
    async start() {
      await next();
      if (stopped || timer) return;
      timer = setInterval(() => void next(), roundMs(ttlMs));
      timer.unref();
    },
    holds: (signer) => ready.has(signer.toLowerCase()) && !yielding.has(signer.toLowerCase()),
    // Keys being handed over take no new work: holding only those, the instance admits for the others.
    signing: () => [...ready].some((key) => !yielding.has(key)),
    held: () => [...held.values()],
    store: () => ({ reachable, latencyMs }),
    async release() {
      stopped = true;
      clearInterval(timer);
      await round?.catch(() => {});
      // Out of the balance first, so that the others count without this instance from their next round.
      await leases.leave(holder, signers).catch((error: unknown) => {
        logger.warn({ err: errorSummary(error) }, "cannot leave the signer lease candidates");
      });
      await Promise.all(
        [...held.values()].map(async (lease) => {
          forget(lease.signer);
          await leases.release(lease.signer).catch((error: unknown) => {
            logger.warn({ signer: lease.signer, err: errorSummary(error) }, "cannot hand the signer lease back");
          });
        }),
      );
    },
  };
}
