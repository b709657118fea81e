// Pipeline, start-up: reconciles the journal with the chain before a writer signs anything (I2), then resumes it.

import type { Logger } from "pino";
import type { Address } from "viem";
import { isTransportError } from "../../chain/isTransportError.js";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { errorSummary } from "../../domain/errorSummary.js";
import { RouterMisconfiguredError } from "../../domain/errors.js";
import { inFlightStates, unsentStates } from "../../domain/stateMachine.js";
import type { PaymentStore } from "../../domain/store.js";
import type { SettlementRecord } from "../../domain/types.js";
import type { BatchSubmitter } from "../../modes/batchSubmitter.js";
import type { SignerLane } from "../../signers/createSignerLane.js";
import type { Tracker } from "./createTracker.js";

/** Parameters of {@link reconcileJournal}. */
export type ReconcileJournalParameters = {
  networks: readonly NetworkRuntime[];
  store: PaymentStore;
  logger: Logger;
  lanesByChain: ReadonlyMap<number, readonly SignerLane[]>;
  trackers: ReadonlyMap<number, Tracker>;
  /** The router port, when batches are sent (its address is checked first). */
  batchSubmitter: BatchSubmitter | undefined;
  dispatch(records: readonly SettlementRecord[]): Promise<void>;
  /**
   * Signer leases: reconcile only these signers (lower case), the ones whose leases this instance just took, and
   * leave the never-sent rows to the pickup (it claims them). Unset: every signer, and the never-sent rows queued.
   */
  signers?: ReadonlySet<string> | undefined;
};

/**
 * Per network: checks the batch router, seeds the signer lanes, re-sends and tracks every in-flight
 * transaction, starts the tracker, and queues the never-sent rows again.
 *
 * @param parameters - See {@link ReconcileJournalParameters}.
 */
export async function reconcileJournal(parameters: ReconcileJournalParameters): Promise<void> {
  const { networks, store, logger, lanesByChain, trackers, batchSubmitter, dispatch, signers } = parameters;
  const mine = (signer: string) => signers === undefined || signers.has(signer.toLowerCase());
  for (const network of networks) {
    if (batchSubmitter) {
      // Fail fast on a wrong router address; an unreachable RPC only delays the check to the first batch.
      await batchSubmitter.checkRouter(network.client, network.chainId).catch((error: unknown) => {
        if (error instanceof RouterMisconfiguredError || !isTransportError(error)) throw error;
        logger.warn({ network: network.caip2, err: errorSummary(error) }, "cannot check the batch router yet");
      });
    }
    const lanes = (lanesByChain.get(network.chainId) ?? []).filter((lane) => mine(lane.address));
    // Seed every nonce allocator now if the RPC answers; otherwise each lane seeds itself before its
    // first transaction, and the facilitator starts degraded instead of crash-looping.
    await Promise.all(
      lanes.map((lane) =>
        lane.start().catch((error: unknown) => {
          logger.warn({ signer: lane.address, err: errorSummary(error) }, "cannot seed the signer nonce yet");
        }),
      ),
    );
    const tracker = trackers.get(network.chainId) as Tracker;
    // In-flight rows: re-send exactly the persisted bytes, lowest nonce first, then track (I2).
    const inFlight = await store.listByState(inFlightStates, network.chainId);
    const slots = new Map<string, { signer: Address; nonce: number }>();
    for (const r of inFlight) {
      if (r.signer === undefined || r.signerNonce === undefined || !mine(r.signer)) continue;
      slots.set(`${r.signer}:${r.signerNonce}`, { signer: r.signer, nonce: r.signerNonce });
    }
    const ordered = [...slots.values()].sort((a, b) => a.nonce - b.nonce);
    for (const slot of ordered) {
      const lane = lanes.find((l) => l.address.toLowerCase() === slot.signer.toLowerCase());
      const latest = (await store.attemptsForSlot(network.chainId, slot.signer, slot.nonce)).at(-1);
      if (!lane) {
        logger.warn(
          { signer: slot.signer, nonce: slot.nonce },
          "an in-flight transaction belongs to a signer no longer configured; it is tracked but never replaced",
        );
      } else if (!tracker.has(slot)) lane.adopted();
      if (lane && latest) {
        const result = await lane.rebroadcast(latest);
        logger.info(
          { signer: slot.signer, nonce: slot.nonce, hash: latest.hash, result },
          "reconciling a persisted transaction",
        );
      }
      tracker.track({ signer: (lane?.address ?? slot.signer) as Address, nonce: slot.nonce });
    }
    tracker.start();
    // Never-sent rows go back to the queue (expired ones fail truthfully when their turn comes).
    if (signers === undefined) await dispatch(await store.listByState(unsentStates, network.chainId));
  }
}
