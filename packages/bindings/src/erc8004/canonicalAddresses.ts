import type { Address } from "viem";

/** The addresses of the three ERC-8004 registries (their ERC-1967 proxies) on one chain. */
export type Erc8004Addresses = {
  readonly identityRegistry: Address;
  readonly reputationRegistry: Address;
  readonly validationRegistry: Address;
};

/**
 * The official ERC-8004 registries' vanity proxy addresses on every testnet they are deployed to, the Hardhat chain
 * 31337 included (erc-8004/erc-8004-contracts `scripts/addresses.ts`, `TESTNET_ADDRESSES`). The x402kit devnet
 * installs its registries here by default (`erc8004Addresses: "canonical"`).
 */
export const erc8004TestnetAddresses = {
  identityRegistry: "0x8004A818BFB912233c491871b3d84c89A494BD9e",
  reputationRegistry: "0x8004B663056A597Dffe9eCcC1965A193B7388713",
  validationRegistry: "0x8004Cb1BF31DAf7788923b405b754f57acEB4272",
} as const satisfies Erc8004Addresses;

/**
 * The official ERC-8004 registries' vanity proxy addresses on every mainnet they are deployed to
 * (erc-8004/erc-8004-contracts `scripts/addresses.ts`, `MAINNET_ADDRESSES`).
 */
export const erc8004MainnetAddresses = {
  identityRegistry: "0x8004A169FB4a3325136EB29fA0ceB6D2e539a432",
  reputationRegistry: "0x8004BAa17C55a88189AE136b182e5fdA19dE9b63",
  validationRegistry: "0x8004Cc8439f36fd5F9F049D9fF86523Df6dAAB58",
} as const satisfies Erc8004Addresses;

/** Testnet chain ids with the official registries at {@link erc8004TestnetAddresses} (`TESTNET_CHAIN_IDS`). */
export const erc8004TestnetChainIds = [
  31337, // Hardhat local
  11155111, // Sepolia
  84532, // Base Sepolia
  421614, // Arbitrum Sepolia
  11155420, // Optimism Sepolia
  80002, // Polygon Amoy
  43113, // Avalanche Fuji
  97, // BSC Testnet
  10143, // Monad Testnet
  534351, // Scroll Sepolia
  10200, // Gnosis Chiado
  11142220, // Celo Sepolia
  167013, // Taiko Hoodi
  6343, // MegaETH Testnet
  59141, // Linea Sepolia
  1952, // XLayer Testnet
  11124, // Abstract Sepolia
  5003, // Mantle Sepolia
  1946, // Soneium Minato
  48816, // GOAT Testnet3
  59902, // Metis Sepolia
  296, // Hedera Testnet
  324705682, // SKALE Base Sepolia
  5042002, // Arc Testnet
  11011, // Shape Sepolia
] as const;

/** Mainnet chain ids with the official registries at {@link erc8004MainnetAddresses} (`MAINNET_CHAIN_IDS`). */
export const erc8004MainnetChainIds = [
  1, // Ethereum
  8453, // Base
  42161, // Arbitrum One
  10, // Optimism
  137, // Polygon
  43114, // Avalanche
  56, // BSC
  143, // Monad
  534352, // Scroll
  100, // Gnosis
  42220, // Celo
  167000, // Taiko
  59144, // Linea
  4326, // MegaETH
  196, // XLayer
  2741, // Abstract
  5000, // Mantle
  1868, // Soneium
  2345, // GOAT Network
  1088, // Metis
  295, // Hedera
  1187947933, // SKALE Base
  360, // Shape
] as const;

/** A chain id with official ERC-8004 registries. */
export type Erc8004ChainId = (typeof erc8004TestnetChainIds)[number] | (typeof erc8004MainnetChainIds)[number];

/**
 * The official ERC-8004 registries by chain id: {@link erc8004TestnetAddresses} on every testnet (31337 and 84532
 * included), {@link erc8004MainnetAddresses} on every mainnet. Use the bindings' typed ABIs with them
 * (`identityRegistryAbi`, …): every function and event of the official registries is in those ABIs.
 */
export const erc8004CanonicalAddresses: { readonly [chainId in Erc8004ChainId]: Erc8004Addresses } = Object.fromEntries(
  [
    ...erc8004TestnetChainIds.map((chainId) => [chainId, erc8004TestnetAddresses] as const),
    ...erc8004MainnetChainIds.map((chainId) => [chainId, erc8004MainnetAddresses] as const),
  ],
) as { readonly [chainId in Erc8004ChainId]: Erc8004Addresses };
