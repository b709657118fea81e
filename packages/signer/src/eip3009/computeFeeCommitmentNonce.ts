import { type Address, encodeAbiParameters, type Hex, keccak256 } from "viem";

/**
 * ABI layout of the settlement router's fee commitment, hashed into the EIP-3009 nonce:
 * `keccak256(abi.encode(address payTo, uint256 fee, address feeRecipient, bytes32 salt))`.
 *
 * The payer signs `ReceiveWithAuthorization(from, to = router, value, validAfter, validBefore,
 * nonce = commitment)`. The token's EIP-712 domain binds chain and token, `to` binds the router, and
 * the nonce binds where the money goes and the fee, so a relayer cannot change them. If the router's
 * commitment changes, change this table (and the Solidity side's parity test) — nothing else.
 */
export const FEE_COMMITMENT_ABI_PARAMETERS = [
  { name: "payTo", type: "address" },
  { name: "fee", type: "uint256" },
  { name: "feeRecipient", type: "address" },
  { name: "salt", type: "bytes32" },
] as const;

export type ComputeFeeCommitmentNonceParameters = {
  /** Who receives `value − fee`. */
  payTo: Address;
  /** Fee in atomic token units, taken out of `value`. */
  fee: bigint;
  /** Who receives the fee. */
  feeRecipient: Address;
  /** 32 random bytes, so equal commitments still give distinct nonces (use `createNonce()`). */
  salt: Hex;
};
export type ComputeFeeCommitmentNonceReturnType = Hex;

/**
 * The EIP-3009 nonce that commits a payment routed through the settlement router's fee mode to its
 * payee, fee and fee recipient. See {@link FEE_COMMITMENT_ABI_PARAMETERS} for the exact encoding.
 *
 * @param parameters - {@link ComputeFeeCommitmentNonceParameters}
 * @returns The 32-byte nonce.
 *
 * @example
 * ```ts
 * import { computeFeeCommitmentNonce, createNonce } from "@x402kit/signer";
 * const nonce = computeFeeCommitmentNonce({ payTo, fee: 100n, feeRecipient, salt: createNonce() });
 * ```
 */
export function computeFeeCommitmentNonce(
  parameters: ComputeFeeCommitmentNonceParameters,
): ComputeFeeCommitmentNonceReturnType {
  const { payTo, fee, feeRecipient, salt } = parameters;
  return keccak256(encodeAbiParameters(FEE_COMMITMENT_ABI_PARAMETERS, [payTo, fee, feeRecipient, salt]));
}
