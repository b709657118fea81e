/**
 * Defaults of the Ignition modules' parameters: the values for a local chain (Hardhat, the devnet).
 * `ignition/parameters/localhost.json` at the repo root spells out the same values, and
 * `ignition/parameters/baseSepolia.json` overrides them for Base Sepolia.
 */

/** Defaults of the `TestUSDC` module's parameters. */
export const testUsdcDefaults = {
  /** ERC-20 name and EIP-712 domain name: "USDC", as USDC on Base Sepolia, so x402 `extra` matches. */
  name: "USDC",
  /** ERC-20 symbol. */
  symbol: "USDC",
  /** EIP-712 domain version: "2", as USDC. */
  version: "2",
  /** Whether the public faucet is on. */
  faucetEnabled: true,
  /** Largest faucet drip per call, in base units: 1,000,000 USDC (6 decimals). */
  faucetCap: 1_000_000_000_000n,
  /** Seconds between two drips to one address: none on a local chain. */
  faucetCooldown: 0n,
} as const;

/**
 * The deployment parameters of the `X402Kit` module for a local chain, keyed by module id as Ignition
 * expects. They equal the modules' defaults, so deploying with `{}` gives the same contracts.
 */
export const localParameters = {
  TestUSDC: { ...testUsdcDefaults },
} as const;
