import {
  batchSettlementRouterAbi,
  batchSettlementRouterBytecode,
  erc1967ProxyAbi,
  erc1967ProxyBytecode,
  identityRegistryAbi,
  identityRegistryBytecode,
  reputationRegistryAbi,
  reputationRegistryBytecode,
  testUsdcAbi,
  testUsdcBytecode,
  validationRegistryAbi,
  validationRegistryBytecode,
} from "@x402kit/bindings";
import { type Abi, type Address, type Chain, encodeFunctionData, getAddress, type Hex } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

/** The test stablecoin as x402 requirements name it. */
export type DevnetToken = {
  readonly address: Address;
  /** ERC-20 name, also the EIP-712 domain name (x402 `extra.name`). */
  readonly name: string;
  readonly symbol: string;
  /** EIP-712 domain version (x402 `extra.version`). */
  readonly version: string;
  readonly decimals: number;
};

/** Addresses of the deployed contracts (the registries at their ERC-1967 proxies). */
export type DevnetContracts = {
  readonly token: DevnetToken;
  readonly router: Address;
  readonly identityRegistry: Address;
  readonly reputationRegistry: Address;
  readonly validationRegistry: Address;
};

export type DeployContractsParameters = {
  rpcUrl: string;
  chain: Chain;
  /** Deploys everything and becomes the token admin and registry owner. */
  deployer: DevnetAccount;
};

/** TestUSDC's EIP-712 identity, mirroring Base Sepolia USDC so requirements carry the same `extra`. */
const TOKEN = { name: "USDC", symbol: "USDC", version: "2", decimals: 6 } as const;
/** Public faucet: 1,000 USDC per call, one hour apart. */
const FAUCET = { enabled: true, cap: 1_000_000_000n, cooldown: 3_600n } as const;

/**
 * Deploys the x402kit contract set on a fresh devnet chain: TestUSDC (faucet on), the batch settlement
 * router, and the ERC-8004 identity, reputation and validation registries behind ERC-1967 proxies.
 * On a fresh chain the deployer's nonces start at 0, so the addresses are the same on every run.
 *
 * This is the devnet's single deployment seam: it is to be replaced by the Ignition modules of
 * `@x402kit/bindings` (create2 strategy) once they ship.
 *
 * @param parameters - {@link DeployContractsParameters}
 * @returns The contract addresses.
 * @throws {DeploymentError} Naming the step that failed.
 */
export async function deployContracts(parameters: DeployContractsParameters): Promise<DevnetContracts> {
  const client = createDevnetClient({
    rpcUrl: parameters.rpcUrl,
    chain: parameters.chain,
    account: parameters.deployer,
  });
  const owner = parameters.deployer.address;

  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new DeploymentError({ step: name, cause });
    }
  };
  const deploy = (name: string, abi: Abi, bytecode: Hex, args: readonly unknown[] = []) =>
    step(`deploy ${name}`, async () => {
      const hash = await client.deployContract({ abi, bytecode, args });
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`transaction ${hash} reverted`);
      return getAddress(receipt.contractAddress);
    });
  const transact = (name: string, address: Address, data: Hex) =>
    step(name, async () => {
      const hash = await client.sendTransaction({ to: address, data });
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    });
  const proxy = async (name: string, abi: Abi, bytecode: Hex, initialize: Hex) => {
    const implementation = await deploy(name, abi, bytecode);
    return deploy(`${name} proxy`, erc1967ProxyAbi, erc1967ProxyBytecode, [implementation, initialize]);
  };

  const token = await deploy("TestUSDC", testUsdcAbi, testUsdcBytecode, [
    TOKEN.name,
    TOKEN.symbol,
    TOKEN.version,
    owner,
  ]);
  await transact(
    "TestUSDC.configureFaucet",
    token,
    encodeFunctionData({
      abi: testUsdcAbi,
      functionName: "configureFaucet",
      args: [FAUCET.enabled, FAUCET.cap, FAUCET.cooldown],
    }),
  );
  const router = await deploy("BatchSettlementRouter", batchSettlementRouterAbi, batchSettlementRouterBytecode);
  const identityRegistry = await proxy(
    "IdentityRegistry",
    identityRegistryAbi,
    identityRegistryBytecode,
    encodeFunctionData({ abi: identityRegistryAbi, functionName: "initialize", args: [owner] }),
  );
  const reputationRegistry = await proxy(
    "ReputationRegistry",
    reputationRegistryAbi,
    reputationRegistryBytecode,
    encodeFunctionData({ abi: reputationRegistryAbi, functionName: "initialize", args: [identityRegistry, owner] }),
  );
  const validationRegistry = await proxy(
    "ValidationRegistry",
    validationRegistryAbi,
    validationRegistryBytecode,
    encodeFunctionData({ abi: validationRegistryAbi, functionName: "initialize", args: [identityRegistry, owner] }),
  );
  return { token: { address: token, ...TOKEN }, router, identityRegistry, reputationRegistry, validationRegistry };
}
