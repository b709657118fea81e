/**
 * Loopback proxies in front of a node's JSON-RPC port, to take "the RPC" down and bring it back, or to
 * lose the answer to a broadcast. (The node itself comes from `@x402kit/hardhat-node`.)
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { freePort } from "@x402kit/hardhat-node";

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
