/**
 * A local chain for integration tests: a Hardhat node, viem clients for the fixed test accounts, and
 * an EIP-3009 token (`ERC3009TokenMock`, from the root project's Hardhat artifacts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
import { type HardhatNode, repoRoot, startHardhatNode } from "./hardhatNode.js";

type Artifact = { abi: Abi; bytecode: Hex };

/**
 * Reads a contract's ABI and bytecode from the root Hardhat build.
 *
 * @param sourceName - e.g. `contracts/mocks/ERC3009TokenMock.sol`.
 * @param contractName - e.g. `ERC3009TokenMock`.
 * @returns ABI and creation bytecode.
 */
export function readArtifact(sourceName: string, contractName: string): Artifact {
  const file = join(repoRoot, "artifacts", sourceName, `${contractName}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Artifact;
  } catch (cause) {
    throw new Error(`Missing ${file}: run \`pnpm build:contracts\` at the repository root first.`, { cause });
  }
}

/** Token name/version used for the mock, i.e. its EIP-712 domain. */
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
  token: { address: Address; abi: Abi };
  balanceOf: (owner: Address) => Promise<bigint>;
};

/**
 * Starts a Hardhat node and deploys an EIP-3009 token, minting 1,000 tokens (6 decimals) to
 * accounts 0 and 2.
 *
 * @param options - The chain id (31337 default, 84532 for the legacy v1 packages).
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
    const token = readArtifact("contracts/mocks/ERC3009TokenMock.sol", "ERC3009TokenMock");
    const deployer = walletClient(accounts[3]!);
    const hash = await deployer.deployContract({
      abi: token.abi,
      bytecode: token.bytecode,
      args: [TOKEN_NAME, TOKEN_VERSION],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const tokenAddress = receipt.contractAddress as Address;
    for (const holder of [accounts[0]!, accounts[2]!]) {
      const mint = await deployer.writeContract({
        address: tokenAddress,
        abi: token.abi,
        functionName: "mint",
        args: [holder.address, 1_000_000_000n],
      });
      await publicClient.waitForTransactionReceipt({ hash: mint });
    }
    const balanceOf = async (owner: Address) =>
      (await publicClient.readContract({
        address: tokenAddress,
        abi: token.abi,
        functionName: "balanceOf",
        args: [owner],
      })) as bigint;
    return { node, chain, publicClient, walletClient, token: { address: tokenAddress, abi: token.abi }, balanceOf };
  } catch (error) {
    await node.stop();
    throw error;
  }
}
