import type { Address, PublicClient } from "viem";

/** One configured EVM network, resolved at start-up. */
export type NetworkRuntime = {
  /** CAIP-2 id, e.g. `eip155:84532`. */
  caip2: `eip155:${number}`;
  chainId: number;
  /** The x402 v1 name of the chain (`base-sepolia`), when it has one. */
  v1Name: string | undefined;
  /** Public client on the network's RPC (JSON-RPC batching on). */
  client: PublicClient;
  /** Lower-cased asset addresses accepted; `undefined` accepts any EIP-3009 token. */
  assets: ReadonlySet<string> | undefined;
  /** Lower-cased payee addresses accepted; `undefined` accepts any. */
  payees: ReadonlySet<string> | undefined;
  /** Batch settlement router (batched mode). */
  router: Address | undefined;
  /** Lower-cased factories of counterfactual (ERC-6492) wallets this facilitator deploys; none when absent. */
  walletFactories?: ReadonlySet<string> | undefined;
};

/**
 * Finds the configured network a request names, in either spelling (CAIP-2 or v1 name).
 *
 * @param networks - Configured networks.
 * @param network - The request's network string.
 * @returns The network, or `undefined` when it is not configured here.
 */
export function findNetwork(networks: readonly NetworkRuntime[], network: string): NetworkRuntime | undefined {
  return networks.find((n) => n.caip2 === network || (n.v1Name !== undefined && n.v1Name === network));
}
