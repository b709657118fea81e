import type { Artifact, ArtifactResolver, BuildInfo } from "@nomicfoundation/ignition-core";
import { ArtifactNotFoundError } from "../errors/ignition.js";
import { artifacts } from "../generated/artifacts.js";

const byName = new Map<string, Artifact>();
for (const artifact of Object.values(artifacts)) {
  byName.set(artifact.contractName, artifact);
  byName.set(`${artifact.sourceName}:${artifact.contractName}`, artifact);
}

/**
 * An Ignition `ArtifactResolver` over the artifacts generated into the bindings (ABI, creation and
 * runtime bytecode, link references of every deployable x402kit contract), so the bindings' Ignition
 * modules deploy with `@nomicfoundation/ignition-core`'s `deploy()` outside a Hardhat project.
 *
 * Contracts resolve by name (`"TestUSDC"`) or fully qualified name
 * (`"contracts/token/TestUSDC.sol:TestUSDC"`). Build infos are not shipped, so `getBuildInfo`
 * returns `undefined` (block-explorer verification goes through the Hardhat CLI instead).
 *
 * @example
 * ```ts
 * import { deploy } from "@nomicfoundation/ignition-core";
 * import { artifactResolver, x402KitModule } from "@x402kit/bindings/ignition";
 *
 * await deploy({ artifactResolver, provider, ignitionModule: x402KitModule, deploymentParameters: {}, accounts });
 * ```
 */
export const artifactResolver: ArtifactResolver = {
  async loadArtifact(contractName: string): Promise<Artifact> {
    const artifact = byName.get(contractName);
    if (artifact === undefined) {
      throw new ArtifactNotFoundError({ contractName, known: Object.values(artifacts).map((a) => a.contractName) });
    }
    return artifact;
  },
  async getBuildInfo(_contractName: string): Promise<BuildInfo | undefined> {
    return undefined;
  },
};
