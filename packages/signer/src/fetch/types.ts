import type { Address } from "viem";

/** A cap on the total paid in one asset during any window of `windowSeconds`. */
export type Budget = {
  /** Most that may be spent in the window, in atomic units. */
  amount: bigint;
  /** Length of the sliding window, in seconds (e.g. 3600 for "per hour"). */
  windowSeconds: number;
};

/** What may be paid in one asset. */
export type AssetPolicy = {
  /** Network of the asset: CAIP-2 (`eip155:8453`) or a v1 name (`base`). */
  network: string;
  /** Token address. */
  asset: Address;
  /** Largest single payment, in atomic units. Omit for no per-request cap. */
  maxAmountPerRequest?: bigint | undefined;
  /**
   * Largest deposit into one `batch-settlement` channel (funds committed to the payee's channel, refundable later),
   * in atomic units. Defaults to 5 × `maxAmountPerRequest` (`DEFAULT_DEPOSIT_MULTIPLIER`); with neither, only the
   * budgets cap it.
   */
  maxDeposit?: bigint | undefined;
  /** Spending caps over sliding windows, all enforced. */
  budgets?: readonly Budget[] | undefined;
};

/**
 * What a paying client may pay. Default-deny for assets: only listed assets are paid, because an
 * amount in atomic units means nothing without its token.
 */
export type SpendingPolicy = {
  /** Assets that may be paid, with their caps. */
  assets: readonly AssetPolicy[];
  /** Networks that may be paid on (CAIP-2 or v1 names). Omit to allow the networks of `assets`. */
  networks?: readonly string[] | undefined;
  /** Recipients (`payTo`) that may be paid. Omit to allow any. */
  payees?: readonly Address[] | undefined;
};
