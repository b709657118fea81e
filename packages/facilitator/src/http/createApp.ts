import { timingSafeEqual } from "node:crypto";
import { type SettleResponse, VerifyRequestV1, VerifyRequestV2, type VerifyResponse } from "@x402kit/signer/wire";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { Logger } from "pino";
import { Gauge, type Registry } from "prom-client";
import { z } from "zod";
import { type Clock, systemClock } from "../domain/clock.js";
import { errorSummary, redactHex } from "../domain/errorSummary.js";
import { NotWriterError, QueueFullError, RpcUnavailableError, ShuttingDownError } from "../domain/errors.js";
import { reasonCode } from "../domain/reasons.js";
import type { Facilitator } from "../facilitator/createFacilitator.js";
import { parseBatchSettlementRequest } from "../schemes/batchSettlement/schemas.js";
import { setLimit } from "./createHttpServer.js";
import { type HttpErrorReason, httpErrorBody } from "./httpError.js";

/** What {@link createApp} serves and how. */
export type AppDeps = {
  facilitator: Facilitator;
  /** Defaults to the facilitator's logger. */
  logger?: Logger;
  clock?: Clock;
  /** Bearer keys required on `/verify` and `/settle`; default from the facilitator's config. */
  apiKeys?: readonly string[];
  /** Requests per minute per client on `/verify` and `/settle`; 0 disables. */
  rateLimitPerMinute?: number;
  /** Clients the rate limiter remembers at once (the oldest is forgotten first). */
  rateLimitMaxClients?: number;
  /** Take the client address from `X-Forwarded-For` (behind a proxy you run); default off. */
  trustProxy?: boolean;
  /** Largest accepted body in bytes. */
  bodyLimitBytes?: number;
  /** Called after `POST /close` has been answered (the process then drains and exits). */
  onClose?: () => void;
};

type Env = { Variables: { requestId: string } };

/**
 * The facilitator's HTTP API as a Hono app: `POST /verify`, `POST /settle`, `GET /supported`,
 * `GET /health`, `GET /metrics`, `POST /close`, `GET /settlements/:id`.
 *
 * Business failures answer 200 with `isValid:false` / `success:false` and a reason code; malformed
 * requests 400; an unreachable RPC or a full queue 503 with `Retry-After`; 5xx only for faults.
 *
 * @param deps - The facilitator and HTTP policy.
 * @returns The app; serve it with `@hono/node-server` or call `app.request()` in tests.
 *
 * @example
 * ```ts
 * import { serve } from "@hono/node-server";
 * import { createApp, createFacilitator } from "@x402kit/facilitator";
 * const facilitator = createFacilitator(config);
 * await facilitator.start();
 * serve({ fetch: createApp({ facilitator }).fetch, port: 4022 });
 * ```
 */
