/**
 * Helpers for the deployment tests: the repo's Ignition parameter files and the Hardhat CLI in a child
 * process (bounded by a timeout, killed if it overruns).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Address } from "viem";
import { getAddress } from "viem";

/** The repository root (the Hardhat project). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The `TestUSDC` module parameters as a parameter file holds them (bigints revived). */
export type TestUsdcParameters = {
  name: string;
  symbol: string;
  version: string;
  faucetEnabled: boolean;
  faucetCap: bigint;
  faucetCooldown: bigint;
};

/** Path of `ignition/parameters/<name>.json`. */
export function parametersFile(name: "localhost" | "baseSepolia"): string {
  return join(repoRoot, "ignition", "parameters", `${name}.json`);
}

/** Reads a parameter file the way the Hardhat CLI does (`"123n"` strings become bigints). */
export function readParameters(name: "localhost" | "baseSepolia"): { TestUSDC: TestUsdcParameters } {
  return JSON.parse(readFileSync(parametersFile(name), "utf8"), (_key, value: unknown) =>
    typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  );
}

/** What a finished Hardhat CLI run printed. */
export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `hardhat <args>` from the repo root in a child process with exactly `env`, and resolves when it exits.
 * Kills it and rejects after `timeoutMs`.
 */
export function runHardhat(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hardhat ${args.join(" ")} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses the "Deployed Addresses" block `hardhat ignition deploy` prints: future id → address. */
export function parseDeployedAddresses(stdout: string): Record<string, Address> {
  const block = stdout.split("Deployed Addresses")[1];
  if (block === undefined) throw new Error(`No "Deployed Addresses" in the output:\n${stdout}`);
  return Object.fromEntries(
    [...block.matchAll(/^(\S+#\S+) - (0x[0-9a-fA-F]{40})$/gm)].map(([, id, address]) => [id, getAddress(address!)]),
  );
}
