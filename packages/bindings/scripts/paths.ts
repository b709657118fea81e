import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the Hardhat project). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** Hardhat's artifacts folder. */
export const artifactsDir = join(repoRoot, "artifacts");

/** The fields of a Hardhat 3 artifact the generator reads. */
export interface Artifact {
  _format: string;
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: `0x${string}`;
  deployedBytecode: `0x${string}`;
  linkReferences: Record<string, Record<string, Array<{ start: number; length: number }>>>;
  deployedLinkReferences: Record<string, Record<string, Array<{ start: number; length: number }>>>;
}

/** Reads `artifacts/<sourceName>/<contractName>.json`, with a hint to build when it is missing. */
export function readArtifact(sourceName: string, contractName: string): Artifact {
  const file = join(artifactsDir, sourceName, `${contractName}.json`);
  if (!existsSync(file)) {
    throw new Error(
      `Missing artifact ${relative(repoRoot, file)}: run \`pnpm build:contracts\` at the repo root first.`,
    );
  }
  return JSON.parse(readFileSync(file, "utf8")) as Artifact;
}
