import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@x402kit/hardhat-node";
import type { Address, Hex } from "viem";
import { type Child, spawnNode, waitUntilReady } from "../processes.js";

/** The facilitators compared: the official one, and ours in each settlement mode. */
export const FACILITATORS = ["official", "direct", "batched"] as const;
export type FacilitatorKind = (typeof FACILITATORS)[number];

/** A facilitator process serving on 127.0.0.1. */
export type RunningFacilitator = {
  kind: FacilitatorKind;
  url: string;
  /** The gas-paying account. */
  signer: Address;
  child: Child;
  stop(): Promise<void>;
};

/** Options of {@link startFacilitator}. */
export type StartFacilitatorOptions = {
  rpcUrl: string;
  chainId: number;
  /** The one signer key every facilitator gets. */
  privateKey: Hex;
  signer: Address;
  /** The batch settlement router (ours, batched mode). */
  router: Address;
  /** Passed to the official server so that viem's chain-derived defaults apply. */
  blockTimeMs: number;
  /**
   * Switches on our `batch-settlement` scheme with this sender key (`X402KIT_BATCH_SETTLEMENT_KEY`; ours needs an
   * account other than the lane's). The official server always registers the scheme on its one key.
   */
  batchSettlementKey?: Hex;
  /** Ours: the journal on this Postgres database (`DATABASE_URL`) instead of SQLite in a fresh data directory. */
  databaseUrl?: string | undefined;
  /** Ours, with `databaseUrl`: start as a standby of the journal's writer (`X402KIT_STANDBY=1`). */
  standby?: boolean | undefined;
  /** Ours: sign with these keys (`EVM_PRIVATE_KEYS`) instead of `privateKey` alone. */
  privateKeys?: readonly Hex[] | undefined;
  /** Ours, with `databaseUrl`: share the keys with other instances by signer lease (`X402KIT_SIGNER_LEASES=1`). */
  signerLeases?: boolean | undefined;
};

/** The facilitator could not run in this build (for example batched mode before it was wired up). */
export class FacilitatorUnavailableError extends Error {
  override name = "FacilitatorUnavailableError" as const;
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * `BENCH_FACILITATOR_ENV="K=V;K=V"`: extra environment for our facilitator, for experiments (say
 * `X402KIT_BATCH_MAX_ITEMS=250`); a committed result is always run without it.
 */
function experimentEnv(): Record<string, string> {
  const spec = process.env.BENCH_FACILITATOR_ENV ?? "";
  return Object.fromEntries(
    spec
      .split(";")
      .map((pair) => pair.trim())
      .filter((pair) => pair.includes("="))
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
}

/** `x402kit-facilitator`'s compiled entry point. */
function ourMain(): string {
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve("@x402kit/facilitator/package.json")), "dist", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first`);
  return main;
}

/**
 * Starts one facilitator as a child process, with one signer key and its defaults:
 * - `official`: {@link ./officialServer.ts} (the x402 SDK's facilitator in Express);
 * - `direct` / `batched`: the `x402kit-facilitator` binary, configured through the same environment as
 *   the official x402 e2e harness plus `X402KIT_MODE`, `X402KIT_ROUTER` and a fresh data directory.
 * Resolves once it answers `GET /supported`.
 *
 * @param kind - Which facilitator.
 * @param options - {@link StartFacilitatorOptions}
 * @throws {FacilitatorUnavailableError} When our binary refuses the mode.
 */
export async function startFacilitator(
  kind: FacilitatorKind,
  options: StartFacilitatorOptions,
): Promise<RunningFacilitator> {
  const port = await freePort();
  const common = {
    PORT: String(port),
    HOST: "127.0.0.1",
    EVM_PRIVATE_KEY: options.privateKey,
    EVM_NETWORK: `eip155:${options.chainId}`,
    EVM_RPC_URL: options.rpcUrl,
  };
  let child: Child;
  let cleanup = () => {};
  if (kind === "official") {
    child = spawnNode(["--import", "tsx", join("src", "facilitators", "officialServer.ts")], {
      cwd: benchDir,
      env: { ...common, BLOCK_TIME_MS: String(options.blockTimeMs) },
    });
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), `x402kit-bench-${kind}-`));
    cleanup = () => rmSync(dataDir, { recursive: true, force: true });
    // `BENCH_CPU_PROF_DIR`: profile our facilitator (`node --cpu-prof`), one .cpuprofile per run in that directory.
    const profileDir = process.env.BENCH_CPU_PROF_DIR;
    const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
    child = spawnNode([...profile, ourMain()], {
      cwd: benchDir,
      env: {
        ...common,
        X402KIT_DATA_DIR: dataDir,
        X402KIT_MODE: kind,
        X402KIT_ROUTER: options.router,
        ...(options.batchSettlementKey ? { X402KIT_BATCH_SETTLEMENT_KEY: options.batchSettlementKey } : {}),
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        ...(options.standby ? { X402KIT_STANDBY: "1" } : {}),
        ...(options.privateKeys ? { EVM_PRIVATE_KEY: "", EVM_PRIVATE_KEYS: options.privateKeys.join(",") } : {}),
        ...(options.signerLeases ? { X402KIT_SIGNER_LEASES: "1" } : {}),
        ...experimentEnv(),
      },
    });
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(child, async () => (await fetch(`${url}/supported`)).ok, `${kind} facilitator`);
  } catch (error) {
    cleanup();
    if (kind === "batched" && child.process.exitCode === 2) {
      throw new FacilitatorUnavailableError(child.output().trim().split("\n").slice(-1)[0] ?? "mode refused");
    }
    throw error;
  }
  return {
    kind,
    url,
    signer: options.signer,
    child,
    async stop() {
      await child.stop();
      cleanup();
    },
  };
}
