import type { Address, Hex } from "viem";
import { encodeAbiParameters, keccak256 } from "viem";
import { FEE_COMMITMENT_TYPEHASH } from "./constants.js";

export type ComputeFeeCommitmentParameters = {
  /** Chain id of the router's chain. */
  chainId: bigint | number;
  /** The BatchSettlementRouter (also the signed `to`). */
  router: Address;
  /** Receives `value - fee`. */
  payTo: Address;
  /** Fee in atomic units, at most the signed value. */
  fee: bigint;
  /** Receives the fee. */
  feeRecipient: Address;
  /** 32 random bytes. */
  salt: Hex;
};

/**
 * The EIP-3009 nonce of a fee-mode payment, as `BatchSettlementRouter.feeCommitment` computes it:
 * `keccak256(abi.encode(FEE_COMMITMENT_TYPEHASH, chainId, router, payTo, fee, feeRecipient, salt))`, which is the
 * EIP-712 `hashStruct` of {@link feeCommitmentTypes}'s `FeeCommitment`.
 *
 * @param parameters - {@link ComputeFeeCommitmentParameters}
 * @returns The 32-byte nonce to sign in `ReceiveWithAuthorization`.
 */
export function computeFeeCommitment(parameters: ComputeFeeCommitmentParameters): Hex {
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
