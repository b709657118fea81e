// Exact scheme: plugs EIP-3009 `exact` payments into the settlement pipeline through its `SettlementScheme` port
// (Permit2 `exact` and `upto` send their own calls: `src/schemes/permit2/`).

import type { Address } from "viem";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { paymentFingerprint, settlementKey } from "../../domain/fingerprint.js";
import { Reason } from "../../domain/reasons.js";
import type { SettlementRecord } from "../../domain/types.js";
import type { BatchResults } from "../../engine/pipeline/createBatchResults.js";
import type { Retries } from "../../engine/pipeline/createRetries.js";
import type { SettlementScheme } from "../../engine/pipeline/settlementScheme.js";
import { directCall, needsWalletDeployment } from "../../modes/encodeDirectTransfer.js";
import { type ChainCheckMode, checkPayment, parsePayment, type VerifyContext } from "../../verify/verifyPayment.js";
import { checkAdmission } from "./checkAdmission.js";
import { decideNotSettled } from "./decideNotSettled.js";
import { decideRejected } from "./decideRejected.js";
import { decideSkipped } from "./decideSkipped.js";
import { settledBy } from "./settledBy.js";

/** Parameters of {@link createExactScheme}. */
export type CreateExactSchemeParameters = {
  verifyContext: VerifyContext;
  /** Chain re-check at settle before the payment is admitted. */
  settleChainCheck: ChainCheckMode;
  /** Blocks searched for the transaction that used a nonce we did not use. */
  lookbackBlocks: bigint;
  /** The network of a journal record (throws when its chain is not configured). */
  networkOf(record: SettlementRecord): NetworkRuntime;
  batchResults: BatchResults;
  retries: Pick<Retries, "count" | "sendAs">;
};

/**
 * Creates the `exact` (EIP-3009 `transferWithAuthorization`) scheme of the settlement pipeline.
 *
 * @param parameters - See {@link CreateExactSchemeParameters}.
 * @returns A {@link SettlementScheme}.
 */
export function createExactScheme(parameters: CreateExactSchemeParameters): SettlementScheme {
  const { verifyContext, settleChainCheck, lookbackBlocks, networkOf, batchResults, retries } = parameters;
  return {
    parse(request) {
      const parsed = parsePayment(verifyContext, request);
      if (parsed.ok) return parsed;
      return {
        ok: false,
        answer: {
          status: "failed",
          payer: parsed.payer as Address,
          reason: parsed.reason,
          message: parsed.message,
          txHash: undefined,
        },
      };
    },

    async verify(request) {
      const parsed = parsePayment(verifyContext, request);
      if (!parsed.ok) return { isValid: false, payer: parsed.payer, reason: parsed.reason, message: parsed.message };
      return checkPayment(verifyContext, parsed.payment, parsed.network);
    },

    check: (payment, network) =>
      checkAdmission({ verifyContext, chainCheck: settleChainCheck, lookbackBlocks }, payment, network),
    key: settlementKey,
    fingerprint: paymentFingerprint,

    conflict: (payment, record) => ({
      status: "failed",
      payer: payment.authorization.from,
      reason: Reason.duplicateSettlement,
      message: `authorization nonce ${payment.authorization.nonce} of ${payment.authorization.from} was already presented with a different payload (settlement ${record.id})`,
      txHash: undefined,
    }),

    payer: (payment) => payment.authorization.from,
    directCall,
    // A counterfactual wallet's payment deploys it in the same transaction: it goes on its own, not in a batch.
    alone: needsWalletDeployment,
    decideSkipped: (network, record, failure) => decideSkipped(network, record, failure, lookbackBlocks),
    decideRejected: (network, record) => decideRejected(network, record, lookbackBlocks),
    settledBy: (receipt, records, chainId) => settledBy(receipt, records, chainId, batchResults),

    async notSettled(record, context) {
      return decideNotSettled({ network: networkOf(record), record, context, lookbackBlocks, batchResults, retries });
    },
  };
}
