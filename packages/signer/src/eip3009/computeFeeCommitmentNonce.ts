import {
  type ComputeFeeCommitmentErrorType,
  type ComputeFeeCommitmentParameters,
  type ComputeFeeCommitmentReturnType,
  computeFeeCommitment,
} from "@x402kit/bindings/router";

/**
 * What the nonce commits to: the router's chain and address, the payee, the fee and the fee recipient,
 * plus a random salt. Same as `@x402kit/bindings/router`'s `ComputeFeeCommitmentParameters`.
 */
export type ComputeFeeCommitmentNonceParameters = ComputeFeeCommitmentParameters;
/** The 32-byte EIP-3009 nonce. */
export type ComputeFeeCommitmentNonceReturnType = ComputeFeeCommitmentReturnType;
/** viem's errors for a malformed address or salt, or an out-of-range number. */
export type ComputeFeeCommitmentNonceErrorType = ComputeFeeCommitmentErrorType;

/**
 * The EIP-3009 nonce of a payment settled through the x402kit batch settlement router's fee mode. It is
 * the router's own commitment, `BatchSettlementRouter.feeCommitment`: the EIP-712 `hashStruct` of
 * `FeeCommitment(uint256 chainId,address router,address payTo,uint256 fee,address feeRecipient,bytes32 salt)`,
 * i.e. `keccak256(abi.encode(FEE_COMMITMENT_TYPEHASH, chainId, router, payTo, fee, feeRecipient, salt))`.
 *
 * The payer signs `ReceiveWithAuthorization(from, to = router, value, validAfter, validBefore, nonce)`: the
 * token's EIP-712 domain binds the token and chain, `to` binds the router (only it can execute a receive
 * authorization), and the nonce binds where the money goes and the fee, so no relayer can change them.
 * The computation itself lives in `@x402kit/bindings/router` (`computeFeeCommitment`), next to the router's
 * packed format; this is the signer's name for it.
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009#use-with-smart-contracts
 * @param parameters - {@link ComputeFeeCommitmentNonceParameters}
 * @returns The nonce to sign.
 * @throws {InvalidAddressError} When an address is malformed (viem).
 * @throws {AbiEncodingBytesSizeMismatchError} When `salt` is not 32 bytes (viem).
 *
 * @example
 * ```ts
 * import { computeFeeCommitmentNonce, createNonce } from "@x402kit/signer";
 * const nonce = computeFeeCommitmentNonce({
 *   chainId: 84532,
 *   router, // the BatchSettlementRouter, also the signed `to`
 *   payTo,
 *   fee: 100n,
 *   feeRecipient,
 *   salt: createNonce(),
 * });
 * ```
 */
export function computeFeeCommitmentNonce(
  parameters: ComputeFeeCommitmentNonceParameters,
): ComputeFeeCommitmentNonceReturnType {
  return computeFeeCommitment(parameters);
}
