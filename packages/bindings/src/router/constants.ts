/**
 * Constants of the BatchSettlementRouter packed batch format. The Solidity side is
 * `contracts/interfaces/IBatchSettlementRouter.sol` (the format) and `contracts/settlement/BatchSettlementRouter.sol`;
 * the root contract tests run batches encoded with these against the router.
 */

/** Item flag bit 0: the signature is `length:uint16 ‖ bytes`, sent to the token's `bytes` overload. */
export const FLAG_SIGNATURE_BYTES = 0x01;

/** Item flag bit 1: value (and fee), validAfter and validBefore are 32-byte words instead of 12/12/6/6 bytes. */
export const FLAG_WIDE = 0x02;

/** Largest value (and fee) a narrow item carries: 2^96 - 1. */
export const MAX_NARROW_AMOUNT: bigint = (1n << 96n) - 1n;

/** Largest validAfter / validBefore a narrow item carries: 2^48 - 1. */
export const MAX_NARROW_TIME: bigint = (1n << 48n) - 1n;

/** Most items, and most address-table entries, one batch holds (uint16 counts and indices). */
export const MAX_BATCH_ENTRIES = 0xffff;

/**
 * The `itemGasLimit` the router's NatSpec recommends: an EOA payment's token call needs about 38k gas against
 * TestUSDC and 45k against USDC, and 150,000 leaves room for ordinary ERC-1271 smart wallets while bounding what
 * a gas-burning wallet can cost the batch.
 */
export const RECOMMENDED_ITEM_GAS_LIMIT = 150_000n;

/**
 * Gas the router keeps in hand before each item beyond `itemGasLimit` (its `ITEM_GAS_RESERVE`): with the
 * EIP-150 63/64 rule, at least `itemGasLimit + itemGasLimit / 63 + ITEM_GAS_RESERVE` must be left before an item,
 * or the whole call reverts with `BatchSettlementInsufficientGas`.
 */
export const ITEM_GAS_RESERVE = 10_000n;
