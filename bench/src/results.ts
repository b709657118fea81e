import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resultsDir } from "./paths.js";

/** The result files under `bench/results/`. */
export const RESULT_FILES = {
  gas: "gas.json",
  token: "token-gas.json",
  erc8004: "erc8004-gas.json",
  load: "load.json",
  latency: "latency.json",
  verify: "verify.json",
  sign: "signing.json",
  devnet: "devnet.json",
  batch: "batch-settlement.json",
  scale: "scale-out.json",
} as const;
export type ResultName = keyof typeof RESULT_FILES;

/** Writes `bench/results/<file>` as pretty JSON (bigints as strings). */
export function writeResult(name: ResultName, data: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, RESULT_FILES[name]);
  writeFileSync(path, `${JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  return path;
}

/** Reads `bench/results/<file>`, or `undefined` when that part has never run. */
export function readResult<T>(name: ResultName): T | undefined {
  const path = join(resultsDir, RESULT_FILES[name]);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as T;
}
