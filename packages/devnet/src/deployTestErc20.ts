import { testErc20Abi, testErc20Bytecode } from "@x402kit/bindings";
import type { Address, Chain } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

/** The devnet's plain ERC-20 (`token: "erc20"`): x402kit's TestERC20, with EIP-2612 and no EIP-3009. */
export const TEST_ERC20 = {
  name: "Test ERC20",
  symbol: "TERC20",
  decimals: 6,
  /** Largest amount one `faucet` call mints: 1,000,000 tokens. */
  faucetCap: 1_000_000_000_000n,
} as const;

export type DeployTestErc20Parameters = {
  rpcUrl: string;
  chain: Chain;
  /** Sends the deployment (the token has no owner). */
  deployer: DevnetAccount;
};

/**
 * Deploys x402kit's `TestERC20` ("Test ERC20", "TERC20", 6 decimals, public faucet capped at 1,000,000 tokens a
 * call): an ERC-20 that x402 clients can only pay with through Uniswap's Permit2 (`exact` with
 * `assetTransferMethod: "permit2"`, `upto`). Its EIP-712 domain is ("Test ERC20", "1", chain id, token).
 *
 * @param parameters - {@link DeployTestErc20Parameters}
 * @returns The token's address.
 * @throws {DeploymentError} When the deployment fails.
 */
export async function deployTestErc20(parameters: DeployTestErc20Parameters): Promise<Address> {
  const client = createDevnetClient({ ...parameters, account: parameters.deployer });
  try {
    const hash = await client.deployContract({
      abi: testErc20Abi,
      bytecode: testErc20Bytecode,
      args: [TEST_ERC20.name, TEST_ERC20.symbol, TEST_ERC20.decimals, TEST_ERC20.faucetCap],
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deployment ${hash} failed`);
    return receipt.contractAddress;
  } catch (cause) {
    throw new DeploymentError({ step: "deploy TestERC20", cause });
  }
}
