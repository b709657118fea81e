import { InvalidTransitionError } from "./errors.js";
import type { SettlementState } from "./types.js";

/**
 * Allowed moves of a settlement. The store refuses any other (a bug, never data).
 *
 * - Nothing leaves `confirmed` or `failed`.
 * - `submitted → queued` and `unknown → queued` are allowed only once I2 holds: no transaction carrying
 *   the payment can still be mined (its account nonce is taken by another mined transaction, or it was
 *   never accepted by the node). The engine is the only caller and checks it first.
 * - `submitted → submitted` records a replacement (same nonce, same calldata, higher fee).
 */
export const transitions: Readonly<Record<SettlementState, readonly SettlementState[]>> = {
  received: ["queued", "failed"],
  queued: ["queued", "submitted", "failed"],
  submitted: ["submitted", "unknown", "queued", "confirmed", "failed"],
  unknown: ["submitted", "unknown", "queued", "confirmed", "failed"],
  confirmed: [],
  failed: [],
};

/** States a settlement can be in before anything carrying it was signed. */
export const unsentStates: readonly SettlementState[] = ["received", "queued"];
/** States in which a transaction carrying the settlement may be on the network. */
export const inFlightStates: readonly SettlementState[] = ["submitted", "unknown"];
/** States that never change again. */
export const terminalStates: readonly SettlementState[] = ["confirmed", "failed"];

/**
 * Whether a settlement may move from one state to another.
 *
 * @param from - Current state.
 * @param to - Wanted state.
 * @returns `true` when the move is allowed.
 */
export function canTransition(from: SettlementState, to: SettlementState): boolean {
  return transitions[from].includes(to);
}

/**
 * Throws unless a settlement may move from one state to another.
 *
 * @param id - Settlement id, for the message.
 * @param from - Current state.
 * @param to - Wanted state.
 */
export function assertTransition(id: string, from: SettlementState, to: SettlementState): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError({ id, from, to });
}

/** States from which a move to `to` is allowed. */
export function statesLeadingTo(to: SettlementState): SettlementState[] {
  return (Object.keys(transitions) as SettlementState[]).filter((from) => canTransition(from, to));
}
