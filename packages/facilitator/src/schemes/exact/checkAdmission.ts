// Exact scheme: the settle-time re-check of an EIP-3009 payment before it is admitted into the journal.

import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { Reason } from "../../domain/reasons.js";
import type { ExactPayment, SettleOutcome } from "../../domain/types.js";
import { type ChainCheckMode, checkPayment, type VerifyContext } from "../../verify/verifyPayment.js";
import { findAuthorizationUse } from "./findAuthorizationUse.js";

/** Parameters of {@link checkAdmission}. */
export type CheckAdmissionParameters = {
  verifyContext: VerifyContext;
  /** Chain re-check at settle before the payment is admitted. */
  chainCheck: ChainCheckMode;
  /** Blocks searched for the transaction that used a nonce we did not use. */
  lookbackBlocks: bigint;
};

/**
 * Re-checks a payment at settle.
 *
 * @param parameters - See {@link CheckAdmissionParameters}.
 * @param payment - The parsed payment.
 * @param network - Its network.
 * @returns The answer when it is not to be journaled (invalid, or settled by someone else), `undefined` to admit it.
 */
export const checkAdmission = async (
  parameters: CheckAdmissionParameters,
  payment: ExactPayment,
  network: NetworkRuntime,
): Promise<SettleOutcome | undefined> => {
  const { verifyContext, chainCheck, lookbackBlocks } = parameters;
  const checked = await checkPayment(verifyContext, payment, network, { chainCheck });
  if (!checked.isValid && checked.reason === Reason.nonceAlreadyUsed) {
    // Used before we ever saw it: if that transaction paid exactly this payment, the payment happened.
    const use = await findAuthorizationUse(network, payment, lookbackBlocks);
    if (use.kind === "paid") {
      return {
        status: "confirmed",
        payer: payment.authorization.from,
        txHash: use.txHash,
        blockNumber: use.blockNumber,
      };
    }
  }
  if (!checked.isValid) {
    return {
      status: "failed",
      payer: payment.authorization.from,
      reason: checked.reason,
      message: checked.message,
      txHash: undefined,
    };
  }
  return undefined;
};
