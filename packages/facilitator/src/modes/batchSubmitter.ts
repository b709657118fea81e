import type { Address, Hex, TransactionReceipt } from "viem";
import type { ExactPayment } from "../domain/types.js";

/** What a batch receipt says about one item, by its index in the batch. */
export type BatchItemResult =
  /** The router reports the item settled (the engine still requires the token's own events). */
  | { index: number; status: "settled" }
  /** The router skipped the item (per-item isolation); `reason` is the router's word for why. */
  | { index: number; status: "skipped"; reason: string | undefined };

/**
 * Port to an on-chain batch settlement router: one transaction carries many `transferWithAuthorization`
 * calls, and a skipped item never reverts the others. The engine builds, persists, signs and tracks
 * the transaction; the submitter only encodes the call and decodes the per-item events of a receipt.
 */
export interface BatchSubmitter {
  /** Most payments one batch transaction carries. */
  readonly maxItems: number;
  /** Router address on a chain, or `undefined` when the chain has none (batched mode refuses it). */
  routerAddress(chainId: number): Address | undefined;
  /** Calldata of the router call settling these payments, in this order. */
  encode(payments: readonly ExactPayment[]): Hex;
  /**
   * Per-item results of a mined batch transaction, from the router's settled and failure events (which
   * carry the index and the (token, from, nonce) of each item).
   */
  decode(receipt: TransactionReceipt): BatchItemResult[];
}
