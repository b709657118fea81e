import type { Address } from "viem";
import type { Eip3009Domain } from "../eip3009/types.js";
import type { PaymentRequirementsV1, PaymentRequirementsV2 } from "../wire/paymentRequirements.js";

/**
 * One payable entry of a `PaymentRequired.accepts`, normalised across x402 versions: what a spending
 * policy needs to decide, and what signing needs.
 */
export type PaymentOption = {
  /** Index in `accepts`. */
  index: number;
  /** The scheme: `exact`, or `batch-settlement` (v2 only, when asked for). */
  scheme: "exact" | "batch-settlement";
  /** Protocol version of the `PaymentRequired` it came from. */
  x402Version: 1 | 2;
  /** The entry exactly as the server sent it (echoed verbatim as v2 `accepted`). */
  requirements: PaymentRequirementsV1 | PaymentRequirementsV2;
  /** CAIP-2 network id (`eip155:<chainId>`), also for v1 names. */
  network: `eip155:${number}`;
  /** EIP-155 chain id. */
  chainId: number;
  /** Token address. */
  asset: Address;
  /** Recipient. */
  payTo: Address;
  /** Exact amount in atomic token units (`amount` in v2, `maxAmountRequired` in v1). */
  amount: bigint;
  /** Seconds the authorization stays valid. */
  maxTimeoutSeconds: number;
  /** The token's EIP-712 domain, from `extra.name` / `extra.version`. */
  domain: Eip3009Domain;
};
