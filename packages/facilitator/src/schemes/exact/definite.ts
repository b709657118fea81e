// Exact scheme: whether a diagnosis of a payment is a fact no later attempt can change.

import { Reason } from "../../domain/reasons.js";

/**
 * Whether a diagnosis is a fact that no later attempt can change. `validAfter` is not: the chain's clock
 * catches up with ours (verify accepted it by ours).
 *
 * @param diagnosis - What `diagnose` found, if anything.
 * @returns Whether it is definite.
 */
export const definite = (diagnosis: { reason: Reason; transient?: true } | undefined): boolean =>
  diagnosis !== undefined && diagnosis.reason !== Reason.validAfter && diagnosis.transient !== true;
