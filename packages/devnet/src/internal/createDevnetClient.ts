import {
  type Chain,
  createWalletClient,
  type HttpTransport,
  http,
  type PrivateKeyAccount,
  type PublicActions,
  publicActions,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevnetAccount } from "../accounts.js";

/** A viem wallet client with public actions for one devnet account. */
export type DevnetClient = WalletClient<HttpTransport, Chain, PrivateKeyAccount> &
  PublicActions<HttpTransport, Chain, PrivateKeyAccount>;

/**
 * A viem wallet client with public actions for one devnet account, polling fast (the chain is local).
 *
 * @param parameters - RPC URL, chain and account.
 * @returns The client.
 */
export function createDevnetClient(parameters: { rpcUrl: string; chain: Chain; account: DevnetAccount }): DevnetClient {
  return createWalletClient({
    account: privateKeyToAccount(parameters.account.privateKey),
    chain: parameters.chain,
    transport: http(parameters.rpcUrl),
    pollingInterval: 50,
  }).extend(publicActions);
}
