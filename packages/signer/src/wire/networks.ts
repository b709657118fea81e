/**
 * x402 v1 network names and their CAIP-2 equivalents.
 *
 * v1 identifies networks by legacy names (`base-sepolia`); v2 by CAIP-2 ids (`eip155:84532`). The EVM
 * table is `@x402/evm`'s `EVM_NETWORK_CHAIN_ID_MAP` (2.27), a superset of the legacy `x402` 1.2 list;
 * a test pins the two together. Chains without a v1 name — a local Hardhat or Anvil chain (31337), a
 * private devnet — can only be used with v2 (`eip155:31337`), unless both sides agree on an extra
 * name passed as `customV1Networks` (the legacy `x402` packages will still refuse it).
 */

/** v1 EVM network name → EIP-155 chain id. */
export const V1_EVM_NETWORKS = {
  ethereum: 1,
  sepolia: 11155111,
  abstract: 2741,
  "abstract-testnet": 11124,
  "base-sepolia": 84532,
  base: 8453,
  "avalanche-fuji": 43113,
  avalanche: 43114,
  iotex: 4689,
  sei: 1329,
  "sei-testnet": 1328,
  polygon: 137,
  "polygon-amoy": 80002,
  peaq: 3338,
  story: 1514,
  educhain: 41923,
  "skale-base-sepolia": 324705682,
  megaeth: 4326,
  monad: 143,
  stable: 988,
  "stable-testnet": 2201,
  celo: 42220,
  flare: 14,
} as const;

/** A v1 EVM network name. */
export type V1EvmNetwork = keyof typeof V1_EVM_NETWORKS;

/** v1 Solana network name → CAIP-2 id. */
export const V1_SOLANA_NETWORKS = {
  solana: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
  "solana-devnet": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
} as const;

/** A v1 Solana network name. */
export type V1SolanaNetwork = keyof typeof V1_SOLANA_NETWORKS;

/** Extra v1 EVM names agreed between client and facilitator, e.g. `{ localhost: 31337 }`. */
export type CustomV1Networks = Readonly<Record<string, number>>;
