/**
 * The addresses at which the official x402 `batch-settlement` contracts live on every chain they are deployed to
 * (CREATE2, the same on each chain), as the official `@x402/evm` 2.27 SDK hard-codes them: its client signs
 * vouchers and channel ids under the `BATCH_SETTLEMENT_ADDRESS` EIP-712 domain and ERC-3009 deposits to
 * `ERC3009_DEPOSIT_COLLECTOR_ADDRESS` or Permit2 deposits to `PERMIT2_DEPOSIT_COLLECTOR_ADDRESS`, and its
 * facilitator sends every call there. A local chain that runs the official SDK unchanged must therefore have
 * x402kit's `X402BatchSettlement`, `ERC3009DepositCollector` and `Permit2DepositCollector` at these addresses
 * (their runtime code has no immutables, so `hardhat_setCode` with the deployed code is enough).
 */

/** `x402BatchSettlement`, the channel contract (`X402BatchSettlement` in x402kit). */
export const BATCH_SETTLEMENT_ADDRESS = "0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003" as const;

/** The ERC-3009 deposit collector (`ERC3009DepositCollector` in x402kit). */
export const ERC3009_DEPOSIT_COLLECTOR_ADDRESS = "0x4020806089470a89826cB9fB1f4059150b550004" as const;

/** The Permit2 deposit collector (`Permit2DepositCollector` in x402kit). */
export const PERMIT2_DEPOSIT_COLLECTOR_ADDRESS = "0x4020425FAf3B746C082C2f942b4E5159887B0005" as const;
