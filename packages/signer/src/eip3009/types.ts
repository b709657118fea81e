import type { Address, Hex } from "viem";

/**
 * The EIP-712 domain of an EIP-3009 token: `name` and `version` as the token reports them (x402
 * carries them in `extra`), the chain id, and the token address.
 */
export type Eip3009Domain = {
  name: string;
  version: string;
  chainId: number | bigint;
  verifyingContract: Address;
};

/**
 * The message of `TransferWithAuthorization` and `ReceiveWithAuthorization`: move `value` from
 * `from` to `to`, valid strictly after `validAfter` and strictly before `validBefore` (unix seconds),
 * once per `(from, nonce)`.
 */
export type TransferAuthorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

/** The message of `CancelAuthorization`: burn `nonce` of `authorizer` without a transfer. */
export type CancelAuthorization = {
  authorizer: Address;
  nonce: Hex;
};

/** The three EIP-3009 primary types. */
export type AuthorizationPrimaryType = "TransferWithAuthorization" | "ReceiveWithAuthorization" | "CancelAuthorization";

/** The message type of a primary type. */
export type AuthorizationMessage<primaryType extends AuthorizationPrimaryType> =
  primaryType extends "CancelAuthorization" ? CancelAuthorization : TransferAuthorization;
