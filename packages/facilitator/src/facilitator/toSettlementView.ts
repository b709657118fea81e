import type { Address } from "viem";
import { reasonCode } from "../domain/reasons.js";
import type { SettlementRecord } from "../domain/types.js";

/** The public view of one settlement (`GET /settlements/:id`, and the `settlement` event). */
export type SettlementView = {
  id: string;
  status: SettlementRecord["state"];
  network: string;
  asset: Address;
  payer: Address;
  payTo: Address;
  amount: string;
  nonce: string;
  transaction: string;
  signer: string | undefined;
  signerNonce: number | undefined;
  errorReason: string | undefined;
  errorMessage: string | undefined;
  blockNumber: string | undefined;
  createdAt: string;
  updatedAt: string;
};

/**
 * Renders a journal row as its public view; reasons are spelled for the x402 version the payment came in.
 *
 * @param record - The journal row.
 * @param caip2 - The CAIP-2 id of the record's chain, when the facilitator serves it.
 * @returns The view.
 */
export function toSettlementView(record: SettlementRecord, caip2: string | undefined): SettlementView {
  return {
    id: record.id,
    status: record.state,
    network: caip2 ?? `eip155:${record.key.chainId}`,
    asset: record.payment.asset,
    payer: record.payment.authorization.from,
    payTo: record.payTo,
    amount: record.amount.toString(),
    nonce: record.payment.authorization.nonce,
    transaction: record.txHash ?? "",
    signer: record.signer,
    signerNonce: record.signerNonce,
    errorReason: record.reason ? reasonCode(record.reason, record.x402Version) : undefined,
    errorMessage: record.message,
    blockNumber: record.blockNumber?.toString(),
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}
