import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ArtifactResolver, Artifact as IgnitionArtifact } from "@nomicfoundation/ignition-core";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import { getAddress } from "viem";
import { deployX402Kit } from "../src/ignition/deployX402Kit.js";
import { x402KitModule } from "../src/ignition/modules/X402Kit.js";
import { CONTRACTS } from "./contracts.js";
import { readArtifact, repoRoot } from "./paths.js";

/** The parameters `pnpm deploy:local` uses, so the 31337 addresses are those of a local deployment. */
const LOCAL_PARAMETERS_FILE = join(repoRoot, "ignition", "parameters", "localhost.json");

/** Revives Ignition's `"123n"` bigint notation, as the Hardhat CLI does for parameter files. */
function bigintReviver(_key: string, value: unknown): unknown {
  return typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
}

/** Resolves contracts from the root `artifacts/` folder (fresh from `hardhat build`, not the generated copy). */
const buildArtifactResolver: ArtifactResolver = {
  async loadArtifact(contractName) {
    const contract = CONTRACTS.find((c) => c.contractName === contractName && c.deployable);
    if (contract === undefined) throw new Error(`${contractName} is not a deployable contract in scripts/contracts.ts`);
    return readArtifact(contract.sourceName, contract.contractName) as IgnitionArtifact;
  },
  async getBuildInfo() {
    return undefined;
  },
};

/**
 * Deploys the `X402Kit` module with the CREATE2 strategy on a fresh in-process Hardhat network (chain
 * 31337, Hardhat's default accounts) with `ignition/parameters/localhost.json`, and returns the addresses.
 */
export async function deployLocally(): Promise<Record<string, string>> {
  const parameters = JSON.parse(readFileSync(LOCAL_PARAMETERS_FILE, "utf8"), bigintReviver);
  const hre = await createHardhatRuntimeEnvironment({}, {}, repoRoot);
  const connection = await hre.network.create();
  try {
    const { addresses } = await deployX402Kit({
      provider: connection.provider,
      artifactResolver: buildArtifactResolver,
      parameters,
    });
    return addresses;
  } finally {
    await connection.close();
  }
}

/**
 * Reads a committed Ignition deployment of the `X402Kit` module (`ignition/deployments/chain-<id>/`)
 * and returns its addresses, or `undefined` when there is none.
 */
export function readPublicDeployment(chainId: number): Record<string, string> | undefined {
  const file = join(repoRoot, "ignition", "deployments", `chain-${chainId}`, "deployed_addresses.json");
  if (!existsSync(file)) return undefined;
  const deployed = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(x402KitModule.results).map(([name, future]) => {
      const address = deployed[future.id];
      if (address === undefined) {
        throw new Error(`${relative(repoRoot, file)} has no "${future.id}": is the X402Kit deployment complete?`);
      }
      return [name, getAddress(address)];
    }),
  );
}
