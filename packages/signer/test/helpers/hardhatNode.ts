/**
 * Spawns `hardhat node` from the repository root on a free 127.0.0.1 port, for tests that need a
 * real JSON-RPC chain reachable over HTTP (the official x402 packages, servers, facilitators).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (the Hardhat project). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** A running Hardhat node. */
export type HardhatNode = {
  rpcUrl: string;
  chainId: number;
  /** Stops the node (the process this helper started, by its pid). */
  stop: () => Promise<void>;
};

/**
 * Finds a free TCP port on 127.0.0.1 by binding port 0.
 *
 * @returns The port.
 */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function hardhatCli(): string {
  const require = createRequire(join(repoRoot, "package.json"));
  const manifestPath = require.resolve("hardhat/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : (manifest.bin.hardhat as string);
  return join(dirname(manifestPath), bin);
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    const body = (await response.json()) as { result?: string };
    return body.result ? Number(body.result) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `hardhat node --hostname 127.0.0.1 --port <free> --chain-id <chainId>` and waits (at most
 * `timeoutMs`) until it answers `eth_chainId`.
 *
 * @param options - Chain id (31337 by default; 84532 makes a local "Base Sepolia twin" that the
 *   legacy v1 packages accept) and the start-up timeout.
 * @returns The running node.
 */
export async function startHardhatNode(options: { chainId?: number; timeoutMs?: number } = {}): Promise<HardhatNode> {
  const chainId = options.chainId ?? 31337;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      [hardhatCli(), "node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      if (output.length < 10_000) output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      if (output.length < 10_000) output += chunk.toString();
    });
    const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
    let alive = true;
    void exited.then(() => {
      alive = false;
    });
    const stop = async () => {
      if (!alive) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    };
    const rpcUrl = `http://127.0.0.1:${port}`;
    while (alive && Date.now() < deadline) {
      if ((await rpcChainId(rpcUrl)) === chainId) return { rpcUrl, chainId, stop };
      await new Promise((r) => setTimeout(r, 200));
    }
    await stop();
    if (Date.now() >= deadline) throw new Error(`hardhat node did not start in time:\n${output}`);
    // The port was taken between probing and binding: try another one.
  }
  throw new Error("hardhat node failed to start three times");
}
