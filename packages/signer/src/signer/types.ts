import type { Account, Address, Hex, TypedDataDomain } from "viem";

/** Typed data in the shape every viem signer accepts. */
export type SignableTypedData = {
  domain: TypedDataDomain;
  types: Record<string, readonly { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
};

/**
 * Anything that can sign EIP-712 typed data for one address. Structural, so these all fit without
 * adapters:
 * - a viem `LocalAccount` (`privateKeyToAccount`, `mnemonicToAccount`, `toAccount` over a KMS or
 *   hardware signer) or a smart account (signs ERC-1271 data);
 * - a viem `WalletClient` with an `account`, including a JSON-RPC account (the wallet signs through
 *   `eth_signTypedData_v4`).
 *
 * Raw private keys are never accepted: wrap one with `privateKeyToAccount` first.
 */
export type TypedDataSigner = AccountSigner | WalletClientSigner;

/** A viem account that signs by itself (`LocalAccount`, smart account). */
export type AccountSigner = {
  readonly address: Address;
  signTypedData(parameters: SignableTypedData): Promise<Hex>;
};

/** A viem `WalletClient` with an account (local or JSON-RPC). */
export type WalletClientSigner = {
  readonly account: Account | undefined;
  signTypedData(parameters: SignableTypedData & { account: Account }): Promise<Hex>;
};
