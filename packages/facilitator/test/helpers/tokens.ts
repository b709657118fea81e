import type { Address } from "viem";
import { deployTestUsdc, type LocalChain, type Token } from "./chain.js";
import { deployFiatToken } from "./fiatToken.js";

/**
 * The tokens the end-to-end suites run on, one suite each: our TestUSDC, and Circle's FiatToken v2.2 bytecode behind
 * its proxy (USDC as on Base Sepolia). Each deploys a fresh token and funds `holders`.
 */
export const TOKENS: Readonly<
  Record<"TestUSDC" | "FiatToken v2.2", (chain: LocalChain, holders: readonly Address[]) => Promise<Token>>
> = {
  TestUSDC: (chain, holders) => deployTestUsdc(chain, holders),
  "FiatToken v2.2": (chain, holders) => deployFiatToken(chain, holders),
};
