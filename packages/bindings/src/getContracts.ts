import type { Account, Address, Chain, Client, GetContractReturnType, InvalidAddressErrorType, Transport } from "viem";
import { getContract, InvalidAddressError, isAddress } from "viem";
import type { ChainIdRequiredErrorType, DeploymentNotFoundErrorType } from "./errors/deployments.js";
import { ChainIdRequiredError, DeploymentNotFoundError } from "./errors/deployments.js";
import {
  batchSettlementRouterAbi,
  identityRegistryAbi,
  reputationRegistryAbi,
  testUsdcAbi,
  validationRegistryAbi,
} from "./generated/abis.js";
import { deployments } from "./generated/addresses.js";
import type { X402KitAddresses, X402KitContractName } from "./types.js";

/**
 * A viem client, or a `{ public, wallet }` pair of clients: whatever viem's `getContract` accepts.
 * A public client gives `read`, `simulate`, `estimateGas` and events; a wallet client gives `write`.
 */
export type ContractClient =
  | Client<Transport, Chain | undefined, Account | undefined>
  | {
      public?: Client<Transport, Chain | undefined> | undefined;
      wallet: Client<Transport, Chain | undefined, Account | undefined>;
    }
  | {
      public: Client<Transport, Chain | undefined>;
      wallet?: Client<Transport, Chain | undefined, Account | undefined> | undefined;
    };

/** Parameters of {@link getContracts}. */
export type GetContractsParameters<client extends ContractClient = ContractClient> = {
  /** The client (or `{ public, wallet }` pair) the contract instances use. */
  client: client;
  /**
   * The chain whose deployment to use. Defaults to the client's `chain.id` (the public client's
   * for a pair).
   */
  chainId?: number | undefined;
  /**
   * Addresses that replace the known deployment's, contract by contract: a full set for a
   * deployment of your own (a devnet, a fork), or a few to swap one contract.
   */
  addresses?: Partial<X402KitAddresses> | undefined;
};

/** Return type of {@link getContracts}: one typed viem contract instance per x402kit contract. */
export type GetContractsReturnType<client extends ContractClient = ContractClient> = {
  /** The EIP-3009 test stablecoin. */
  readonly testUsdc: GetContractReturnType<typeof testUsdcAbi, client, Address>;
  /** The batch settlement router. */
  readonly batchSettlementRouter: GetContractReturnType<typeof batchSettlementRouterAbi, client, Address>;
  /** The ERC-8004 identity registry (at its proxy). */
  readonly identityRegistry: GetContractReturnType<typeof identityRegistryAbi, client, Address>;
  /** The ERC-8004 reputation registry (at its proxy). */
  readonly reputationRegistry: GetContractReturnType<typeof reputationRegistryAbi, client, Address>;
  /** The ERC-8004 validation registry (at its proxy). */
  readonly validationRegistry: GetContractReturnType<typeof validationRegistryAbi, client, Address>;
};

/** Errors {@link getContracts} may throw. */
export type GetContractsErrorType = DeploymentNotFoundErrorType | ChainIdRequiredErrorType | InvalidAddressErrorType;

const abis = {
  testUsdc: testUsdcAbi,
  batchSettlementRouter: batchSettlementRouterAbi,
  identityRegistry: identityRegistryAbi,
  reputationRegistry: reputationRegistryAbi,
  validationRegistry: validationRegistryAbi,
} as const satisfies Record<X402KitContractName, unknown>;

const contractNames = Object.keys(abis) as X402KitContractName[];

/**
 * Returns typed viem contract instances for every x402kit contract of one deployment: the token,
 * the batch settlement router and the three ERC-8004 registries. Argument and return types of
 * `read`, `write` and `simulate` are inferred from the bindings' `as const` ABIs.
 *
 * The addresses come from {@link deployments} for the chain (`chainId`, else the client's chain),
 * overridden contract by contract by `addresses`.
 *
 * @param parameters - {@link GetContractsParameters}
 * @returns {@link GetContractsReturnType}
 * @throws {DeploymentNotFoundError} The chain has no (complete) deployment and `addresses` does not fill the gap.
 * @throws {ChainIdRequiredError} No chain id could be determined and `addresses` is incomplete.
 * @throws {InvalidAddressError} An address in `addresses` is not a valid address.
 *
 * @example
 * ```ts
 * import { createPublicClient, http } from "viem";
 * import { hardhat } from "viem/chains";
 * import { getContracts } from "@x402kit/bindings";
 *
 * const client = createPublicClient({ chain: hardhat, transport: http() });
 * const { testUsdc } = getContracts({ client });
 * const balance = await testUsdc.read.balanceOf(["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]); // bigint
 * ```
 */
export function getContracts<const client extends ContractClient>(
  parameters: GetContractsParameters<client>,
): GetContractsReturnType<client> {
  const { client, addresses: overrides = {} } = parameters;
  const chainId = parameters.chainId ?? chainIdOf(client);
  const known: Partial<X402KitAddresses> =
    chainId === undefined ? {} : ((deployments as Record<number, X402KitAddresses | undefined>)[chainId] ?? {});

  for (const address of Object.values(overrides)) {
    if (address !== undefined && !isAddress(address, { strict: false })) throw new InvalidAddressError({ address });
  }
  const resolved: Partial<X402KitAddresses> = { ...known, ...definedEntries(overrides) };
  const missing = contractNames.filter((name) => resolved[name] === undefined);
  if (missing.length > 0) {
    if (chainId === undefined) throw new ChainIdRequiredError();
    throw new DeploymentNotFoundError({ chainId, missing, knownChainIds: knownChainIds() });
  }

  const contracts = Object.fromEntries(
    contractNames.map((name) => [
      name,
      getContract({ abi: abis[name], address: resolved[name] as Address, client: client as Client }),
    ]),
  );
  return contracts as unknown as GetContractsReturnType<client>;
}

function chainIdOf(client: ContractClient): number | undefined {
  if ("public" in client || "wallet" in client) {
    const keyed = client as { public?: Client | undefined; wallet?: Client | undefined };
    return keyed.public?.chain?.id ?? keyed.wallet?.chain?.id;
  }
  return client.chain?.id;
}

function definedEntries(addresses: Partial<X402KitAddresses>): Partial<X402KitAddresses> {
  return Object.fromEntries(Object.entries(addresses).filter(([, address]) => address !== undefined));
}

function knownChainIds(): number[] {
  return Object.entries(deployments)
    .filter(([, deployment]) => deployment !== undefined)
    .map(([chainId]) => Number(chainId));
}
