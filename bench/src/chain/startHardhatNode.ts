import { join } from "node:path";
import { repoRoot } from "../paths.js";
import { type Child, freePort, spawnNode, waitUntilReady } from "../processes.js";

/** A `hardhat node` on a loopback port. */
export type HardhatNode = { url: string; chainId: number; child: Child; stop(): Promise<void> };

/**
 * Starts the repo's `hardhat node` (EDR) on a free 127.0.0.1 port and waits until it answers JSON-RPC.
 * It starts in automine; {@link setupChain} switches it to interval mining once the fixtures are in.
 *
 * @param chainId - Chain id (default 31337).
 */
export async function startHardhatNode(chainId = 31337): Promise<HardhatNode> {
  const port = await freePort();
  const cli = join(repoRoot, "node_modules", "hardhat", "dist", "src", "cli.js");
  const child = spawnNode(
    [cli, "node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)],
    { cwd: repoRoot, env: {} },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(
    child,
    async () => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      return res.ok;
    },
    "hardhat node",
  );
  return { url, chainId, child, stop: () => child.stop(5_000) };
}
