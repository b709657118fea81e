/**
 * The CREATE2 salt of every x402kit deployment: `keccak256("x402kit")`. The root `hardhat.config.ts`
 * sets the same value in `ignition.strategyConfig.create2.salt` (a test checks they agree), so the
 * Hardhat CLI and {@link deployX402Kit} compute the same addresses.
 *
 * CreateX treats this salt as "random" (its first 20 bytes are neither zero nor the sender), so the
 * addresses depend on neither the sender nor the chain, only on the contracts' init code.
 */
export const create2Salt = "0x3e84d7110e7e1c5a6338e2078a2e267d7751b19f6065f940fbbeb546a6edcf0d" as const;
