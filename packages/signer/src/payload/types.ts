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
  /** The scheme: `exact`, or (v2 only, when asked for) `upto` or `batch-settlement`. */
  scheme: "exact" | "upto" | "batch-settlement";
  /**
   * How the token moves: `eip3009` (`transferWithAuthorization` / `receiveWithAuthorization`), or `permit2` (any
   * ERC-20 through Uniswap's Permit2 and the x402 proxies: `exact` with `extra.assetTransferMethod: "permit2"`, and
   * every `upto`). Permit2 options are offered only when asked for.
   */
  assetTransferMethod: "eip3009" | "permit2";
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
  /**
   * Amount in atomic token units (`amount` in v2, `maxAmountRequired` in v1): exact, or for `upto` the maximum the
   * payer signs (what a spending policy counts; the server may charge less).
   */
  amount: bigint;
  /** Seconds the authorization stays valid. */
  maxTimeoutSeconds: number;
  /** The token's EIP-712 domain, from `extra.name` / `extra.version`; `undefined` for Permit2 options. */
  domain: Eip3009Domain | undefined;
};
