import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Hash } from "viem";
import { z } from "zod";
import type { DashboardDelta, DashboardSnapshot } from "../protocol/messages.js";
import {
  type CreateDashboardCollectorParameters,
  createDashboardCollector,
  type DashboardCollector,
} from "./createDashboardCollector.js";
import { TransactionNotFoundError } from "./errors.js";
import { loadWebAssets } from "./loadWebAssets.js";
import { readTransactionView } from "./readTransactionView.js";

/** Parameters of {@link createDashboardServer}. */
export type CreateDashboardServerParameters = CreateDashboardCollectorParameters & {
  /** Port on `host`; `0` (default) picks a free one. */
  port?: number | undefined;
  /** Default `127.0.0.1`. */
  host?: string | undefined;
  /** The built web app (default: this package's `dist/web`). */
  webRoot?: string | undefined;
  /** Browser tabs streaming at once; more are answered 503. Default 64. */
  maxStreams?: number | undefined;
  /** Seconds between SSE keep-alive comments. Default 15. */
  heartbeatSeconds?: number | undefined;
};

/** A running dashboard. */
export type DashboardServer = {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  readonly collector: DashboardCollector;
  /** Browser tabs streaming now. */
  streams(): number;
  /** Ends every stream, stops following the chain and closes the port. Idempotent. */
  close(): Promise<void>;
};

/** `GET /api/tx/:hash`. */
const TxPath = z.object({ hash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte 0x-prefixed hex hash") });
/** `?payments=N`: how many of the newest payments the snapshot carries. */
const StreamQuery = z.object({ payments: z.coerce.number().int().min(0).max(2_000).default(500) }).strict();

type Refusal = { error: string; reason: string; issues?: string[] | undefined };

/**
 * Serves the dashboard: the built web app (static files from memory), `GET /api/events` (Server-Sent Events:
 * a `snapshot` event, then a `delta` event per coalesced change, all tabs fed from one collector),
 * `GET /api/snapshot` (the same state as JSON) and `GET /api/tx/:hash` (a transaction decoded from the chain).
 * Inputs are validated with zod; a bad one is answered 400 `{ error, reason, issues }`.
 *
 * @param parameters - {@link CreateDashboardServerParameters}
 * @returns The running server.
 * @throws {DashboardAssetsMissingError} When the web app is not built.
 *
 * @example
 * ```ts
 * import { createDashboardServer } from "@x402kit/dashboard";
 * const dashboard = await createDashboardServer({ facilitator, rpcUrl, chain, network, token, accounts: [] });
 * console.log(dashboard.url);
 * await dashboard.close();
 * ```
 */
export async function createDashboardServer(parameters: CreateDashboardServerParameters): Promise<DashboardServer> {
  const assets = loadWebAssets(parameters.webRoot);
  const collector = createDashboardCollector(parameters);
  const maxStreams = parameters.maxStreams ?? 64;
  const heartbeatMs = (parameters.heartbeatSeconds ?? 15) * 1_000;
  const streams = new Set<ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };
  const refuse = (res: ServerResponse, status: number, refusal: Refusal) => json(res, status, refusal);

  const stream = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const query = StreamQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) {
      return refuse(res, 400, {
        error: "invalid query",
        reason: "invalid_query",
        issues: query.error.issues.map((i) => `${i.path.join(".") || "(query)"}: ${i.message}`),
      });
    }
    if (streams.size >= maxStreams) {
      res.setHeader("retry-after", "5");
      return refuse(res, 503, { error: "too many dashboard streams", reason: "too_many_streams" });
    }
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const snapshot: DashboardSnapshot = collector.snapshot();
    const limit = query.data.payments;
    const payments = limit === 0 ? [] : snapshot.payments.slice(-limit);
    res.write(`retry: 1000\nevent: snapshot\ndata: ${JSON.stringify({ ...snapshot, payments })}\n\n`);
    streams.add(res);
    const unsubscribe = collector.subscribe((delta: DashboardDelta) => {
      res.write(`event: delta\ndata: ${JSON.stringify(delta)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), heartbeatMs);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on("close", end);
    res.on("close", end);
  };

  const transaction = async (res: ServerResponse, raw: string) => {
    const parsed = TxPath.safeParse({ hash: raw });
    if (!parsed.success) {
      return refuse(res, 400, {
        error: "invalid transaction hash",
        reason: "invalid_hash",
        issues: parsed.error.issues.map((i) => i.message),
      });
    }
    try {
      const view = await readTransactionView({
        client: collector.client,
        hash: parsed.data.hash as Hash,
        router: parameters.router,
        token: parameters.token.address,
        identityRegistry: parameters.identityRegistry,
        reputationRegistry: parameters.reputationRegistry,
      });
      json(res, 200, view);
    } catch (error) {
      if (error instanceof TransactionNotFoundError) {
        return refuse(res, 404, { error: error.shortMessage, reason: "transaction_not_found" });
      }
      refuse(res, 502, { error: "the chain could not be read", reason: "rpc_error" });
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return refuse(res, 405, { error: "method not allowed", reason: "method_not_allowed" });
    }
    if (url.pathname === "/api/events") return stream(req, res, url);
    if (url.pathname === "/api/snapshot") return json(res, 200, collector.snapshot());
    if (url.pathname.startsWith("/api/tx/")) return void transaction(res, url.pathname.slice("/api/tx/".length));
    if (url.pathname.startsWith("/api/")) return refuse(res, 404, { error: "no such route", reason: "not_found" });
    const asset = assets.get(url.pathname === "/" ? "/index.html" : url.pathname);
    if (!asset) return refuse(res, 404, { error: "no such file", reason: "not_found" });
    res.writeHead(200, {
      "content-type": asset.contentType,
      "content-length": asset.body.length,
      "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
      "content-security-policy":
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    });
    res.end(req.method === "HEAD" ? undefined : asset.body);
  });

  server.listen(parameters.port ?? 0, parameters.host ?? "127.0.0.1");
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => {
      throw error;
    }),
  ]);
  await collector.start();
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    collector,
    streams: () => streams.size,
    close() {
      closing ??= (async () => {
        collector.stop();
        for (const res of streams) res.end();
        streams.clear();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
