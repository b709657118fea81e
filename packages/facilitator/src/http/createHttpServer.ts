import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Counter, Gauge, type Registry } from "prom-client";
import { type HttpErrorReason, httpErrorBody, requestPath } from "./httpError.js";

/** The limits of the HTTP edge (see the facilitator README, "HTTP limits"). */
export type HttpLimits = {
  /** Largest request body accepted (bytes); a larger one is answered 413. */
  bodyLimitBytes: number;
  /**
   * How much of an oversized body is read and thrown away so that the client, still writing, reads the 413 on an
   * open connection (which then stays usable). A body declared or sent beyond this is answered at once with
   * `Connection: close`.
   */
  drainLimitBytes: number;
  /** Longest wait for a request's headers (ms); then 408 and the connection is closed. */
  headersTimeoutMs: number;
  /** Longest wait for a whole request, headers and body (ms); then 408 and the connection is closed. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open (ms). */
  keepAliveTimeoutMs: number;
  /** Largest header section (bytes); a larger one is answered 431. */
  maxHeaderBytes: number;
  /**
   * Open connections served; the requests of connections beyond it are answered 503 + `Retry-After` and their
   * connection closed. Beyond twice this, new connections are not accepted at all.
   */
  maxConnections: number;
  /** Requests being read or answered at once; beyond it 503 + `Retry-After` (the connection stays open). */
  maxInFlight: number;
};

/** Defaults of {@link HttpLimits}. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  bodyLimitBytes: 65_536,
  drainLimitBytes: 16_777_216,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16_384,
  maxConnections: 4_096,
  maxInFlight: 2_048,
};

/** What {@link createHttpServer} serves and how. */
export type CreateHttpServerParameters = {
  /** The application (a Hono app's `fetch`). */
  fetch: (
    request: Request,
    env: { incoming: IncomingMessage; outgoing: ServerResponse },
  ) => Response | Promise<Response>;
  limits?: Partial<HttpLimits> | undefined;
  /** Where the edge's gauges and counters go (`x402kit_http_*`). */
  registry?: Registry | undefined;
};

/** Seconds a client is asked to wait after a 503 for capacity. */
const RETRY_AFTER_SECONDS = 1;
/** How long a connection closed after a refusal keeps reading (and discarding) what its client still sends. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Creates the facilitator's HTTP/1.1 server (not yet listening): a Node `http.Server` in front of the app that
 * reads every request whole before the app sees it, so no answer is ever sent while the client is still
 * writing into a socket about to close, and no connection is reset under a client that can still read:
 *
 * - a body over `bodyLimitBytes` is read and discarded (up to `drainLimitBytes`) and answered 413 on a connection
 *   that stays open; beyond the drain limit (or declared beyond it, or with `Expect: 100-continue`) it is answered
 *   413 with `Connection: close` at once;
 * - headers and whole requests are bounded in time (408), header sections in size (431), malformed requests get a
 *   400; each such answer is written whole, the connection half-closed, and whatever the client still sends read
 *   and thrown away for a moment before the socket is closed;
 * - connections beyond `maxConnections` and requests beyond `maxInFlight` are answered 503 + `Retry-After`.
 *
 * @param parameters - {@link CreateHttpServerParameters}
 * @returns The server; call `listen()`.
 */
