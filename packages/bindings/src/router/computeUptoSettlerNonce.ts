import {
  type Address,
  type EncodeAbiParametersErrorType,
  encodeAbiParameters,
  type Hex,
  type Keccak256ErrorType,
  keccak256,
} from "viem";
import { UPTO_SETTLER_TYPEHASH } from "./uptoSettlerTypes.js";

/** Parameters of {@link computeUptoSettlerNonce}: who may settle an `upto` payment through the router. */
export type ComputeUptoSettlerNonceParameters = {
  /** Chain id of the router's chain. */
  chainId: bigint | number;
  /** The BatchSettlementRouter, which is also the signed `witness.facilitator`. */
  router: Address;
  /** The one account that may call `settlePermit2` for this payment (the facilitator's signer). */
  settler: Address;
  /** 32 random bytes, so that each payment gets its own nonce. */
  salt: Hex;
};

/** The Permit2 nonce to sign (a uint256). */
export type ComputeUptoSettlerNonceReturnType = bigint;

/** Errors {@link computeUptoSettlerNonce} throws: viem's, for a malformed address, salt or out-of-range chain id. */
export type ComputeUptoSettlerNonceErrorType = EncodeAbiParametersErrorType | Keccak256ErrorType;

/**
 * The Permit2 nonce of an x402 `upto` payment settled through `BatchSettlementRouter.settlePermit2`, exactly as the
 * router's `uptoSettlerNonce` computes it: `uint256(keccak256(abi.encode(UPTO_SETTLER_TYPEHASH, chainId, router,
 * settler, salt)))`, the EIP-712 `hashStruct` of {@link uptoSettlerTypes}'s `UptoSettler`. The payer signs the upto
 * `PermitWitnessTransferFrom` with `witness.facilitator = router` and this nonce; the upto proxy then accepts it only
 * from the router, and the router only from `settler`, who alone picks the amount (up to the signed maximum).
 *
 * @see https://eips.ethereum.org/EIPS/eip-712#definition-of-hashstruct
 * @param parameters - {@link ComputeUptoSettlerNonceParameters}
 * @returns The nonce.
 * @throws {InvalidAddressError} When an address is malformed (viem).
 * @throws {AbiEncodingBytesSizeMismatchError} When `salt` is not 32 bytes (viem).
 * @throws {IntegerOutOfRangeError} When `chainId` is negative or above 2^256 - 1 (viem).
 *
 * @example
 * ```ts
 * import { computeUptoSettlerNonce } from "@x402kit/bindings/router";
 * import { toHex } from "viem";
 *
 * const nonce = computeUptoSettlerNonce({
 *   chainId: 84532,
 *   router: "0x1000000000000000000000000000000000000001",
 *   settler: "0x2000000000000000000000000000000000000002",
 *   salt: toHex(1, { size: 32 }),
 * });
 * // 0xed782cb7c8789f1b7add5f672c939b1afc3bf0cfd901b34394a15de989f58ca1n
 * ```
 */
export function computeUptoSettlerNonce(
  parameters: ComputeUptoSettlerNonceParameters,
): ComputeUptoSettlerNonceReturnType {
  const { chainId, router, settler, salt } = parameters;
  return BigInt(
    keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "uint256" }, { type: "address" }, { type: "address" }, { type: "bytes32" }],
        [UPTO_SETTLER_TYPEHASH, BigInt(chainId), router, settler, salt],
      ),
    ),
  );
}
