import { type Address, getAddress, isAddress } from "viem";
import { SchemaValidationError, type SchemaValidationErrorType, type UnknownNetworkErrorType } from "../errors/wire.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import type { SettleResponse } from "../wire/facilitator.js";
import type { CustomV1Networks } from "../wire/networks.js";
import { networkToChainId } from "../wire/networkToChainId.js";
import { ProofOfPayment } from "./schemas.js";

export type ProofOfPaymentFromSettlementParameters = {
  /** A successful x402 `SettleResponse` (e.g. `getPaymentResult({ response }).settlement`). */
  settlement: SettleResponse;
  /** Who was paid (the requirement's `payTo`). */
  payTo: Address;
  /** Extra v1 network names, e.g. `{ localhost: 31337 }`. */
  customV1Networks?: CustomV1Networks | undefined;
};
export type ProofOfPaymentFromSettlementReturnType = ProofOfPayment;
export type ProofOfPaymentFromSettlementErrorType = SchemaValidationErrorType | UnknownNetworkErrorType;

/**
 * Turns an x402 settlement into an ERC-8004 `proofOfPayment`: `fromAddress` = the payer,
 * `toAddress` = `payTo`, `chainId` from the settlement's network (v1 name or CAIP-2), `txHash` = the
 * settlement transaction.
 *
 * @param parameters - {@link ProofOfPaymentFromSettlementParameters}
 * @returns The proof.
 * @throws {SchemaValidationError} When the settlement failed or lacks a payer or transaction hash.
 *
 * @example
 * ```ts
 * import { getPaymentResult } from "@x402kit/signer/fetch";
 * import { proofOfPaymentFromSettlement } from "@x402kit/signer/erc8004";
 * const payment = getPaymentResult({ response });
 * if (payment?.settlement) {
 *   const proof = proofOfPaymentFromSettlement({ settlement: payment.settlement, payTo: payment.option.payTo });
 * }
 * ```
 */
export function proofOfPaymentFromSettlement(
  parameters: ProofOfPaymentFromSettlementParameters,
): ProofOfPaymentFromSettlementReturnType {
  const { settlement, payTo, customV1Networks } = parameters;
  if (!settlement.success) {
    throw new SchemaValidationError({
      schema: "ProofOfPayment",
      issues: [{ path: "settlement.success", message: "the settlement did not succeed" }],
    });
  }
  const payer = settlement.payer ?? "";
  return parseWithSchema(
    ProofOfPayment,
    {
      fromAddress: isAddress(payer, { strict: false }) ? getAddress(payer) : payer,
      toAddress: isAddress(payTo, { strict: false }) ? getAddress(payTo) : payTo,
      chainId: String(networkToChainId({ network: settlement.network, customV1Networks })),
      txHash: settlement.transaction,
    },
    "ProofOfPayment",
  );
}