export function createHttpServer(parameters: CreateHttpServerParameters): Server {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...definedOnly(parameters.limits ?? {}) };
  const app = getRequestListener(parameters.fetch as Parameters<typeof getRequestListener>[0]);
  const overCapacity = new WeakSet<Socket>();
  let connections = 0;
  let inFlight = 0;
  const metrics = edgeMetrics(parameters.registry, limits, () => ({ connections, inFlight }));

  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    connectionsCheckingInterval: Math.max(250, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
  });
  server.maxConnections = limits.maxConnections * 2;
  server.maxHeadersCount = 200;

  server.on("connection", (socket: Socket) => {
    connections++;
    if (connections > limits.maxConnections) overCapacity.add(socket);
    socket.once("close", () => {
      connections--;
    });
  });
  server.on("drop", () => metrics.refused("connection_dropped"));

  /** Answers `status` with the usual JSON body; `close` ends the connection after the answer. */
  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    reason: HttpErrorReason,
    message: string,
    options: { close?: boolean; retryAfter?: number } = {},
  ) => {
    metrics.refused(reason);
    if (res.headersSent || res.destroyed) return;
    const body = JSON.stringify(httpErrorBody({ path: requestPath(req.url), status, reason, message }));
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
    };
    if (options.retryAfter !== undefined) headers["Retry-After"] = options.retryAfter;
    if (options.close) headers.Connection = "close";
    if (options.close) closeGently(req.socket);
    res.writeHead(status, headers);
    res.end(body);
  };

  const tooLarge = (limit: number) => `request body exceeds ${limit} bytes`;

  const handle = (req: IncomingMessage, res: ServerResponse, continued = false) => {
    // A request pipelined behind a closing answer is never answered: the connection is on its way out.
    if (closing.has(req.socket)) return void req.resume();
    inFlight++;
    res.once("close", () => {
      inFlight--;
    });
    const declared = declaredLength(req);
    if (declared === "invalid") {
      return refuse(req, res, 400, "invalid_request", "Content-Length is not a number", { close: true });
    }
    // A refusal known before the body is read: send it once the body is consumed, so the connection stays usable.
    let early: (() => void) | undefined;
    if (overCapacity.has(req.socket)) {
      early = () =>
        refuse(req, res, 503, "over_capacity", "the facilitator has too many open connections; retry shortly", {
          close: true,
          retryAfter: RETRY_AFTER_SECONDS,
        });
    } else if (inFlight > limits.maxInFlight) {
      early = () =>
        refuse(req, res, 503, "over_capacity", "the facilitator is answering too many requests; retry shortly", {
          retryAfter: RETRY_AFTER_SECONDS,
        });
    }
    if (!hasBody(req, declared)) {
      if (early) return early();
      return void app(req, res);
    }
    if (
      typeof declared === "number" &&
      declared > limits.bodyLimitBytes &&
      (continued || declared > limits.drainLimitBytes)
    ) {
      // Nothing (or not all) of the body was sent yet, or it is too large to read through: answer now and close.
      return refuse(req, res, 413, "payload_too_large", tooLarge(limits.bodyLimitBytes), { close: true });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size <= limits.bodyLimitBytes) chunks.push(chunk);
      else chunks.length = 0;
      if (size > limits.drainLimitBytes) {
        settled = true;
        refuse(req, res, 413, "payload_too_large", tooLarge(limits.bodyLimitBytes), { close: true });
      }
    });
    req.once("end", () => {
      if (settled) return;
      settled = true;
      if (early) return early();
      if (size > limits.bodyLimitBytes) {
        return refuse(req, res, 413, "payload_too_large", tooLarge(limits.bodyLimitBytes));
      }
      // The app reads the buffered body (`@hono/node-server` takes `rawBody` as the request body).
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = Buffer.concat(chunks, size);
      void app(req, res);
    });
    req.once("error", () => {
      settled = true;
    });
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => handle(req, res));
  // `Expect: 100-continue`: refuse an oversized body before the client sends it; otherwise invite it.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const declared = declaredLength(req);
    if (typeof declared !== "number" || declared <= limits.bodyLimitBytes) res.writeContinue();
    handle(req, res, true);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    // Node's parser reports every later chunk of a refused connection again: it was answered once, that is all.
    if (closing.has(socket)) return;
    const answer = clientErrorAnswer(error);
    if (!answer || !socket.writable || socket.destroyed) {
      socket.destroy();
      return;
    }
    // A response of this connection already started (pipelining): the peer could not tell the two apart.
    const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (current?.headersSent) {
      socket.destroy();
      return;
    }
    metrics.refused(answer.reason);
    const body = JSON.stringify(httpErrorBody({ path: "", ...answer }));
    closeGently(socket);
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

const closing = new WeakSet<Socket>();

/**
 * Closes `socket` without resetting it under a peer that is still writing: Node's `destroySoon` (called after a
 * `Connection: close` answer) only half-closes it (FIN after the answer), what the peer still sends is read and
 * thrown away, and the socket is destroyed when the peer closes its side or after a grace period.
 */
