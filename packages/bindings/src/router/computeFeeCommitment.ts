import {
  type Address,
  type EncodeAbiParametersErrorType,
  encodeAbiParameters,
  type Hex,
  type Keccak256ErrorType,
  keccak256,
} from "viem";
import { FEE_COMMITMENT_TYPEHASH } from "./feeCommitmentTypes.js";

/** Parameters of {@link computeFeeCommitment}: the split a fee-mode payment commits to. */
export type ComputeFeeCommitmentParameters = {
  /** Chain id of the router's chain. */
  chainId: bigint | number;
  /** The BatchSettlementRouter, which is also the signed `to`. */
  router: Address;
  /** Receives `value - fee`. */
  payTo: Address;
  /** Fee in the token's atomic units, taken out of the signed value. */
  fee: bigint;
  /** Receives the fee. */
  feeRecipient: Address;
  /** 32 random bytes, so that equal splits still give distinct nonces. */
  salt: Hex;
};

/** The 32-byte EIP-3009 nonce to sign. */
export type ComputeFeeCommitmentReturnType = Hex;

/** Errors {@link computeFeeCommitment} throws: viem's, for a malformed address, salt or out-of-range number. */
export type ComputeFeeCommitmentErrorType = EncodeAbiParametersErrorType | Keccak256ErrorType;

/**
 * The EIP-3009 nonce of a fee-mode payment, exactly as `BatchSettlementRouter.feeCommitment` computes it:
 * `keccak256(abi.encode(FEE_COMMITMENT_TYPEHASH, chainId, router, payTo, fee, feeRecipient, salt))`, the EIP-712
 * `hashStruct` of {@link feeCommitmentTypes}'s `FeeCommitment`. The payer signs
 * `ReceiveWithAuthorization(from, to = router, value, validAfter, validBefore, nonce)`: the token's domain binds
 * the token and chain, `to` binds the router, and the nonce binds the payee, the fee and the fee recipient, so
 * nobody can redirect the money or change the fee.
 *
 * @see https://eips.ethereum.org/EIPS/eip-712#definition-of-hashstruct
 * @param parameters - {@link ComputeFeeCommitmentParameters}
 * @returns The nonce.
 * @throws {InvalidAddressError} When an address is malformed (viem).
 * @throws {AbiEncodingBytesSizeMismatchError} When `salt` is not 32 bytes (viem).
 * @throws {IntegerOutOfRangeError} When `chainId` or `fee` is negative or above 2^256 - 1 (viem).
 *
 * @example
 * ```ts
 * import { computeFeeCommitment } from "@x402kit/bindings/router";
 * import { toHex } from "viem";
 *
 * const nonce = computeFeeCommitment({
 *   chainId: 84532,
 *   router: "0x1000000000000000000000000000000000000001",
 *   payTo: "0x2000000000000000000000000000000000000002",
 *   fee: 1000n,
 *   feeRecipient: "0x3000000000000000000000000000000000000003",
 *   salt: toHex(1, { size: 32 }),
 * });
 * // 0xea49826df16298f2e6d817e34e83f7b482b3b3a381c10694dc692f47df4dfed6
 * ```
 */
export function computeFeeCommitment(parameters: ComputeFeeCommitmentParameters): ComputeFeeCommitmentReturnType {
  const { chainId, router, payTo, fee, feeRecipient, salt } = parameters;
  return keccak256(
    encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "uint256" },
        { type: "address" },
        { type: "address" },
        { type: "uint256" },
        { type: "address" },
        { type: "bytes32" },
      ],
      [FEE_COMMITMENT_TYPEHASH, BigInt(chainId), router, payTo, fee, feeRecipient, salt],
    ),
  );
}
