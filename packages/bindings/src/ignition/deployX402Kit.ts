import type {
  ArtifactResolver,
  DeployConfig,
  DeploymentParameters,
  DeploymentResult,
  EIP1193Provider,
} from "@nomicfoundation/ignition-core";
import { DeploymentResultType, deploy } from "@nomicfoundation/ignition-core";
import type { Address, Hex } from "viem";
import { getAddress } from "viem";
import type { IgnitionDeploymentErrorType } from "../errors/ignition.js";
import { IgnitionDeploymentError } from "../errors/ignition.js";
import type { X402KitAddresses, X402KitContractName } from "../types.js";
import { artifactResolver as bindingsArtifactResolver } from "./artifactResolver.js";
import { create2Salt } from "./constants.js";
import type { EnsureCreateXErrorType } from "./ensureCreateX.js";
import { ensureCreateX } from "./ensureCreateX.js";
import { x402KitModule } from "./modules/X402Kit.js";

/** Parameters of {@link deployX402Kit}. */
export type DeployX402KitParameters = {
  /** An EIP-1193 provider whose accounts can sign (a Hardhat network connection's `provider`). */
  provider: EIP1193Provider;
  /**
   * The accounts Ignition may use; account 0 deploys and becomes the token admin and the registries'
   * owner. Default: the provider's `eth_accounts`.
   */
  accounts?: readonly string[] | undefined;
  /**
   * Module parameters keyed by module id, e.g. `{ TestUSDC: { faucetCooldown: 3600n } }`. Default `{}`:
   * the modules' defaults, which are `localParameters`.
   */
  parameters?: DeploymentParameters | undefined;
  /** The CREATE2 salt. Default {@link create2Salt}, the one in the repo's Hardhat config. */
  salt?: Hex | undefined;
  /** Where contract artifacts come from. Default: the artifacts generated into the bindings. */
  artifactResolver?: ArtifactResolver | undefined;
  /** A directory for Ignition's journal, to resume or inspect the deployment. Default: none (in memory). */
  deploymentDir?: string | undefined;
  /** Ignition's deploy settings (confirmations, polling, fee bumping). Automined chains need none. */
  config?: Partial<DeployConfig> | undefined;
};

/** Return type of {@link deployX402Kit}. */
export type DeployX402KitReturnType = {
  /** The addresses integrators use, ready for `getContracts({ client, addresses })`. */
  addresses: X402KitAddresses;
  /**
   * Every deployed future by Ignition id (as in Ignition's `deployed_addresses.json`), implementations
   * and proxies included, e.g. `"IdentityRegistry#Implementation"`.
   */
  deployedAddresses: Readonly<Record<string, Address>>;
};

/** Errors {@link deployX402Kit} may throw. */
export type DeployX402KitErrorType = IgnitionDeploymentErrorType | EnsureCreateXErrorType;

/**
 * Deploys every x402kit contract (the `X402Kit` Ignition module) with the CREATE2 strategy through
 * `@nomicfoundation/ignition-core`, without a Hardhat project: the programmatic twin of
 * `npx hardhat ignition deploy ignition/modules/X402Kit.ts --strategy create2`, giving the same
 * addresses for the same deployer, parameters and salt.
 *
 * The CreateX factory is installed first when missing (see {@link ensureCreateX}), so any development
 * node works, whatever its chain id. Deployed by Hardhat's default account 0 with the default
 * parameters, the addresses equal `deployments[31337]`.
 *
 * @param parameters - {@link DeployX402KitParameters}
 * @returns {@link DeployX402KitReturnType}
 * @throws {IgnitionDeploymentError} Ignition reported a validation, reconciliation or execution error.
 * @throws {CreateXNotDeployedError} CreateX is missing and the node cannot install it.
 *
 * @example
 * ```ts
 * import { network } from "hardhat";
 * import { getContracts } from "@x402kit/bindings";
 * import { deployX402Kit } from "@x402kit/bindings/ignition";
 *
 * const { provider, viem } = await network.create();
 * const { addresses } = await deployX402Kit({ provider });
 * const { testUsdc } = getContracts({ client: await viem.getPublicClient(), addresses });
 * ```
 */
export async function deployX402Kit(parameters: DeployX402KitParameters): Promise<DeployX402KitReturnType> {
  const { provider, salt = create2Salt, deploymentDir, config } = parameters;
  const accounts = (parameters.accounts ?? ((await provider.request({ method: "eth_accounts" })) as string[])).map(
    (account) => getAddress(account),
  );

  await ensureCreateX({ provider });
  let result: DeploymentResult;
  try {
    result = await deploy({
      provider,
      artifactResolver: parameters.artifactResolver ?? bindingsArtifactResolver,
      ignitionModule: x402KitModule,
      deploymentParameters: parameters.parameters ?? {},
      accounts,
      strategy: "create2",
      strategyConfig: { salt },
      ...(deploymentDir === undefined ? {} : { deploymentDir }),
      ...(config === undefined ? {} : { config }),
    });
  } catch (cause) {
    throw new IgnitionDeploymentError({ moduleId: x402KitModule.id, resultType: "EXCEPTION", problems: [], cause });
  }
  if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
    throw new IgnitionDeploymentError({
      moduleId: x402KitModule.id,
      resultType: result.type,
      problems: problems(result),
    });
  }

  const deployedAddresses = Object.fromEntries(
    Object.entries(result.contracts).map(([futureId, contract]) => [futureId, getAddress(contract.address)]),
  );
  const addresses = Object.fromEntries(
    Object.entries(x402KitModule.results).map(([name, future]) => [name, deployedAddresses[future.id]]),
  ) as Record<X402KitContractName, Address>;
  return { addresses, deployedAddresses };
}

function problems(result: Exclude<DeploymentResult, { type: DeploymentResultType.SUCCESSFUL_DEPLOYMENT }>): string[] {
  if (result.type === DeploymentResultType.EXECUTION_ERROR) {
    return [
      ...result.failed.map((f) => `${f.futureId}: ${f.error}`),
      ...result.timedOut.map((t) => `${t.futureId}: timed out`),
      ...result.held.map((h) => `${h.futureId}: held (${h.reason})`),
    ];
  }
  return Object.entries(result.errors).flatMap(([futureId, errors]) => errors.map((e) => `${futureId}: ${e}`));
}
