import { join } from "node:path";
import { repoRoot } from "../paths.js";
import { spawnNode } from "../processes.js";

/** The Hardhat scripts of the gas part, each writing its own file under bench/results/. */
export const GAS_SCRIPTS = [
  { script: "scripts/bench/router-gas.ts", writes: "gas.json" },
  { script: "scripts/bench/token-gas.ts", writes: "token-gas.json" },
  { script: "scripts/bench/erc8004-gas.ts", writes: "erc8004-gas.json" },
] as const;

/**
 * Runs the gas scripts with `hardhat run` at the repo root (in-process EDR network, deterministic: gas does
 * not depend on the machine).
 *
 * @param log - Progress output.
 * @param timeoutMs - Longest any one script may run.
 */
export async function benchGas(log: (line: string) => void, timeoutMs = 600_000): Promise<void> {
  const cli = join(repoRoot, "node_modules", "hardhat", "dist", "src", "cli.js");
  for (const { script, writes } of GAS_SCRIPTS) {
    log(`  hardhat run ${script} → bench/results/${writes}`);
    const child = spawnNode([cli, "run", script], { cwd: repoRoot, env: {} });
    const timer = setTimeout(() => void child.stop(), timeoutMs);
    const code = await new Promise<number | null>((resolve) => child.process.once("exit", (c) => resolve(c)));
    clearTimeout(timer);
    if (code !== 0) throw new Error(`${script} failed (${code}):\n${child.output()}`);
  }
}
