import {
  batchSettlementRouterAbi,
  batchSettlementRouterBytecode,
  testUsdcAbi,
  testUsdcBytecode,
} from "@x402kit/bindings";
import { signTransferWithAuthorization, toWireAuthorization } from "@x402kit/signer";
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  toHex,
  type WalletClient,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

/** Hardhat's default accounts (publicly known keys; local chains only). */
export const HARDHAT_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
] as const satisfies readonly Hex[];

/** Clients on a local chain. */
export type LocalChain = {
  url: string;
  chainId: number;
  publicClient: PublicClient;
  wallet(key: Hex): WalletClient;
};

/** Public and wallet clients for a local RPC URL. */
export function localChain(url: string, chainId: number): LocalChain {
  const chain = defineChain({
    id: chainId,
    name: `local-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
  return {
    url,
    chainId,
    publicClient: createPublicClient({ chain, transport: http(url), pollingInterval: 50 }) as PublicClient,
    wallet: (key) => createWalletClient({ chain, transport: http(url), account: privateKeyToAccount(key) }),
  };
}

/** A deployed TestUSDC. */
export type Token = { address: Address; name: string; version: string; abi: Abi; chain: LocalChain };

/**
 * Deploys TestUSDC ("USDC", version "2", like Base Sepolia USDC) with account #0 as admin and minter,
 * and mints `amount` to each of `holders`.
 */
export async function deployTestUsdc(
  chain: LocalChain,
  holders: readonly Address[],
  amount = 1_000_000_000n,
): Promise<Token> {
  const abi = testUsdcAbi as Abi;
  const bytecode = testUsdcBytecode;
  const admin = chain.wallet(HARDHAT_KEYS[0]);
  const adminAddress = admin.account!.address;
  const hash = await admin.deployContract({
    abi,
    bytecode,
    args: ["USDC", "USDC", "2", adminAddress],
    account: admin.account!,
    chain: admin.chain,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  const address = receipt.contractAddress as Address;
  const write = async (functionName: string, args: readonly unknown[]) => {
    const tx = await admin.writeContract({
      address,
      abi,
      functionName,
      args,
      account: admin.account!,
      chain: admin.chain,
    });
    await chain.publicClient.waitForTransactionReceipt({ hash: tx });
  };
  await write("configureMinter", [adminAddress, 2n ** 200n]);
  for (const holder of holders) await write("mint", [holder, amount]);
  return { address, name: "USDC", version: "2", abi, chain };
}

/** Deploys x402kit's BatchSettlementRouter (bytecode from `@x402kit/bindings`) and returns its address. */
export async function deployRouter(chain: LocalChain): Promise<Address> {
  const deployer = chain.wallet(HARDHAT_KEYS[0]);
  const hash = await deployer.deployContract({
    abi: batchSettlementRouterAbi,
    bytecode: batchSettlementRouterBytecode,
    account: deployer.account!,
    chain: deployer.chain,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  return receipt.contractAddress as Address;
}

/** Reads an ERC-20 balance. */
export async function balanceOf(token: Token, account: Address): Promise<bigint> {
  return (await token.chain.publicClient.readContract({
    address: token.address,
    abi: token.abi,
    functionName: "balanceOf",
    args: [account],
  })) as bigint;
}

let nonceCounter = 0;

/** Options of {@link signPayment}. */
export type SignPaymentOptions = {
  token: Token;
  payer: PrivateKeyAccount;
  payTo: Address;
  value: bigint;
  validAfter?: bigint;
  validBefore?: bigint;
  nonce?: Hex;
  /** Sign over another domain name (wrong-domain tests). */
  domainName?: string;
};

/**
 * Signs an EIP-3009 authorization with the signer package and returns the wire `payload`. The default
 * window is [now − 600 s, now + 300 s], with "now" the later of the wall clock and the chain's clock.
 */
export async function signPayment(options: SignPaymentOptions): Promise<{
  signature: Hex;
  authorization: ReturnType<typeof toWireAuthorization>;
}> {
  // Local chains under automine run ahead of the wall clock (one second per block at least).
  const block = await options.token.chain.publicClient.getBlock({ blockTag: "latest" });
  const wall = BigInt(Math.floor(Date.now() / 1000));
  const now = block.timestamp > wall ? block.timestamp : wall;
  const { signature, authorization } = await signTransferWithAuthorization({
    signer: options.payer,
    domain: {
      name: options.domainName ?? options.token.name,
      version: options.token.version,
      chainId: options.token.chain.chainId,
      verifyingContract: options.token.address,
    },
    authorization: {
      to: options.payTo,
      value: options.value,
      validAfter: options.validAfter ?? now - 600n,
      validBefore: options.validBefore ?? now + 300n,
      nonce: options.nonce ?? keccak256(toHex(`payment-${process.pid}-${Date.now()}-${nonceCounter++}`)),
    },
  });
  return { signature, authorization: toWireAuthorization({ authorization }) };
}

/** A v2 `/verify` or `/settle` body for a TestUSDC payment. */
export function v2Body(
  token: Token,
  payload: { signature: Hex; authorization: unknown },
  payTo: Address,
  amount: bigint,
  overrides: { network?: string; extra?: Record<string, unknown> | null } = {},
) {
  const requirements = {
    scheme: "exact",
    network: overrides.network ?? `eip155:${token.chain.chainId}`,
    amount: amount.toString(),
    asset: token.address,
    payTo,
    maxTimeoutSeconds: 60,
    extra: overrides.extra === undefined ? { name: token.name, version: token.version } : overrides.extra,
  };
  return {
    x402Version: 2,
    paymentPayload: {
      x402Version: 2,
      resource: { url: "http://127.0.0.1/resource", description: "test", mimeType: "application/json" },
      accepted: requirements,
      payload,
    },
    paymentRequirements: requirements,
  };
}

/** A v1 `/verify` or `/settle` body for a TestUSDC payment. */
export function v1Body(
  token: Token,
  payload: { signature: Hex; authorization: unknown },
  payTo: Address,
  amount: bigint,
  network: string,
) {
  return {
    x402Version: 1,
    paymentPayload: { x402Version: 1, scheme: "exact", network, payload },
    paymentRequirements: {
      scheme: "exact",
      network,
      maxAmountRequired: amount.toString(),
      resource: "http://127.0.0.1/resource",
      description: "test",
      mimeType: "application/json",
      payTo,
      maxTimeoutSeconds: 60,
      asset: token.address,
      extra: { name: token.name, version: token.version },
    },
  };
}
