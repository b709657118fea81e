import type { FailureReason } from "@x402kit/bindings/router";
import type { Address, Hex, Log, PublicClient, TransactionReceipt } from "viem";
import type { ExactPayment } from "../domain/types.js";

/** Why the router skipped (or, in a simulation, would skip) an item. */
export type RouterFailure = {
  /** The router's decoded reason. */
  reason: Exclude<FailureReason, "None">;
  /** First four bytes of the token's revert data, when the router reported them (mined items only). */
  errorSelector: Hex | undefined;
};

/** What a mined batch transaction says about one item, by its index in the batch. */
export type BatchItemResult =
  /**
   * The router reports the item settled; `logs` are the token logs of that item alone. The engine still
   * requires the token's own `AuthorizationUsed` and `Transfer` among them.
   */
  | { index: number; status: "settled"; logs: readonly Log[] }
  /** The router skipped the item (per-item isolation). */
  | { index: number; status: "skipped"; failure: RouterFailure };

/** Parameters of {@link BatchSubmitter.simulate}. */
export type SimulateBatchParameters = {
  client: PublicClient;
  /** The router of the chain (`routerAddress`). */
  router: Address;
  /** `msg.sender` of the dry run: the signer that will send the batch. */
  sender: Address;
  /** Calldata from `encode`. */
  data: Hex;
};

/**
 * Port to an on-chain batch settlement router: one transaction carries many `transferWithAuthorization`
 * calls, and a skipped item never reverts the others. The engine builds, persists, signs and tracks the
 * transaction; the submitter encodes the call, dry-runs it, and reads per-item outcomes from a receipt.
 * The implementation is `createRouterSubmitter` (x402kit's BatchSettlementRouter).
 */
export interface BatchSubmitter {
  /** Most payments one batch transaction carries. */
  readonly maxItems: number;
  /** Router address on a chain, or `undefined` when the chain has none (batched mode refuses it). */
  routerAddress(chainId: number): Address | undefined;
  /**
   * Checks that the configured router of a chain is deployed and is the router this submitter speaks to.
   * Throws a `RouterMisconfiguredError` when it is not; transport errors propagate.
   */
  checkRouter(client: PublicClient, chainId: number): Promise<void>;
  /** Calldata of the router call settling these payments, in this order. */
  encode(payments: readonly ExactPayment[]): Hex;
  /**
   * Dry-runs the call (`eth_call` on the latest block): one entry per item, `undefined` for an item that
   * would settle. Resolves `undefined` when the call would revert as a whole; transport errors propagate.
   */
  simulate(parameters: SimulateBatchParameters): Promise<(RouterFailure | undefined)[] | undefined>;
  /**
   * Per-item results of a mined batch transaction, from the router's events (which carry the index and the
   * (token, from, nonce) of each item). Items missing from the result had no router event (a reverted
   * transaction has none).
   */
  decode(receipt: TransactionReceipt, chainId: number): BatchItemResult[];
}
