import {
  batchSettlementRouterAbi,
  batchSettlementRouterBytecode,
  testUsdcAbi,
  testUsdcBytecode,
} from "@x402kit/bindings";
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  toHex,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

/** Hardhat's default account #0 (deployer and minter) and #1 (the facilitator's gas payer); public keys. */
export const DEPLOYER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const FACILITATOR_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
/** Hardhat account #2: our facilitator's batch-settlement sender (an account of its own, beside the lane's). */
export const CHANNEL_SENDER_KEY: Hex = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
/** The signer keys the scale-out part shares over instances by lease: #1, then Hardhat accounts #3 and #4. */
export const FACILITATOR_KEYS: readonly Hex[] = [
  FACILITATOR_KEY,
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
];

/** The token's EIP-712 domain name and version (Base Sepolia USDC's). */
export const TOKEN_NAME = "USDC";
export const TOKEN_VERSION = "2";

/** What every facilitator under test gets: the same contracts, payers and payees. */
export type BenchChain = {
  url: string;
  chain: Chain;
  publicClient: PublicClient;
  token: Address;
  router: Address;
  payers: PrivateKeyAccount[];
  payees: Address[];
  /** First block after the fixtures: every settlement happens at or after it. */
  startBlock: bigint;
};

/** Options of {@link setupChain}. */
export type SetupChainOptions = {
  /** Number of funded payers. */
  payers: number;
  /** Number of payees (payer `i` pays payee `i % payees`). */
  payees: number;
  /** Token units minted to each payer. */
  fundsPerPayer: bigint;
  /** Interval mining period once set up; 0 leaves automine on. */
  blockTimeMs: number;
};

/**
 * Deploys TestUSDC and the BatchSettlementRouter on a fresh node, funds the payers (deterministic keys:
 * every run and every facilitator sees the same accounts), gives each payee a balance (so no payment
 * pays for a zero-to-non-zero balance), then switches the node to interval mining. The fixtures are mined
 * in a few blocks, so the chain clock stays on the wall clock.
 *
 * @param url - The node's JSON-RPC URL.
 * @param chainId - Its chain id.
 * @param options - {@link SetupChainOptions}
 */
export async function setupChain(url: string, chainId: number, options: SetupChainOptions): Promise<BenchChain> {
  const chain = defineChain({
    id: chainId,
    name: `hardhat-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
    blockTime: options.blockTimeMs || undefined,
  });
  const publicClient = createPublicClient({ chain, transport: http(url), pollingInterval: 50 }) as PublicClient;
  const deployer = privateKeyToAccount(DEPLOYER_KEY);
  const wallet = createWalletClient({ chain, transport: http(url), account: deployer });
  const rpc = (method: string, params: unknown[]) =>
    publicClient.request({ method: method as "eth_chainId", params: params as never });

  const mined = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`setup transaction ${hash} reverted`);
    return receipt;
  };
  const token = (
    await mined(
      await wallet.deployContract({
        abi: testUsdcAbi,
        bytecode: testUsdcBytecode,
        args: [TOKEN_NAME, TOKEN_NAME, TOKEN_VERSION, deployer.address],
      }),
    )
  ).contractAddress as Address;
  const router = (
    await mined(await wallet.deployContract({ abi: batchSettlementRouterAbi, bytecode: batchSettlementRouterBytecode }))
  ).contractAddress as Address;
  await mined(
    await wallet.writeContract({
      address: token,
      abi: testUsdcAbi,
      functionName: "configureMinter",
      args: [deployer.address, 2n ** 200n],
    }),
  );

  const payers = Array.from({ length: options.payers }, (_, i) =>
    privateKeyToAccount(keccak256(toHex(`x402kit-bench-payer-${i}`))),
  );
  const payees = Array.from(
    { length: options.payees },
    (_, i) => privateKeyToAccount(keccak256(toHex(`x402kit-bench-payee-${i}`))).address,
  );

  // Mints go out in blocks of up to 250 (about 12M gas): no automine while they are sent, explicit
  // nonces, one evm_mine per block.
  await rpc("evm_setAutomine", [false]);
  let nonce = await publicClient.getTransactionCount({ address: deployer.address, blockTag: "pending" });
  const mints: Hex[] = [];
  for (const [i, [to, amount]] of [
    ...payers.map((p) => [p.address, options.fundsPerPayer] as const),
    ...payees.map((p) => [p, 1n] as const),
  ].entries()) {
    if (i > 0 && i % 250 === 0) await rpc("evm_mine", []);
    mints.push(
      await wallet.writeContract({
        address: token,
        abi: testUsdcAbi,
        functionName: "mint",
        args: [to, amount],
        nonce: nonce++,
        gas: 100_000n,
      }),
    );
  }
  await rpc("evm_mine", []);
  for (const hash of mints) await mined(hash);

  const startBlock = (await publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
  if (options.blockTimeMs > 0) await rpc("evm_setIntervalMining", [options.blockTimeMs]);
  else await rpc("evm_setAutomine", [true]);
  return { url, chain, publicClient, token, router, payers, payees, startBlock };
}
