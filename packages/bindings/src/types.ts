import type { Address } from "viem";

/**
 * The addresses of one x402kit deployment: the contracts an integrator talks to. The ERC-8004
 * registries are their proxies' addresses (the implementations sit behind them).
 */
export type X402KitAddresses = {
  /** `TestUSDC`: the EIP-3009 test stablecoin. */
  readonly testUsdc: Address;
  /** `BatchSettlementRouter`: settles many EIP-3009 authorizations in one transaction. */
  readonly batchSettlementRouter: Address;
  /** ERC-8004 `IdentityRegistry` (UUPS proxy). */
  readonly identityRegistry: Address;
  /** ERC-8004 `ReputationRegistry` (UUPS proxy), wired to the identity registry. */
  readonly reputationRegistry: Address;
  /** ERC-8004 `ValidationRegistry` (UUPS proxy), wired to the identity registry. */
  readonly validationRegistry: Address;
};

/** The name of one contract of a deployment: a key of {@link X402KitAddresses}. */
export type X402KitContractName = keyof X402KitAddresses;