function closeGently(socket: Socket): void {
  if (closing.has(socket) || socket.destroyed) return;
  closing.add(socket);
  const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  socket.once("end", () => socket.destroy());
  (socket as Socket & { destroySoon(): void }).destroySoon = function halfClose(this: Socket) {
    if (this.writable) this.end();
  };
}

/** The answer to a request Node's parser refused, or `undefined` when the peer is gone. */
function clientErrorAnswer(
  error: NodeJS.ErrnoException,
): { status: number; text: string; reason: HttpErrorReason; message: string } | undefined {
  switch (error.code) {
    case "ECONNRESET":
    case "EPIPE":
      return undefined;
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        text: "Request Header Fields Too Large",
        reason: "header_fields_too_large",
        message: "the request's header section is too large",
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {
        status: 408,
        text: "Request Timeout",
        reason: "request_timeout",
        message: "the request did not arrive in time",
      };
    default:
      return { status: 400, text: "Bad Request", reason: "invalid_request", message: "malformed HTTP request" };
  }
}

/** The declared `Content-Length`, `undefined` when absent, `"invalid"` when not a non-negative integer. */
function declaredLength(req: IncomingMessage): number | undefined | "invalid" {
  const header = req.headers["content-length"];
  if (header === undefined) return undefined;
  if (!/^\d{1,15}$/.test(header)) return "invalid";
  return Number(header);
}

/** Whether the request carries a body (a non-zero length, or chunked). */
function hasBody(req: IncomingMessage, declared: number | undefined): boolean {
  if (declared !== undefined) return declared > 0;
  return req.headers["transfer-encoding"] !== undefined;
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Registers the edge's metrics (replacing an earlier edge's on the same registry). */
function edgeMetrics(
  registry: Registry | undefined,
  limits: HttpLimits,
  read: () => { connections: number; inFlight: number },
): { refused(reason: string): void } {
  if (!registry) return { refused: () => {} };
  for (const name of ["x402kit_http_connections", "x402kit_http_in_flight", "x402kit_http_refused_total"]) {
    registry.removeSingleMetric(name);
  }
  new Gauge({
    name: "x402kit_http_connections",
    help: "Open HTTP connections.",
    registers: [registry],
    collect() {
      this.set(read().connections);
    },
  });
  new Gauge({
    name: "x402kit_http_in_flight",
    help: "HTTP requests being read or answered.",
    registers: [registry],
    collect() {
      this.set(read().inFlight);
    },
  });
  const refused = new Counter({
    name: "x402kit_http_refused_total",
    help: "Requests and connections the HTTP edge refused, by reason.",
    labelNames: ["reason"],
    registers: [registry],
  });
  setLimit(registry, "max_connections", limits.maxConnections);
  setLimit(registry, "max_in_flight", limits.maxInFlight);
  setLimit(registry, "body_limit_bytes", limits.bodyLimitBytes);
  setLimit(registry, "drain_limit_bytes", limits.drainLimitBytes);
  setLimit(registry, "headers_timeout_ms", limits.headersTimeoutMs);
  setLimit(registry, "request_timeout_ms", limits.requestTimeoutMs);
  setLimit(registry, "keep_alive_timeout_ms", limits.keepAliveTimeoutMs);
  setLimit(registry, "max_header_bytes", limits.maxHeaderBytes);
  return { refused: (reason) => refused.inc({ reason }) };
}

/**
 * Sets one configured limit in the `x402kit_limit{name}` gauge of `registry` (created on first use), so that
 * dashboards show each bound beside the figure it bounds.
 *
 * @param registry - The facilitator's registry.
 * @param name - The limit, snake_case.
 * @param value - Its configured value.
 */
export function setLimit(registry: Registry, name: string, value: number): void {
  let gauge = registry.getSingleMetric("x402kit_limit") as Gauge<"name"> | undefined;
  if (!gauge) {
    gauge = new Gauge({
      name: "x402kit_limit",
      help: "Configured limits (queue sizes, caps, timeouts) by name.",
      labelNames: ["name"],
      registers: [registry],
    });
  }
  gauge.set({ name }, value);
}
