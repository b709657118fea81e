/**
 * Type-level checks: every kind of viem signer fits `TypedDataSigner` without adapters, and a raw
 * private key does not. Checked by `tsc -p tsconfig.json` in the `test` script; nothing runs.
 */
import type { Account, Chain, JsonRpcAccount, LocalAccount, Transport, WalletClient } from "viem";
import type { SmartAccount } from "viem/account-abstraction";
import type { TypedDataSigner } from "./types.js";

type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;

export type SignerKinds = [
  Assert<Extends<LocalAccount, TypedDataSigner>>,
  Assert<Extends<SmartAccount, TypedDataSigner>>,
  Assert<Extends<WalletClient<Transport, Chain, Account>, TypedDataSigner>>,
  Assert<Extends<WalletClient<Transport, Chain, JsonRpcAccount>, TypedDataSigner>>,
  Assert<Extends<WalletClient<Transport, Chain | undefined, LocalAccount>, TypedDataSigner>>,
  // Never raw keys, and never an account that cannot sign by itself without its wallet client.
  Assert<Extends<Extends<`0x${string}`, TypedDataSigner>, false>>,
  Assert<Extends<Extends<JsonRpcAccount, TypedDataSigner>, false>>,
];
