import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** CreateX constants as `@nomicfoundation/ignition-core` uses them for its CREATE2 strategy. */
export interface CreateXConstants {
  address: string;
  deployedBytecodeHash: string;
  presignedDeployer: string;
  presignedTransaction: string;
}

/**
 * Reads the CreateX address, code hash, keyless deployer and presigned transaction from the installed
 * `@nomicfoundation/ignition-core` (they are module-private there), so the bindings' copy always matches
 * the factory Ignition deploys through.
 */
export function readCreateX(): CreateXConstants {
  const require = createRequire(import.meta.url);
  const distDir = dirname(require.resolve("@nomicfoundation/ignition-core"));
  const strategy = readFileSync(join(distDir, "strategies", "create2-strategy.js"), "utf8");
  const artifact = readFileSync(join(distDir, "internal", "execution", "strategy", "createx-artifact.js"), "utf8");
  return {
    address: match(strategy, /const CREATE_X_ADDRESS = "(0x[0-9a-fA-F]{40})"/, "CREATE_X_ADDRESS"),
    deployedBytecodeHash: match(
      strategy,
      /const CREATE_X_DEPLOYED_BYTECODE_HASH = "(0x[0-9a-f]{64})"/,
      "CREATE_X_DEPLOYED_BYTECODE_HASH",
    ),
    presignedDeployer: match(
      strategy,
      /const CREATE_X_PRESIGNED_DEPLOYER_ADDRESS = "(0x[0-9a-fA-F]{40})"/,
      "CREATE_X_PRESIGNED_DEPLOYER_ADDRESS",
    ),
    presignedTransaction: match(artifact, /export const presignedTx = "(0x[0-9a-f]+)"/, "presignedTx"),
  };
}

function match(source: string, pattern: RegExp, name: string): string {
  const found = pattern.exec(source)?.[1];
  if (found === undefined) {
    throw new Error(
      `Cannot find ${name} in @nomicfoundation/ignition-core: its internals moved; update scripts/createx.ts.`,
    );
  }
  return found;
}

/**
 * Reads Multicall3's creation code from the installed `viem` (module-private: `multicall3Bytecode` in its
 * `_esm/constants/contracts.js`, which viem runs for deployless multicalls), for installing Multicall3 at its
 * canonical address on development chains.
 */
export function readMulticall3Bytecode(): string {
  const require = createRequire(import.meta.url);
  const viemDir = dirname(require.resolve("viem/package.json"));
  const source = readFileSync(join(viemDir, "_esm", "constants", "contracts.js"), "utf8");
  const found = /export const multicall3Bytecode = '(0x[0-9a-f]+)'/.exec(source)?.[1];
  if (found === undefined) {
    throw new Error("Cannot find multicall3Bytecode in viem: its internals moved; update scripts/createx.ts.");
  }
  return found;
}
