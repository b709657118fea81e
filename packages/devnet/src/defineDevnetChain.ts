import { MULTICALL3_ADDRESS } from "@x402kit/bindings";
import { type Chain, defineChain } from "viem";

/**
 * The viem `Chain` of a devnet.
 *
 * @param parameters - Chain id and JSON-RPC URL.
 * @returns The chain (`testnet: true`), with Multicall3 at its canonical address (the devnet installs it).
 *
 * @example
 * ```ts
 * import { defineDevnetChain } from "@x402kit/devnet";
 * const chain = defineDevnetChain({ chainId: 31337, rpcUrl: "http://127.0.0.1:8545" });
 * ```
 */
export function defineDevnetChain(parameters: { chainId: number; rpcUrl: string }): Chain {
  return defineChain({
    id: parameters.chainId,
    name: parameters.chainId === 84532 ? "x402kit devnet (local Base Sepolia twin)" : "x402kit devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
    contracts: { multicall3: { address: MULTICALL3_ADDRESS } },
    testnet: true,
  });
}
