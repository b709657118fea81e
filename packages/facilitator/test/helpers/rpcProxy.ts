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

/**
 * An HTTP JSON-RPC proxy that refuses chosen raw transactions the way a node refuses bytes it will not
 * pool (`-32000`, "max fee per gas less than block base fee"), and can lose the answer to the next
 * broadcast without forwarding it (the node never sees it). Everything else is forwarded, batches too.
 */
export type RefusingRpcProxy = {
  url: string;
  /** Refuses every later broadcast of the transaction with this hash. */
  refuse(hash: string): void;
  /** Refuses the next `count` broadcasts of transactions not seen before. */
  refuseNextNew(count: number): void;
  /** The next broadcast gets no answer and never reaches the node. */
  swallowNextBroadcast(): void;
  /** Answers `null` (not found) to `eth_getTransactionReceipt` for this hash until `showReceipt`. */
  hideReceipt(hash: string): void;
  showReceipt(hash: string): void;
  /** Hashes of every broadcast refused so far. */
  refused(): string[];
  close(): Promise<void>;
};

/**
 * Starts a loopback HTTP proxy to `targetUrl` that can refuse broadcasts.
 *
 * @param targetUrl - The node's JSON-RPC URL.
 */
export async function startRefusingRpcProxy(targetUrl: string): Promise<RefusingRpcProxy> {
  const { createServer: createHttpServer } = await import("node:http");
  const { keccak256 } = await import("viem");
  const refusing = new Set<string>();
  const seen = new Set<string>();
  const refusedHashes: string[] = [];
  const hidden = new Set<string>();
  let refuseNew = 0;
  let swallow = false;
  type Call = { id: unknown; method: string; params?: unknown[] };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString()) as Call | Call[];
      const calls = Array.isArray(parsed) ? parsed : [parsed];
      const answers = new Map<unknown, unknown>();
      const forward: Call[] = [];
      for (const call of calls) {
        const asked = String(call.params?.[0] ?? "").toLowerCase();
        if (call.method === "eth_getTransactionReceipt" && hidden.has(asked)) {
          answers.set(call.id, { jsonrpc: "2.0", id: call.id, result: null });
          continue;
        }
        if (call.method !== "eth_sendRawTransaction") {
          forward.push(call);
          continue;
        }
        if (swallow) {
          swallow = false;
          req.socket.destroy();
          return;
        }
        const hash = keccak256(call.params?.[0] as `0x${string}`);
        if (!seen.has(hash)) {
          seen.add(hash);
          if (refuseNew > 0) {
            refuseNew--;
            refusing.add(hash);
          }
        }
        if (refusing.has(hash)) {
          refusedHashes.push(hash);
          const error = { code: -32000, message: "max fee per gas less than block base fee" };
          answers.set(call.id, { jsonrpc: "2.0", id: call.id, error });
        } else forward.push(call);
      }
      if (forward.length > 0) {
        const upstream = await fetch(targetUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(Array.isArray(parsed) ? forward : forward[0]),
        });
        const body = (await upstream.json()) as { id: unknown } | { id: unknown }[];
        for (const answer of Array.isArray(body) ? body : [body]) answers.set(answer.id, answer);
      }
      const out = calls.map((c) => answers.get(c.id));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(Array.isArray(parsed) ? out : out[0]));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    refuse: (hash) => {
      refusing.add(hash.toLowerCase());
    },
    refuseNextNew: (count) => {
      refuseNew = count;
    },
    swallowNextBroadcast: () => {
      swallow = true;
    },
    hideReceipt: (hash) => {
      hidden.add(hash.toLowerCase());
    },
    showReceipt: (hash) => {
      hidden.delete(hash.toLowerCase());
    },
    refused: () => [...refusedHashes],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTP JSON-RPC proxy that counts the calls it forwards, by method (calls inside batches counted one by one), and
 * can hold requests carrying a method for a while before forwarding them.
 */
export type CountingRpcProxy = {
  url: string;
  count(method: string): number;
  /** Holds every later request carrying `method` for `ms` before forwarding it (0 stops). */
  delay(method: string, ms: number): void;
  close(): Promise<void>;
};

/**
 * Starts a loopback HTTP proxy to `targetUrl` that counts calls.
 *
 * @param targetUrl - The node's JSON-RPC URL.
 */
export async function startCountingRpcProxy(targetUrl: string): Promise<CountingRpcProxy> {
  const { createServer: createHttpServer } = await import("node:http");
  const counts = new Map<string, number>();
  const delays = new Map<string, number>();
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString();
      let hold = 0;
      try {
        const parsed = JSON.parse(body) as { method?: string } | { method?: string }[];
        for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
          const method = String(call.method);
          counts.set(method, (counts.get(method) ?? 0) + 1);
          hold = Math.max(hold, delays.get(method) ?? 0);
        }
      } catch {
        // Not JSON: forwarded as it is, the node answers.
      }
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
      const upstream = await fetch(targetUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      res.writeHead(upstream.status, { "content-type": "application/json" });
      res.end(await upstream.text());
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    count: (method) => counts.get(method) ?? 0,
    delay: (method, ms) => {
      delays.set(method, ms);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
