import { type ChildProcess, spawn } from "node:child_process";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (the Hardhat project). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A `hardhat node` child process bound to 127.0.0.1. */
export type HardhatNode = { url: string; port: number; chainId: number; process: ChildProcess; stop(): Promise<void> };

/**
 * Spawns the repo's `hardhat node` on a free loopback port and waits until it serves JSON-RPC.
 *
 * @param options - `chainId` (default 31337; 84532 makes a local Base Sepolia twin for v1 clients).
 */
export async function startHardhatNode(options: { chainId?: number } = {}): Promise<HardhatNode> {
  const chainId = options.chainId ?? 31337;
  const port = await freePort();
  const cli = join(repoRoot, "node_modules", "hardhat", "dist", "src", "cli.js");
  const args = [cli, "node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with ${code}:\n${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    chainId,
    process: child,
    async stop() {
      process.off("exit", kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A TCP proxy in front of an RPC node, to take "the RPC" down and bring it back without losing chain
 * state: `down()` closes the listener and every connection, `up()` listens again on the same port.
 */
export type RpcProxy = { url: string; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> };

/**
 * Starts a loopback TCP proxy to `targetPort`.
 *
 * @param targetPort - Port of the node on 127.0.0.1.
 */
export async function startRpcProxy(targetPort: number): Promise<RpcProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const up = async () => {
    if (server) return;
    server = createServer((client) => {
      const upstream = createConnection({ port: targetPort, host: "127.0.0.1" });
      sockets.add(client);
      sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
    });
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
  };
  const down = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down, close: down };
}

/**
 * An HTTP JSON-RPC proxy that can lose answers: with `loseNextBroadcastAnswer()`, the next request
 * carrying `eth_sendRawTransaction` is forwarded to the node (which accepts the transaction) but the
 * connection is then destroyed without an answer, the ambiguous "did it get there?" case.
 */
export type LossyRpcProxy = { url: string; loseNextBroadcastAnswer(): void; lost(): number; close(): Promise<void> };

/**
 * Starts a loopback HTTP proxy to `targetUrl`.
 *
 * @param targetUrl - The node's JSON-RPC URL.
 */
export async function startLossyRpcProxy(targetUrl: string): Promise<LossyRpcProxy> {
  const { createServer: createHttpServer } = await import("node:http");
  let loseNext = false;
  let lostCount = 0;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString();
      const upstream = await fetch(targetUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const text = await upstream.text();
      if (loseNext && body.includes("eth_sendRawTransaction")) {
        loseNext = false;
        lostCount++;
        req.socket.destroy();
        return;
      }
      res.writeHead(upstream.status, { "content-type": "application/json" });
      res.end(text);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    loseNextBroadcastAnswer: () => {
      loseNext = true;
    },
    lost: () => lostCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
