// Facilitator, signer leases of the scheme senders: the accounts of batch-settlement and Permit2 (which send their
// own contract calls, outside the engine's lanes) are leased like the lanes' keys, through the same lease table.

import type { Logger } from "pino";
import type { Address } from "viem";
import type { Clock } from "../domain/clock.js";
import type { SignerLease, SignerLeases } from "../domain/store.js";
import { createLeaseKeeper, type LeaseEvents, type LeaseKeeper } from "../engine/pipeline/createLeaseKeeper.js";

/** A scheme that sends from one account: what its lease starts. */
export type LeasedScheme = {
  /** The scheme's sender account. */
  readonly sender: Address;
  /** Reconciles the scheme's intents of that sender with the chain (rebroadcasts what is journaled as submitted). */
  start(): Promise<void>;
};

/** The leases of the scheme senders of one instance. */
export type SenderLeases = {
  /** Takes the free leases (reconciling their schemes first), then keeps renewing and taking. */
  start(): Promise<void>;
  /** Whether this instance sends for `sender` now: it holds its lease and its schemes reconciled since. */
  holds(sender: Address): boolean;
  held(): SignerLease[];
  /** Whether the senders' keeper's last round trip to the journal succeeded, and how long it took (ms). */
  store(): { reachable: boolean; latencyMs: number | undefined };
  /** Hands every held lease back (graceful shutdown): another instance takes the senders over at once. */
  release(): Promise<void>;
};

/** Parameters of {@link createSenderLeases}. */
export type CreateSenderLeasesParameters = {
  leases: SignerLeases;
  /** The schemes that send; schemes sharing an account share its lease (one lock, one nonce sequence). */
  schemes: readonly LeasedScheme[];
  /** This instance's id: the same as its lanes' leases', so the journal sees one holder per instance. */
  holder: string;
  ttlMs: number;
  clock: Clock;
  logger: Logger;
  events?: Partial<LeaseEvents> | undefined;
};

/**
 * Leases the scheme senders with a lease keeper of their own (the engine's keeps the lanes'). A lease taken runs the
 * start (reconciliation) of every scheme of that sender before {@link SenderLeases.holds} says yes, so nothing new is
 * signed before what a previous holder journaled is rebroadcast; a lease lost says no at once, and the journal's
 * fencing refuses what the stale holder would still persist.
 *
 * @param parameters - See {@link CreateSenderLeasesParameters}.
 * @returns A {@link SenderLeases}.
 */
export function createSenderLeases(parameters: CreateSenderLeasesParameters): SenderLeases {
  const { schemes, logger } = parameters;
  const senders = [...new Map(schemes.map((s) => [s.sender.toLowerCase(), s.sender])).values()];
  const keeper: LeaseKeeper = createLeaseKeeper({
    leases: parameters.leases,
    signers: senders,
    holder: parameters.holder,
    ttlMs: parameters.ttlMs,
    clock: parameters.clock,
    logger: logger.child({ leases: "scheme senders" }),
    events: parameters.events,
    async gained(sender) {
      for (const scheme of schemes) {
        if (scheme.sender.toLowerCase() === sender.toLowerCase()) await scheme.start();
      }
    },
    // Handed over to balance at once: a send under way when the lease goes is refused by the fence (its caller gets
    // 503 and asks again), and the next holder rebroadcasts what was journaled before, as after a crash.
    idle: () => true,
    // Nothing to stop: every send asks `holds` before it signs, and the keeper answers no from here on.
    lost: (sender) => logger.warn({ sender }, "scheme sender lease lost: its schemes answer not_writer here"),
  });
  return {
    start: () => keeper.start(),
    holds: (sender) => keeper.holds(sender),
    held: () => keeper.held(),
    store: () => keeper.store(),
    release: () => keeper.release(),
  };
}
