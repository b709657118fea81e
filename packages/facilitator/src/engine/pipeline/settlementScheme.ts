// Pipeline: the one interface through which the pipeline asks a scheme about a payment (it never reads a payload).

import type { Address, Hex, TransactionReceipt } from "viem";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { Reason } from "../../domain/reasons.js";
import type { FinalOutcome } from "../../domain/store.js";
import type {
  ExactPayment,
  PaymentRequest,
  SettlementKey,
  SettlementRecord,
  SettleOutcome,
} from "../../domain/types.js";
import type { RouterFailure } from "../../modes/batchSubmitter.js";
import type { VerifyResult } from "../../verify/verifyPayment.js";
import type { NotSettledContext, NotSettledDecision } from "./createTracker.js";

/** A request parsed into a payment on a configured network, or the answer when it is not one. */
export type ParsedRequest =
  | { ok: true; payment: ExactPayment; network: NetworkRuntime }
  | { ok: false; answer: SettleOutcome };

/**
 * A dry run of a batch says the router would skip an item: decided (`final`), sent on its own, tried again
 * later, or kept in the batch (the chain disagrees with the dry run: the receipt decides).
 */
export type SkipDecision =
  | { kind: "final"; outcome: FinalOutcome }
  | { kind: "send-alone" }
  | { kind: "retry-later" }
  | { kind: "keep" };

/** The estimate of a transaction carrying one payment reverted: decided, or tried again later (with the reason seen). */
export type RejectDecision = { final: FinalOutcome } | { again: true; reason: Reason | undefined };

/**
 * What the pipeline (admit → persist → dispatch → track → decide) asks of a payment scheme, stage by stage.
 * The pipeline owns the journal, the lanes, the batcher, the retries and the waits; the scheme owns what a
 * payload means and what the chain says about it.
 */
export type SettlementScheme = {
  /** Admit: parses a request (no chain reads). */
  parse(request: PaymentRequest): ParsedRequest;
  /** `/verify`: the full check of a request; nothing is journaled. */
  verify(request: PaymentRequest): Promise<VerifyResult>;
  /** Admit: the settle-time re-check; an answer when the payment is not to be journaled, `undefined` to admit it. */
  check(payment: ExactPayment, network: NetworkRuntime): Promise<SettleOutcome | undefined>;
  /** Admit: the idempotency key (I3). */
  key(payment: ExactPayment): SettlementKey;
  /** Admit: what makes a payment this payment; one key with two fingerprints is refused. */
  fingerprint(payment: ExactPayment): Hex;
  /** Admit: the refusal of a payment whose key the journal holds with a different payload (`record`). */
  conflict(payment: ExactPayment, record: SettlementRecord): SettleOutcome;
  /** Decide: who pays. */
  payer(payment: ExactPayment): Address;
  /** Dispatch: the call that carries one payment on its own. */
  directCall(payment: ExactPayment): { to: Address; data: Hex };
  /** Dispatch: whether a payment must go on its own, never in a batch. */
  alone(payment: ExactPayment): boolean;
  /** Dispatch: an item a batch's dry run says the router would skip (reads the chain, writes nothing). */
  decideSkipped(network: NetworkRuntime, record: SettlementRecord, failure: RouterFailure): Promise<SkipDecision>;
  /** Dispatch: a payment whose transaction's estimate reverted, nothing signed (reads the chain, writes nothing). */
  decideRejected(network: NetworkRuntime, record: SettlementRecord): Promise<RejectDecision>;
  /** Track: per record, did this mined receipt settle it? */
  settledBy(receipt: TransactionReceipt, records: readonly SettlementRecord[], chainId: number): boolean[];
  /** Track: the outcome of a record its transaction did not settle (reads the chain). */
  notSettled(record: SettlementRecord, context: NotSettledContext): Promise<NotSettledDecision>;
};
