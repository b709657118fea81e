/**
 * EIP-712 types of the router's fee commitment. `hashStruct(FeeCommitment)` is the EIP-3009 nonce a fee-mode
 * payer signs (see {@link computeFeeCommitment}); it binds the chain, the router, the payee, the fee and the fee
 * recipient.
 *
 * @example
 * ```ts
 * import { hashStruct } from "viem";
 * import { feeCommitmentTypes } from "@x402kit/bindings/router";
 * const nonce = hashStruct({ types: feeCommitmentTypes, primaryType: "FeeCommitment", data: commitment });
 * ```
 */
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
 * `keccak256("FeeCommitment(uint256 chainId,address router,address payTo,uint256 fee,address feeRecipient,bytes32 salt)")`,
 * the router's `FEE_COMMITMENT_TYPEHASH`.
 */
export const FEE_COMMITMENT_TYPEHASH = "0x2c9d7c90201b05ba941666737535c2e3341bbde3b079df1a8030d4d6e515e260" as const;
