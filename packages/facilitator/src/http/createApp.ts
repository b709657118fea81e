import { timingSafeEqual } from "node:crypto";
import { type SettleResponse, VerifyRequestV1, VerifyRequestV2, type VerifyResponse } from "@x402kit/signer/wire";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { Logger } from "pino";
import type { z } from "zod";
import { type Clock, systemClock } from "../domain/clock.js";
import { errorSummary, redactHex } from "../domain/errorSummary.js";
import { QueueFullError, RpcUnavailableError, ShuttingDownError } from "../domain/errors.js";
import { reasonCode } from "../domain/reasons.js";
import type { Facilitator } from "../facilitator/createFacilitator.js";

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
  /** Largest accepted body in bytes. */
  bodyLimitBytes?: number;
  /** Called after `POST /close` has been answered (the process then drains and exits). */
  onClose?: () => void;
};

type Env = { Variables: { requestId: string; log: Logger } };

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
  const limit = deps.bodyLimitBytes ?? facilitator.config.bodyLimitBytes;

  const app = new Hono<Env>();
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(requestLogger(baseLogger));

  for (const path of ["/verify", "/settle"]) {
    app.use(
      path,
      bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: `request body exceeds ${limit} bytes` }, 413) }),
      bearerAuth(apiKeys),
      rateLimit(rateLimitPerMinute, clock),
    );
  }

  // Operator routes: behind the same API keys when there are any. `/close` stops the facilitator, so without
  // keys it answers loopback callers only.
  app.use("/metrics", bearerAuth(apiKeys));
  app.use("/settlements/*", bearerAuth(apiKeys));
  app.use("/close", bearerAuth(apiKeys), apiKeys.length > 0 ? (_c, next) => next() : loopbackOnly());

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

  app.get("/settlements/:id", (c) => {
    const view = facilitator.settlement(c.req.param("id"));
    if (!view) return c.json({ error: "no settlement with this id" }, 404);
    return c.json(view);
  });

  app.post("/close", (c) => {
    if (deps.onClose) setImmediate(deps.onClose);
    return c.json({ status: "closing" });
  });

  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.onError((error, c) => {
    const log = c.get("log") ?? baseLogger;
    if (error instanceof HTTPException) {
      if (error.res) return error.res;
      return c.json({ error: error.message }, error.status);
    }
    if (error instanceof RpcUnavailableError) {
      log.warn({ network: error.network, details: redactHex(error.details ?? "") }, "rpc unavailable");
      c.header("Retry-After", "5");
      return c.json({ error: error.shortMessage, retryable: true }, 503);
    }
    if (error instanceof QueueFullError) {
      c.header("Retry-After", String(error.retryAfterSeconds));
      return c.json({ error: error.shortMessage, retryable: true }, 503);
    }
    if (error instanceof ShuttingDownError) {
      c.header("Retry-After", "5");
      return c.json({ error: error.shortMessage, retryable: true }, 503);
    }
    log.error({ err: errorSummary(error) }, "unhandled error");
    return c.json({ error: "internal error", requestId: c.get("requestId") }, 500);
  });

  return app;
}

type ParsedBody =
  | { body: z.infer<typeof VerifyRequestV1> | z.infer<typeof VerifyRequestV2> }
  | {
      unsupportedVersion: unknown;
      network: string;
    };

/** Reads and validates a `/verify` or `/settle` body with the signer's schema for its version. */
async function parseBody(c: Context<Env>): Promise<ParsedBody> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new HTTPException(400, { message: "request body is not valid JSON" });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new HTTPException(400, { message: "request body must be a JSON object" });
  }
  const payload = (json as { paymentPayload?: unknown }).paymentPayload;
  if (typeof payload !== "object" || payload === null) {
    throw new HTTPException(400, { message: "paymentPayload: required object" });
  }
  const version = (payload as { x402Version?: unknown }).x402Version;
  if (typeof version === "number" && version !== 1 && version !== 2) {
    const requirements = (json as { paymentRequirements?: { network?: unknown } }).paymentRequirements;
    return {
      unsupportedVersion: version,
      network: typeof requirements?.network === "string" ? requirements.network : "",
    };
  }
  const schema = version === 1 ? VerifyRequestV1 : version === 2 ? VerifyRequestV2 : undefined;
  if (!schema) throw new HTTPException(400, { message: "paymentPayload.x402Version: expected 1 or 2" });
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join(".") || "(body)";
    throw new HTTPException(400, { message: `${path}: ${issue?.message ?? "invalid"}` });
  }
  return { body: result.data };
}

/** Logs one line per request with its id, and gives handlers a child logger. */
function requestLogger(logger: Logger): MiddlewareHandler<Env> {
  return async function logRequest(c, next) {
    const started = performance.now();
    const log = logger.child({ requestId: c.get("requestId") });
    c.set("log", log);
    await next();
    const level = c.res.status >= 500 ? "error" : "info";
    log[level](
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) },
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
      return c.json({ error: "a valid API key is required (Authorization: Bearer <key>)" }, 401);
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
    return c.json({ error: "POST /close is accepted from loopback only unless API keys are configured" }, 403);
  };
}

/** Fixed-window rate limit per client (API key, else address); 429 with `Retry-After` when exceeded. */
function rateLimit(perMinute: number, clock: Clock): MiddlewareHandler<Env> {
  const windows = new Map<string, { start: number; count: number }>();
  return async function limitRate(c, next) {
    if (perMinute <= 0) return next();
    const now = clock.now();
    const client =
      c.req.header("Authorization") ??
      c.req.header("X-Forwarded-For")?.split(",")[0]?.trim() ??
      (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ??
      "anonymous";
    let window = windows.get(client);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      windows.set(client, window);
      if (windows.size > 10_000) {
        for (const [key, w] of windows) if (now - w.start >= 60_000) windows.delete(key);
      }
    }
    window.count++;
    if (window.count > perMinute) {
      c.header("Retry-After", String(Math.ceil((window.start + 60_000 - now) / 1000)));
      return c.json({ error: "rate limit exceeded" }, 429);
    }
    return next();
  };
}
