// Exact scheme: decides a payment whose authorization nonce is used, from the transaction that used it.

import type { TransactionReceipt } from "viem";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { Reason } from "../../domain/reasons.js";
import type { FinalOutcome } from "../../domain/store.js";
import type { ExactPayment } from "../../domain/types.js";
import { findAuthorizationUse, transferredExactly } from "./findAuthorizationUse.js";

/**
 * The outcome of a payment whose nonce is used: confirmed if the transaction that used it paid exactly this
 * payment (front-run, or an earlier transaction of ours), failed otherwise (canceled, or spent elsewhere).
 * When the log search finds no use, the receipt in hand (`mined`) is checked; if it did not pay either, the
 * answer is `undefined`: who used the nonce is not known, so neither outcome can be said truthfully.
 *
 * @param network - The payment's network.
 * @param payment - The payment.
 * @param mined - The receipt in hand, if any.
 * @param lookbackBlocks - Blocks searched for the transaction that used the nonce.
 * @returns The final outcome, or `undefined` when it cannot be said.
 */
export const decideNonceUsed = async (
  network: NetworkRuntime,
  payment: ExactPayment,
  mined: TransactionReceipt | undefined,
  lookbackBlocks: bigint,
): Promise<FinalOutcome | undefined> => {
  const use = await findAuthorizationUse(network, payment, lookbackBlocks);
  if (use.kind === "paid") return { state: "confirmed", txHash: use.txHash, blockNumber: use.blockNumber };
  if (use.kind === "not-found") {
    if (mined?.status === "success" && transferredExactly(mined.logs, payment)) {
      return { state: "confirmed", txHash: mined.transactionHash, blockNumber: mined.blockNumber };
    }
    return undefined;
  }
  const message = use.canceled
    ? `the payer canceled the authorization (transaction ${use.txHash})`
    : `the authorization nonce was used by transaction ${use.txHash}, which did not pay this payment`;
  return { state: "failed", reason: Reason.nonceAlreadyUsed, message, txHash: mined?.transactionHash };
};

/** The answer for a nonce used by a transaction nobody can name, when nothing of ours can carry it any more. */
export const usedElsewhere = (): FinalOutcome => ({
  state: "failed",
  reason: Reason.nonceAlreadyUsed,
  message: "the authorization nonce was used by a transaction this facilitator did not send",
  txHash: undefined,
});
