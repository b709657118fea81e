/**
 * Tiny EIP-712 signing helpers for the TestUSDC flows, built on viem's `signTypedData` and the EIP-3009
 * type tables of `@x402kit/signer` (imported from its source, so contract and SDK share one definition).
 * A later signer package replaces this file.
 */
import type { Address, Hex, LocalAccount, TypedDataDomain } from "viem";
import { keccak256, parseSignature, toHex } from "viem";
import {
  cancelAuthorizationTypes,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "../../packages/signer/src/eip3009/constants.js";

/** An EIP-3009 transfer or receive authorization, as signed. */
export type Authorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

/** EIP-2612 `Permit` types (not part of the EIP-3009 tables). */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The EIP-712 domain of a TestUSDC deployment (Base Sepolia USDC's name and version by default). */
export function tokenDomain(
  verifyingContract: Address,
  chainId: number,
  name = "USDC",
  version = "2",
): TypedDataDomain & { verifyingContract: Address } {
  return { name, version, chainId, verifyingContract };
}

/** Signs a `TransferWithAuthorization` message. */
export function signTransferAuthorization(account: LocalAccount, domain: TypedDataDomain, message: Authorization) {
  return account.signTypedData({
    domain,
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization",
    message,
  });
}

/** Signs a `ReceiveWithAuthorization` message. */
export function signReceiveAuthorization(account: LocalAccount, domain: TypedDataDomain, message: Authorization) {
  return account.signTypedData({
    domain,
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization",
    message,
  });
}

/** Signs a `CancelAuthorization` message. */
export function signCancelAuthorization(
  account: LocalAccount,
  domain: TypedDataDomain,
  message: { authorizer: Address; nonce: Hex },
) {
  return account.signTypedData({
    domain,
    types: cancelAuthorizationTypes,
    primaryType: "CancelAuthorization",
    message,
  });
}

/** Signs an EIP-2612 `Permit` message. */
export function signPermit(
  account: LocalAccount,
  domain: TypedDataDomain,
  message: { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint },
) {
  return account.signTypedData({ domain, types: permitTypes, primaryType: "Permit", message });
}

/** Splits a 65-byte signature into the `(v, r, s)` arguments of the FiatToken overloads (v is 27 or 28). */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: Number(v ?? BigInt(yParity + 27)), r, s };
}

/**
 * The EIP-712 type hash of `primaryType` in a type table with no nested structs:
 * `keccak256("Name(type1 name1,type2 name2,...)")`.
 */
export function typeHash(types: Record<string, readonly { name: string; type: string }[]>, primaryType: string): Hex {
  const fields = types[primaryType];
  if (fields === undefined) throw new Error(`unknown primary type ${primaryType}`);
  return keccak256(toHex(`${primaryType}(${fields.map((field) => `${field.type} ${field.name}`).join(",")})`));
}

/** A deterministic 32-byte nonce for a test label. */
export function nonceFor(label: string): Hex {
  return keccak256(toHex(label));
}

/** Builds an authorization valid from 10 minutes before `now` for one hour (the x402 client's shape). */
export function buildAuthorization(
  fields: Partial<Authorization> & Pick<Authorization, "from" | "to" | "nonce">,
  now: bigint,
): Authorization {
  return { value: 10_000_000n, validAfter: now - 600n, validBefore: now + 3600n, ...fields };
}
