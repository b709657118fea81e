import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (the Hardhat project). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where every part writes its JSON. */
export const resultsDir = join(repoRoot, "bench", "results");

/** The document `pnpm bench` rewrites. */
export const benchmarksDoc = join(repoRoot, "docs", "benchmarks.md");
