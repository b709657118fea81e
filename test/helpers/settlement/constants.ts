/**
 * Constants of the BatchSettlementRouter packed format and fee commitment. The Solidity side is
 * `contracts/interfaces/IBatchSettlementRouter.sol`; `test/contracts/settlement/encoding.test.ts` proves they agree.
 */

/** Item flag bit 0: the signature is `length:uint16 ‖ bytes`, sent to the token's `bytes` overload. */
export const FLAG_SIGNATURE_BYTES = 0x01;
/** Item flag bit 1: value (and fee), validAfter and validBefore are 32-byte words instead of 12/12/6/6 bytes. */
export const FLAG_WIDE = 0x02;

/** Largest value (and fee) a narrow item can carry: 2^96 - 1. */
export const MAX_NARROW_AMOUNT = (1n << 96n) - 1n;
/** Largest validAfter / validBefore a narrow item can carry: 2^48 - 1. */
export const MAX_NARROW_TIME = (1n << 48n) - 1n;
/** Most items, and most address-table entries, one batch can hold (uint16 counts and indices). */
export const MAX_BATCH_ENTRIES = 0xffff;

/** EIP-712 types of the fee commitment; `hashStruct(FeeCommitment)` is the nonce a fee-mode payer signs. */
export const feeCommitmentTypes = {
  FeeCommitment: [
    { name: "chainId", type: "uint256" },
    { name: "router", type: "address" },
    { name: "payTo", type: "address" },
    { name: "fee", type: "uint256" },
    { name: "feeRecipient", type: "address" },
    { name: "salt", type: "bytes32" },
  ],
} as const;

/**
 * `keccak256("FeeCommitment(uint256 chainId,address router,address payTo,uint256 fee,address feeRecipient,bytes32 salt)")`.
 */
export const FEE_COMMITMENT_TYPEHASH = "0x2c9d7c90201b05ba941666737535c2e3341bbde3b079df1a8030d4d6e515e260" as const;

/** `IBatchSettlementRouter.FailureReason`, in enum order: a result byte `b` means `failureReasons[b]`. */
export const failureReasons = [
  "None",
  "Other",
  "NotYetValid",
  "Expired",
  "UsedOrCanceled",
  "InvalidSignature",
  "InsufficientBalance",
  "Paused",
  "Blocklisted",
  "GasLimitExceeded",
  "InvalidToken",
  "InvalidPayee",
  "FeeExceedsValue",
  "AmountMismatch",
] as const;

/** A `FailureReason` name; `"None"` means the item settled. */
export type FailureReason = (typeof failureReasons)[number];
