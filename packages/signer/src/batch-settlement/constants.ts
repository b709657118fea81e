import type { Address } from "viem";

/** The scheme name in x402 requirements. */
export const BATCH_SETTLEMENT_SCHEME = "batch-settlement";

/** x402's `BatchSettlement` contract, the channels' home and the EIP-712 verifying contract of vouchers. */
export const BATCH_SETTLEMENT_ADDRESS: Address = "0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003";

/** The ERC-3009 deposit collector: the `to` of a deposit's `receiveWithAuthorization`. */
export const ERC3009_DEPOSIT_COLLECTOR_ADDRESS: Address = "0x4020806089470a89826cB9fB1f4059150b550004";

/** Shortest withdraw delay (seconds) the contract accepts; the official client's default. */
export const MIN_WITHDRAW_DELAY = 900;

/** Longest withdraw delay (seconds) the contract accepts. */
export const MAX_WITHDRAW_DELAY = 2_592_000;

/** The all-zero salt the official client uses when none is configured. */
export const DEFAULT_CHANNEL_SALT = "0x0000000000000000000000000000000000000000000000000000000000000000" as const;

/** Name and version of the batch-settlement EIP-712 domain (chain id and contract are added per chain). */
export const BATCH_SETTLEMENT_DOMAIN = { name: "x402 Batch Settlement", version: "1" } as const;

/** EIP-712 type of a channel's configuration; its struct hash under the domain is the channel id. */
export const channelConfigTypes = {
  ChannelConfig: [
    { name: "payer", type: "address" },
    { name: "payerAuthorizer", type: "address" },
    { name: "receiver", type: "address" },
    { name: "receiverAuthorizer", type: "address" },
    { name: "token", type: "address" },
    { name: "withdrawDelay", type: "uint40" },
    { name: "salt", type: "bytes32" },
  ],
} as const;

/** EIP-712 type of a voucher: the cumulative ceiling the receiver may claim from the channel. */
export const voucherTypes = {
  Voucher: [
    { name: "channelId", type: "bytes32" },
    { name: "maxClaimableAmount", type: "uint128" },
  ],
} as const;

/** EIP-712 type of a refund request. */
export const refundTypes = {
  Refund: [
    { name: "channelId", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "amount", type: "uint128" },
  ],
} as const;

/**
 * The official server's `PaymentRequired.error` when a voucher's base is not its charged total (a corrective 402,
 * with `extra.channelState` and `extra.voucherState` on the `batch-settlement` requirement).
 */
export const CUMULATIVE_AMOUNT_MISMATCH = "invalid_batch_settlement_evm_cumulative_amount_mismatch";

/** Largest uint128, the bound of a voucher's `maxClaimableAmount`. */
export const MAX_UINT128 = 2n ** 128n - 1n;
