import type { Address, Hex } from "viem";
import { AccountNotFoundError } from "../errors/signer.js";
import type { SignableTypedData, TypedDataSigner } from "../signer/types.js";

/** A signer reduced to its address and a typed-data signing function. */
export type ResolvedSigner = {
  address: Address;
  signTypedData: (typedData: SignableTypedData) => Promise<Hex>;
};

/**
 * Normalises a viem account or wallet client into `{ address, signTypedData }`.
 *
 * @param signer - A `LocalAccount`, smart account, or `WalletClient` with an account.
 * @returns The resolved signer.
 * @throws {AccountNotFoundError} For a wallet client without an account, or a JSON-RPC account alone.
 */
export function resolveSigner(signer: TypedDataSigner): ResolvedSigner {
  if ("address" in signer) {
    // A JSON-RPC account is an address alone (its key lives in a wallet); plain JavaScript can pass one.
    if (typeof (signer as { signTypedData?: unknown }).signTypedData !== "function") {
      throw new AccountNotFoundError({ address: signer.address });
    }
    return { address: signer.address, signTypedData: (typedData) => signer.signTypedData(typedData) };
  }
  const account = signer.account;
  if (!account) throw new AccountNotFoundError();
  return {
    address: account.address,
    signTypedData: (typedData) => signer.signTypedData({ ...typedData, account }),
  };
}
