/**
 * A local chain for integration tests: a Hardhat node, viem clients for the fixed test accounts, and
 * our EIP-3009 token `TestUSDC` (ABI and bytecode from `@x402kit/bindings`).
 */
import { testUsdcAbi, testUsdcBytecode } from "@x402kit/bindings";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { deployFiatToken } from "@x402kit/hardhat-node/fiat-token";
import {
  type Abi,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  publicActions,
  type Transport,
} from "viem";
import { accounts } from "../constants.js";

/** TestUSDC's name and EIP-712 version in the tests (Base Sepolia USDC's domain). */
export const TOKEN_NAME = "USDC";
export const TOKEN_VERSION = "2";

/** A wallet client for one local account, with public actions. */
export type TestWalletClient = ReturnType<typeof makeWalletClient>;

function makeWalletClient(chain: Chain, rpcUrl: string, account: LocalAccount) {
  return createWalletClient({ account, chain, transport: http(rpcUrl) }).extend(publicActions);
}

/** The local chain and the clients the tests use. */
export type TestChain = {
  node: HardhatNode;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: (account: LocalAccount) => TestWalletClient;
  token: DeployedToken;
  balanceOf: (owner: Address) => Promise<bigint>;
};

/** A deployed test token. */
export type DeployedToken = { address: Address; abi: Abi };

/**
 * Deploys TestUSDC with account 3 as admin and minter, and mints 1,000 tokens (6 decimals) to
 * accounts 0 and 2.
 *
 * @param chain - The running chain (clients).
 * @returns The token.
 */
async function deployTestUsdc(chain: Pick<TestChain, "publicClient" | "walletClient">): Promise<DeployedToken> {
  const { publicClient } = chain;
  const deployer = chain.walletClient(accounts[3]!);
  const token = { abi: testUsdcAbi as Abi, bytecode: testUsdcBytecode as Hex };
  const hash = await deployer.deployContract({
    ...token,
    args: [TOKEN_NAME, "USDC", TOKEN_VERSION, deployer.account.address],
  });
  const address = (await publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address;
  const write = async (functionName: string, args: readonly unknown[]) => {
    const tx = await deployer.writeContract({ address, abi: token.abi, functionName, args });
    await publicClient.waitForTransactionReceipt({ hash: tx });
  };
  await write("configureMinter", [deployer.account.address, 10n ** 15n]);
  for (const holder of [accounts[0]!, accounts[2]!]) await write("mint", [holder.address, 1_000_000_000n]);
  return { address, abi: token.abi };
}

/**
 * Starts a Hardhat node and deploys TestUSDC (see {@link deployTestUsdc}).
 *
 * @param options - The chain id: 31337 by default, 84532 for the legacy v1 packages.
 * @returns Node, chain, clients and token.
 */
export async function startTestChain(options: { chainId?: number } = {}): Promise<TestChain> {
  const node: HardhatNode = await startHardhatNode(options);
  try {
    const chain: Chain = defineChain({
      id: node.chainId,
      name: `hardhat-${node.chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [node.rpcUrl] } },
    });
    const publicClient = createPublicClient({ chain, transport: http(node.rpcUrl) });
    const walletClient = (account: LocalAccount) => makeWalletClient(chain, node.rpcUrl, account);
    const token = await deployTestUsdc({ publicClient, walletClient });
    const balanceOf = async (owner: Address) =>
      (await publicClient.readContract({
        address: token.address,
        abi: token.abi,
        functionName: "balanceOf",
        args: [owner],
      })) as bigint;
    return { node, chain, publicClient, walletClient, token, balanceOf };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/**
 * Deploys Circle's FiatToken v2.2 bytecode behind its proxy on `chain` (initialised as Base Sepolia USDC: domain
 * "USDC" / "2", `@x402kit/hardhat-node/fiat-token`), account 3 holding every token role, and mints 1,000 tokens to
 * accounts 0 and 2, as {@link startTestChain} does for TestUSDC.
 *
 * @param chain - The running chain (clients).
 * @returns The token.
 */
export async function deployFiatTokenOn(
  chain: Pick<TestChain, "publicClient" | "walletClient">,
): Promise<DeployedToken> {
  const token = await deployFiatToken({
    walletClient: chain.walletClient(accounts[3]!),
    publicClient: chain.publicClient,
    holders: [accounts[0]!.address, accounts[2]!.address],
  });
  return { address: token.address, abi: token.abi };
}
