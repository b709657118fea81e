import type { Logger } from "pino";
import type { Address, Hex } from "viem";
import type { SettlementView } from "../facilitator/toSettlementView.js";

/**
 * A `/verify` answer: every verification, valid or not. Fields taken from the request are as sent (the request
 * is untrusted; `nonce` is present only when the payload carried a 32-byte hex `authorization.nonce`).
 */
export type VerifiedEvent = {
  type: "verified";
  /** Unix milliseconds. */
  at: number;
  network: string;
  scheme: string;
  asset: string;
  payTo: string;
  amount: string;
  payer: Address | undefined;
  nonce: Hex | undefined;
  isValid: boolean;
  /** The reason code sent on the wire (`invalidReason`), when invalid. */
  reason: string | undefined;
  message: string | undefined;
  /** Time the verification took, in milliseconds. */
  durationMs: number;
};

/** A `/settle` answer, journaled or not (a payment refused at settle never reaches the journal). */
export type SettleAnsweredEvent = {
  type: "settleAnswered";
  at: number;
  network: string;
  asset: string;
  payTo: string;
  amount: string;
  payer: string;
  nonce: Hex | undefined;
  success: boolean;
  /** The wire `errorReason` (`settlement_pending` is not a failure). */
  reason: string | undefined;
  message: string | undefined;
  transaction: string;
  durationMs: number;
};

/** A journal row changed state (inserted, queued, submitted, replaced, unknown, requeued, confirmed or failed). */
export type SettlementChangedEvent = {
  type: "settlement";
  at: number;
  settlement: SettlementView;
};

/** A settlement transaction of ours was mined (a receipt was read). */
export type TransactionMinedEvent = {
  type: "transactionMined";
  at: number;
  hash: Hex;
  /** `direct`: one `transferWithAuthorization`; `batch`: one router call. */
  kind: "direct" | "batch";
  /** Payments the transaction carried. */
  items: number;
  from: Address;
  to: Address | null;
  status: "success" | "reverted";
  blockNumber: string;
  gasUsed: string;
  effectiveGasPrice: string;
};

/** What {@link FacilitatorEvents} reports. Observations only: nothing a listener does changes a settlement. */
export type FacilitatorEvent = VerifiedEvent | SettleAnsweredEvent | SettlementChangedEvent | TransactionMinedEvent;

/** A listener of {@link FacilitatorEvents}. Called synchronously, off the settlement path; errors are logged. */
export type FacilitatorEventListener = (event: FacilitatorEvent) => void;

/** The facilitator's observer seam (`facilitator.events`). */
export type FacilitatorEvents = {
  /**
   * Registers a listener.
   *
   * @returns A function that removes it.
   */
  subscribe(listener: FacilitatorEventListener): () => void;
  /** Whether anyone listens (events that cost a journal read are only built then). */
  observed(): boolean;
  /** Delivers an event to every listener (used by the facilitator itself). */
  emit(event: FacilitatorEvent): void;
};

/**
 * Creates the event hub of a facilitator. A listener that throws is logged and kept; it never reaches the
 * caller of `emit`, so observation cannot fail a payment.
 *
 * @param parameters - `logger` for listener faults.
 * @returns The hub.
 *
 * @example
 * ```ts
 * const unsubscribe = facilitator.events.subscribe((event) => {
 *   if (event.type === "settlement") console.log(event.settlement.id, event.settlement.status);
 * });
 * ```
 */
export function createFacilitatorEvents(parameters: { logger: Logger }): FacilitatorEvents {
  const listeners = new Set<FacilitatorEventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    observed: () => listeners.size > 0,
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          parameters.logger.warn({ err: error, event: event.type }, "facilitator event listener failed");
        }
      }
    },
  };
}
