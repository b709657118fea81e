/**
 * A consumer of the published package: it imports `@x402kit/bindings` by name (resolved through the
 * `exports` map to the built `.d.ts` files) and is compiled by `tsc -p test/types` in the `test` script.
 * Nothing runs. Each `Assert` proves a type is inferred; each `@ts-expect-error` proves a wrong call is
 * rejected (tsc fails if the line compiles).
 */
import type { Address, Hash } from "viem";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { deployments, getContracts, type X402KitAddresses } from "@x402kit/bindings";
import { type TestUSDC, TestUSDC__factory } from "@x402kit/bindings/ethers";
import { type DeployX402KitReturnType, deployX402Kit, x402KitModule } from "@x402kit/bindings/ignition";

type Assert<T extends true> = T;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Extends<A, B> = [A] extends [B] ? true : false;

const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const publicClient = createPublicClient({ chain: hardhat, transport: http() });
const walletClient = createWalletClient({ account, chain: hardhat, transport: http() });
const payee: Address = "0x70997970C51812dc3a010C7d01b50e0d17dc79C8";

export async function readsAreTyped(): Promise<void> {
  const { testUsdc, identityRegistry, reputationRegistry, batchSettlementRouter } = getContracts({
    client: publicClient,
  });

  const balance = await testUsdc.read.balanceOf([payee]);
  const name = await testUsdc.read.name();
  const faucet = await testUsdc.read.faucetConfig();
  const owner = await identityRegistry.read.owner();
  const identity = await reputationRegistry.read.getIdentityRegistry();
  const address = batchSettlementRouter.address;
  type _reads = [
    Assert<Equal<typeof balance, bigint>>,
    Assert<Equal<typeof name, string>>,
    Assert<Equal<typeof faucet, readonly [boolean, bigint, bigint]>>,
    Assert<Equal<typeof owner, `0x${string}`>>,
    Assert<Equal<typeof identity, `0x${string}`>>,
    Assert<Equal<typeof address, Address>>,
  ];

  // @ts-expect-error balanceOf takes an address, not a number
  await testUsdc.read.balanceOf([1n]);
  // @ts-expect-error balanceOf takes exactly one argument
  await testUsdc.read.balanceOf([payee, payee]);
  // @ts-expect-error no such function in the ABI
  await testUsdc.read.notAFunction();
  // @ts-expect-error `transfer` is not a view function
  await testUsdc.read.transfer([payee, 1n]);
  // @ts-expect-error a public client cannot write
  await testUsdc.write.transfer([payee, 1n]);
}

export async function writesAreTyped(): Promise<void> {
  const { testUsdc } = getContracts({ client: walletClient });
  const hash = await testUsdc.write.transfer([payee, 1_000_000n]);
  type _writes = Assert<Equal<typeof hash, Hash>>;

  // @ts-expect-error the amount is a bigint, not a string
  await testUsdc.write.transfer([payee, "1"]);
  // @ts-expect-error `faucet` needs the recipient and the amount
  await testUsdc.write.faucet([1n]);
}

export async function keyedClientsReadAndWrite(): Promise<void> {
  const { testUsdc } = getContracts({ client: { public: publicClient, wallet: walletClient } });
  const { result } = await testUsdc.simulate.transfer([payee, 1n]);
  type _simulated = Assert<Equal<typeof result, boolean>>;
  await testUsdc.write.faucet([payee, 1n]);
}

export function parametersAreChecked(): void {
  getContracts({ client: publicClient, chainId: 84532, addresses: { testUsdc: payee } });
  // @ts-expect-error unknown contract name in `addresses`
  getContracts({ client: publicClient, addresses: { usdc: payee } });
  // @ts-expect-error an address is a 0x-prefixed string
  getContracts({ client: publicClient, addresses: { testUsdc: "not-an-address" } });
  // @ts-expect-error `client` is required
  getContracts({ chainId: 31337 });
}

export function deploymentsAreTyped(): void {
  const local = deployments[31337];
  type _local = Assert<Extends<typeof local.testUsdc, Address>>;
  const baseSepolia = deployments[84532];
  type _baseSepolia = Assert<Extends<typeof baseSepolia, X402KitAddresses | undefined>>;
  const asAddresses: X402KitAddresses = local;
  void asAddresses;
  // @ts-expect-error the bindings know no deployment on mainnet
  void deployments[1];
}

export async function ignitionIsTyped(provider: { request(args: { method: string }): Promise<unknown> }): Promise<void> {
  const deployment = await deployX402Kit({ provider });
  type _deployed = Assert<Equal<typeof deployment, DeployX402KitReturnType>>;
  const addresses: X402KitAddresses = deployment.addresses;
  void addresses;
  const moduleId: "X402Kit" = x402KitModule.id;
  void moduleId;
  // @ts-expect-error the module has no `usdc` result
  void x402KitModule.results.usdc;
}

export function ethersIsTyped(runner: Parameters<typeof TestUSDC__factory.connect>[1]): TestUSDC {
  return TestUSDC__factory.connect(deployments[31337].testUsdc, runner);
}
