import { type Address, getAddress, type Hex, isAddress, type TypedDataDomain } from "viem";
import { InvalidAuthorizationError, type InvalidAuthorizationErrorType } from "../errors/signer.js";
import {
  cancelAuthorizationTypes,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "./constants.js";
import type { AuthorizationMessage, AuthorizationPrimaryType, Eip3009Domain } from "./types.js";

const MAX_UINT256 = 2n ** 256n - 1n;

export type BuildAuthorizationTypedDataParameters<primaryType extends AuthorizationPrimaryType> = {
  /** Which EIP-3009 struct to build. */
  primaryType: primaryType;
  /** The token's EIP-712 domain. */
  domain: Eip3009Domain;
  /** The struct's fields. */
  message: AuthorizationMessage<primaryType>;
};

export type BuildAuthorizationTypedDataReturnType<primaryType extends AuthorizationPrimaryType> = {
  domain: TypedDataDomain & { name: string; version: string; chainId: number; verifyingContract: Address };
  types: primaryType extends "TransferWithAuthorization"
    ? typeof transferWithAuthorizationTypes
    : primaryType extends "ReceiveWithAuthorization"
      ? typeof receiveWithAuthorizationTypes
      : typeof cancelAuthorizationTypes;
  primaryType: primaryType;
  message: AuthorizationMessage<primaryType>;
};

export type BuildAuthorizationTypedDataErrorType = InvalidAuthorizationErrorType;

/**
 * Builds the EIP-712 typed data of an EIP-3009 authorization from the one source of truth for its
 * types (`./constants.ts`), checking what the types cannot: address formats, uint256 ranges, a
 * 32-byte nonce and a non-empty validity window (`validBefore > validAfter`). Addresses are
 * checksummed.
 *
 * @see https://eips.ethereum.org/EIPS/eip-3009
 * @param parameters - {@link BuildAuthorizationTypedDataParameters}
 * @returns Typed data ready for viem's `signTypedData` / `hashTypedData`.
 * @throws {InvalidAuthorizationError} When a field is out of range or malformed.
 *
 * @example
 * ```ts
 * import { hashTypedData } from "viem";
 * import { buildAuthorizationTypedData, createNonce } from "@x402kit/signer";
 * const typedData = buildAuthorizationTypedData({
 *   primaryType: "TransferWithAuthorization",
 *   domain: { name: "USD Coin", version: "2", chainId: 8453,
 *     verifyingContract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" },
 *   message: { from, to, value: 10_000n, validAfter: 0n, validBefore: 1_900_000_000n, nonce: createNonce() },
 * });
 * const digest = hashTypedData(typedData);
 * ```
 */
export function buildAuthorizationTypedData<const primaryType extends AuthorizationPrimaryType>(
  parameters: BuildAuthorizationTypedDataParameters<primaryType>,
): BuildAuthorizationTypedDataReturnType<primaryType> {
  const { primaryType, domain } = parameters;
  const domainOut = {
    name: domain.name,
    version: domain.version,
    chainId: toChainId(domain.chainId),
    verifyingContract: toAddress(domain.verifyingContract, "domain.verifyingContract"),
  };
  if (primaryType === "CancelAuthorization") {
    const message = parameters.message as AuthorizationMessage<"CancelAuthorization">;
    return {
      domain: domainOut,
      types: cancelAuthorizationTypes,
      primaryType,
      message: { authorizer: toAddress(message.authorizer, "authorizer"), nonce: toNonce(message.nonce) },
    } as BuildAuthorizationTypedDataReturnType<primaryType>;
  }
  const message = parameters.message as AuthorizationMessage<"TransferWithAuthorization">;
  const value = toUint256(message.value, "value");
  const validAfter = toUint256(message.validAfter, "validAfter");
  const validBefore = toUint256(message.validBefore, "validBefore");
  if (validBefore <= validAfter) {
    throw new InvalidAuthorizationError({
      reason: `validBefore (${validBefore}) must be greater than validAfter (${validAfter})`,
    });
  }
  return {
    domain: domainOut,
    types: primaryType === "TransferWithAuthorization" ? transferWithAuthorizationTypes : receiveWithAuthorizationTypes,
    primaryType,
    message: {
      from: toAddress(message.from, "from"),
      to: toAddress(message.to, "to"),
      value,
      validAfter,
      validBefore,
      nonce: toNonce(message.nonce),
    },
  } as BuildAuthorizationTypedDataReturnType<primaryType>;
}

function toAddress(value: string, field: string): Address {
  if (!isAddress(value, { strict: false }))
    throw new InvalidAuthorizationError({ reason: `${field} is not an address` });
  return getAddress(value);
}

function toUint256(value: bigint, field: string): bigint {
  if (typeof value !== "bigint" || value < 0n || value > MAX_UINT256) {
    throw new InvalidAuthorizationError({ reason: `${field} must be a uint256 bigint` });
  }
  return value;
}

function toNonce(value: Hex): Hex {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new InvalidAuthorizationError({ reason: "nonce must be 32 bytes of hex" });
  }
  return value;
}

function toChainId(value: number | bigint): number {
  const chainId = Number(value);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new InvalidAuthorizationError({ reason: "domain.chainId must be a positive safe integer" });
  }
  return chainId;
}