export function createApp(deps: AppDeps): Hono<Env> {
  const { facilitator } = deps;
  const baseLogger = deps.logger ?? facilitator.logger;
  const clock = deps.clock ?? systemClock;
  const apiKeys = deps.apiKeys ?? facilitator.config.apiKeys;
  const rateLimitPerMinute = deps.rateLimitPerMinute ?? facilitator.config.rateLimitPerMinute;
  const rateLimitMaxClients = deps.rateLimitMaxClients ?? facilitator.config.http.rateLimitMaxClients;
  const trustProxy = deps.trustProxy ?? facilitator.config.http.trustProxy;
  const limit = deps.bodyLimitBytes ?? facilitator.config.bodyLimitBytes;
  const registry = facilitator.metrics.registry;
  setLimit(registry, "rate_limit_per_minute", rateLimitPerMinute);
  setLimit(registry, "rate_limit_max_clients", rateLimitMaxClients);
  setLimit(registry, "queue_limit_per_signer", facilitator.config.queueLimitPerSigner);

  const app = new Hono<Env>();
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(requestLogger(baseLogger));

  // Guards are bound to their route's method, so another method reaches the 405 below, not an auth refusal.
  const honoBodyLimit = bodyLimit({
    maxSize: limit,
    onError: (c) => refuse(c, 413, "payload_too_large", `request body exceeds ${limit} bytes`),
  });
  // A body `createHttpServer` already read whole is measured as it is: reading it again through a Web Request would
  // cost as much as checking a voucher.
  const limitBody: MiddlewareHandler<Env> = async (c, next) => {
    const buffered = bufferedBody(c);
    if (buffered === undefined) return honoBodyLimit(c, next);
    if (buffered.length > limit) return refuse(c, 413, "payload_too_large", `request body exceeds ${limit} bytes`);
    await next();
  };
  const requireKey = bearerAuth(apiKeys);
  // One limiter for both routes: a client's verifies and settles count together.
  const limitRate = rateLimit({
    perMinute: rateLimitPerMinute,
    maxClients: rateLimitMaxClients,
    byApiKey: apiKeys.length > 0,
    trustProxy,
    clock,
    registry,
  });
  for (const path of ["/verify", "/settle"]) app.post(path, limitBody, requireKey, limitRate);

  // Operator routes: behind the same API keys when there are any. `/close` stops the facilitator, so without
  // keys it answers loopback callers only.
  app.get("/metrics", requireKey);
  app.get("/settlements/*", requireKey);
  app.post("/close", requireKey, apiKeys.length > 0 ? (_c, next) => next() : loopbackOnly());

  app.post("/verify", async (c) => {
    const parsed = await parseBody(c);
    if ("unsupportedVersion" in parsed) {
      const response: VerifyResponse = {
        isValid: false,
        invalidReason: reasonCode("invalidX402Version", 2),
        invalidMessage: `x402Version ${parsed.unsupportedVersion} is not supported; use 1 or 2`,
        payer: "",
      };
      return c.json(response);
    }
    return c.json(await facilitator.verify(parsed.body));
  });

  app.post("/settle", async (c) => {
    const parsed = await parseBody(c);
    if ("unsupportedVersion" in parsed) {
      const response: SettleResponse = {
        success: false,
        errorReason: reasonCode("invalidX402Version", 2),
        errorMessage: `x402Version ${parsed.unsupportedVersion} is not supported; use 1 or 2`,
        payer: "",
        transaction: "",
        network: parsed.network || "unknown",
      };
      return c.json(response);
    }
    return c.json(await facilitator.settle(parsed.body));
  });

  app.get("/supported", (c) => c.json(facilitator.supported()));

  app.get("/health", async (c) => {
    const health = await facilitator.health();
    return c.json(health, health.status === "ok" ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const registry = facilitator.metrics.registry;
    return c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType });
  });

  app.get("/settlements/:id", async (c) => {
    const id = SettlementId.safeParse(c.req.param("id"));
    if (!id.success) return refuse(c, 400, "invalid_request", "settlement id: 1 to 128 of A-Z a-z 0-9 _ -");
    const view = await facilitator.settlement(id.data);
    if (!view) return refuse(c, 404, "not_found", "no settlement with this id");
    return c.json(view);
  });

  app.post("/close", (c) => {
    if (deps.onClose) setImmediate(deps.onClose);
    return c.json({ status: "closing" });
  });

  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed) {
      c.header("Allow", allowed.join(", "));
      return refuse(c, 405, "method_not_allowed", `${c.req.path} accepts ${allowed.join(", ")}, not ${c.req.method}`);
    }
    return refuse(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`);
  });

  app.onError((error, c) => {
    const log = baseLogger.child({ requestId: c.get("requestId") });
    if (error instanceof RequestError) return refuse(c, error.status, error.reason, error.message);
    if (error instanceof HTTPException) {
      if (error.res) return error.res;
      return refuse(c, error.status, error.status === 413 ? "payload_too_large" : "invalid_request", error.message);
    }
    if (error instanceof RpcUnavailableError) {
      log.warn({ network: error.network, details: redactHex(error.details ?? "") }, "rpc unavailable");
      c.header("Retry-After", "5");
      return refuse(c, 503, "rpc_unavailable", error.shortMessage);
    }
    if (error instanceof QueueFullError) {
      c.header("Retry-After", String(error.retryAfterSeconds));
      return refuse(c, 503, "queue_full", error.shortMessage);
    }
    if (error instanceof ShuttingDownError) {
      c.header("Retry-After", "5");
      return refuse(c, 503, "shutting_down", error.shortMessage);
    }
    if (error instanceof NotWriterError) {
      c.header("Retry-After", "2");
      return refuse(c, 503, "not_writer", error.shortMessage);
    }
    log.error({ err: errorSummary(error) }, "unhandled error");
    return refuse(c, 500, "internal_error", "internal error");
  });

  return app;
}

type ParsedBody =
  | { body: z.infer<typeof VerifyRequestV1> | z.infer<typeof VerifyRequestV2> }
  | {
      unsupportedVersion: unknown;
      network: string;
    };

/** A refusal of the request itself, answered with its status and reason code. */
class RequestError extends Error {
  constructor(
    readonly status: 400 | 415,
    readonly reason: HttpErrorReason,
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/** `GET /settlements/:id`: the ids the engine hands out (UUIDs), with room for others of the same alphabet. */
const SettlementId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

/** Methods of each route, for `405` + `Allow` (`HEAD` is answered wherever `GET` is). */
const ROUTES: readonly { pattern: RegExp; methods: readonly string[] }[] = [
  { pattern: /^\/(verify|settle|close)$/, methods: ["POST"] },
  { pattern: /^\/(supported|health|metrics)$/, methods: ["GET", "HEAD"] },
  { pattern: /^\/settlements\/[^/]+$/, methods: ["GET", "HEAD"] },
];

function allowedMethods(path: string): readonly string[] | undefined {
  return ROUTES.find((route) => route.pattern.test(path))?.methods;
}

/** Answers an HTTP-level refusal in the one error shape (see {@link httpErrorBody}). */
function refuse(c: Context<Env>, status: number, reason: HttpErrorReason, message: string): Response {
  const body = httpErrorBody({
    path: c.req.path,
    status,
    reason,
    message,
    requestId: status >= 500 ? c.get("requestId") : undefined,
  });
  return c.json(body, status as 400);
}

/** UTF-8, a leading byte-order mark dropped, as `Request.json()` decodes. */
const utf8 = new TextDecoder("utf-8");

/** The body `createHttpServer` read whole before the app (`@hono/node-server`'s `rawBody`), when it did. */
function bufferedBody(c: Context<Env>): Buffer | undefined {
  const raw = (c.env as { incoming?: { rawBody?: unknown } } | undefined)?.incoming?.rawBody;
  return Buffer.isBuffer(raw) ? raw : undefined;
}

/** Reads and validates a `/verify` or `/settle` body with the signer's schema for its version. */
async function parseBody(c: Context<Env>): Promise<ParsedBody> {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new RequestError(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  let json: unknown;
  try {
    const buffered = bufferedBody(c);
    json = buffered === undefined ? await c.req.json() : JSON.parse(utf8.decode(buffered));
  } catch {
    throw new RequestError(400, "invalid_payload", "request body is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new RequestError(400, "invalid_payload", "request body must be a JSON object");
  }
  const payload = (json as { paymentPayload?: unknown }).paymentPayload;
  if (typeof payload !== "object" || payload === null) {
    throw new RequestError(400, "invalid_payload", "paymentPayload: required object");
  }
  const version = (payload as { x402Version?: unknown }).x402Version;
  if (typeof version === "number" && version !== 1 && version !== 2) {
    const requirements = (json as { paymentRequirements?: { network?: unknown } }).paymentRequirements;
    return {
      unsupportedVersion: version,
      network: typeof requirements?.network === "string" ? requirements.network : "",
    };
  }
  const scheme = (json as { paymentRequirements?: { scheme?: unknown } }).paymentRequirements?.scheme;
  if (version === 2 && scheme === "batch-settlement") {
    // Parsed here for the 400 answers; the scheme then parses only the rest of it (see parseRequirements).
    const result = parseBatchSettlementRequest(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new RequestError(
        400,
        "invalid_payload",
        `${issue?.path.join(".") || "(body)"}: ${issue?.message ?? "invalid"}`,
      );
    }
    return { body: result.data as unknown as z.infer<typeof VerifyRequestV2> };
  }
  const schema = version === 1 ? VerifyRequestV1 : version === 2 ? VerifyRequestV2 : undefined;
  if (!schema) throw new RequestError(400, "invalid_payload", "paymentPayload.x402Version: expected 1 or 2");
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join(".") || "(body)";
    throw new RequestError(400, "invalid_payload", `${path}: ${issue?.message ?? "invalid"}`);
  }
  return { body: result.data };
}

/**
 * Logs one line per request with its id. No child logger per request: on the voucher path a child's bindings cost as
 * much as the line itself; the error handler makes one when it needs it.
 */
function requestLogger(logger: Logger): MiddlewareHandler<Env> {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    const level = c.res.status >= 500 ? "error" : "info";
    logger[level](
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  };
}

/** Requires `Authorization: Bearer <key>` with one of `keys` (constant-time compare); no keys disables it. */
function bearerAuth(keys: readonly string[]): MiddlewareHandler<Env> {
  const encoded = keys.map((k) => Buffer.from(k));
  return async function requireApiKey(c, next) {
    if (encoded.length === 0) return next();
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = Buffer.from(match?.[1]?.trim() ?? "");
    const ok = encoded.some((k) => k.length === given.length && timingSafeEqual(k, given));
    if (!ok) {
      c.header("WWW-Authenticate", 'Bearer realm="x402kit-facilitator"');
      return refuse(c, 401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)");
    }
    return next();
  };
}

/** Refuses (403) a caller whose socket address is not loopback (or unknown). */
function loopbackOnly(): MiddlewareHandler<Env> {
  return async function requireLoopback(c, next) {
    const remote = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
      ?.remoteAddress;
    if (remote === "127.0.0.1" || remote === "::1" || remote === "::ffff:127.0.0.1") return next();
    return refuse(c, 403, "forbidden", "POST /close is accepted from loopback only unless API keys are configured");
  };
}

/**
 * Fixed-window rate limit per client: the API key when keys are required (checked before this runs), else the
 * client's address (`X-Forwarded-For`'s first hop only with `trustProxy`, since anyone can send that header).
 * 429 with `Retry-After` when exceeded. At most `maxClients` windows are kept: expired ones go first, then the
 * oldest, so hostile traffic from many addresses cannot grow memory without bound.
 */
function rateLimit(options: {
  perMinute: number;
  maxClients: number;
  byApiKey: boolean;
  trustProxy: boolean;
  clock: Clock;
  registry: Registry;
}): MiddlewareHandler<Env> {
  const { perMinute, maxClients, byApiKey, trustProxy, clock } = options;
  const windows = new Map<string, { start: number; count: number }>();
  options.registry.removeSingleMetric("x402kit_rate_limit_clients");
  new Gauge({
    name: "x402kit_rate_limit_clients",
    help: "Clients the rate limiter currently remembers.",
    registers: [options.registry],
    collect() {
      this.set(windows.size);
    },
  });
  const remoteAddress = (c: Context<Env>) =>
    (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  return async function limitRate(c, next) {
    if (perMinute <= 0) return next();
    const now = clock.now();
    const forwarded = trustProxy ? c.req.header("X-Forwarded-For")?.split(",")[0]?.trim() : undefined;
    const key = byApiKey ? c.req.header("Authorization") : undefined;
    const client = key ?? (forwarded || remoteAddress(c) || "anonymous");
    let window = windows.get(client);
    if (!window || now - window.start >= 60_000) {
      windows.delete(client);
      window = { start: now, count: 0 };
      if (windows.size >= maxClients) {
        for (const [key, w] of windows) if (now - w.start >= 60_000) windows.delete(key);
        for (const key of windows.keys()) {
          if (windows.size < maxClients) break;
          windows.delete(key);
        }
      }
      windows.set(client, window);
    }
    window.count++;
    if (window.count > perMinute) {
      c.header("Retry-After", String(Math.ceil((window.start + 60_000 - now) / 1000)));
      return refuse(c, 429, "rate_limited", `rate limit exceeded: ${perMinute} requests per minute`);
    }
    return next();
  };
}
