import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pino } from "pino";
import { createFacilitator } from "../facilitator/createFacilitator.js";
import { createApp } from "./createApp.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** An app whose chain is unreachable: everything here is answered before or without the chain. */
function app(overrides: Record<string, unknown> = {}, clockMs = { now: 0 }) {
  const dir = mkdtempSync(join(tmpdir(), "x402kit-app-"));
  dirs.push(dir);
  const facilitator = createFacilitator(
    {
      privateKeys: ["0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"],
      networks: [{ network: "eip155:31337", rpcUrl: "http://127.0.0.1:9" }],
      dataDir: dir,
      journalSync: "NORMAL",
      ...overrides,
    },
    { logger: pino({ level: "silent" }) },
  );
  return { facilitator, app: createApp({ facilitator, clock: { now: () => clockMs.now } }) };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** `batch-settlement` requirements on the app's network; bodies built from them are answered without the chain. */
const batchRequirements = {
  scheme: "batch-settlement",
  network: "eip155:31337",
  asset: `0x${"1".repeat(40)}`,
  payTo: `0x${"2".repeat(40)}`,
  amount: "1",
  maxTimeoutSeconds: 0,
  extra: {},
};

/** A `batch-settlement` body whose requirements (and `accepted`) carry `changes`, with `payload`. */
function batchBody(
  changes: Record<string, unknown> = {},
  payload: unknown = { type: "bogus" },
): { x402Version: number; paymentPayload: Record<string, unknown>; paymentRequirements: Record<string, unknown> } {
  const requirements = { ...batchRequirements, ...changes };
  return {
    x402Version: 2,
    paymentPayload: { x402Version: 2, accepted: requirements, payload },
    paymentRequirements: requirements,
  };
}

/** The 400 answer of `/verify` to a malformed body, `message` naming the first problem. */
function verifyRefusal(message: string): Record<string, unknown> {
  return {
    error: message,
    reason: "invalid_payload",
    isValid: false,
    invalidReason: "invalid_payload",
    invalidMessage: message,
    payer: "",
  };
}

/** The 400 answer of `/settle` to a malformed body, `message` naming the first problem. */
function settleRefusal(message: string): Record<string, unknown> {
  return {
    error: message,
    reason: "invalid_payload",
    success: false,
    errorReason: "invalid_payload",
    errorMessage: message,
    payer: "",
    transaction: "",
    network: "",
  };
}

describe("createApp", () => {
  test("default: malformed bodies are 400 with a message naming the problem", async () => {
    const { app: a, facilitator } = app();
    const notJson = await a.request(post("/verify", "{"));
    assert.equal(notJson.status, 400);
    // The x402 answer fields make the official HTTPFacilitatorClient read it as a verdict (the server answers 402).
    assert.deepEqual(await notJson.json(), {
      error: "request body is not valid JSON",
      reason: "invalid_payload",
      isValid: false,
      invalidReason: "invalid_payload",
      invalidMessage: "request body is not valid JSON",
      payer: "",
    });
    const noVersion = await a.request(post("/settle", { paymentPayload: {} }));
    assert.equal(noVersion.status, 400);
    const noVersionBody = (await noVersion.json()) as { error: string; success: boolean; errorReason: string };
    assert.match(noVersionBody.error, /x402Version/);
    assert.equal(noVersionBody.success, false);
    assert.equal(noVersionBody.errorReason, "invalid_payload");
    const missing = await a.request(post("/verify", { paymentPayload: { x402Version: 2 } }));
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: string }).error, /paymentPayload|paymentRequirements/);
    assert.ok(missing.headers.get("x-request-id"));
    await facilitator.close();
  });

  test("behavior: API keys guard /verify, /settle and the operator routes (/close, /settlements, /metrics)", async () => {
    const { app: a, facilitator } = app({ apiKeys: ["k".repeat(32)] });
    const none = await a.request(post("/verify", {}));
    assert.equal(none.status, 401);
    assert.match(none.headers.get("www-authenticate") ?? "", /Bearer/);
    const wrong = await a.request(post("/settle", {}, { Authorization: `Bearer ${"x".repeat(32)}` }));
    assert.equal(wrong.status, 401);
    const right = await a.request(post("/settle", "{", { Authorization: `Bearer ${"k".repeat(32)}` }));
    assert.equal(right.status, 400);
    assert.equal((await a.request("/supported")).status, 200);
    assert.equal((await a.request(post("/close", {}))).status, 401);
    assert.equal((await a.request("/settlements/some-id")).status, 401);
    assert.equal((await a.request("/metrics")).status, 401);
    const key = { Authorization: `Bearer ${"k".repeat(32)}` };
    assert.equal((await a.request("/settlements/some-id", { headers: key })).status, 404);
    assert.equal((await a.request("/metrics", { headers: key })).status, 200);
    await facilitator.close();
  });

  test("behavior: without API keys, POST /close is refused (403) unless the caller is on loopback", async () => {
    const { app: a, facilitator } = app();
    const remote = { incoming: { socket: { remoteAddress: "203.0.113.7" } } };
    assert.equal((await a.request(post("/close", {}), undefined, remote)).status, 403);
    assert.equal((await a.request(post("/close", {}))).status, 403);
    const local = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
    const closing = await a.request(post("/close", {}), undefined, local);
    assert.equal(closing.status, 200);
    assert.deepEqual(await closing.json(), { status: "closing" });
    await facilitator.close();
  });

  test("behavior: the rate limit answers 429 with Retry-After, per client and per minute", async () => {
    const clock = { now: 1_000_000 };
    const { app: a, facilitator } = app({ rateLimitPerMinute: 2, http: { trustProxy: true } }, clock);
    const headers = { "X-Forwarded-For": "10.0.0.1" };
    assert.equal((await a.request(post("/verify", "{", headers))).status, 400);
    assert.equal((await a.request(post("/verify", "{", headers))).status, 400);
    const limited = await a.request(post("/verify", "{", headers));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "60");
    assert.deepEqual(await limited.json(), {
      error: "rate limit exceeded: 2 requests per minute",
      reason: "rate_limited",
      retryable: true,
    });
    assert.equal((await a.request(post("/verify", "{", { "X-Forwarded-For": "10.0.0.2" }))).status, 400);
    clock.now += 60_000;
    assert.equal((await a.request(post("/verify", "{", headers))).status, 400);
    await facilitator.close();
  });

  test("behavior: health is degraded (503) while the RPC is unreachable; metrics are Prometheus text", async () => {
    const { app: a, facilitator } = app();
    const health = await a.request("/health");
    assert.equal(health.status, 503);
    const body = (await health.json()) as { status: string; networks: { rpc: boolean }[] };
    assert.equal(body.status, "degraded");
    assert.equal(body.networks[0]?.rpc, false);
    const metrics = await a.request("/metrics");
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get("content-type") ?? "", /text\/plain/);
    const text = await metrics.text();
    for (const name of [
      "x402kit_verify_total",
      "x402kit_settle_duration_seconds",
      "x402kit_queue_depth",
      "x402kit_settlements",
    ]) {
      assert.match(text, new RegExp(name));
    }
    await facilitator.close();
  });

  test("behavior: unknown routes and settlements are 404 JSON", async () => {
    const { app: a, facilitator } = app();
    assert.equal((await a.request("/nope")).status, 404);
    const missing = await a.request("/settlements/does-not-exist");
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: "no settlement with this id", reason: "not_found" });
    const bad = await a.request(`/settlements/${"x".repeat(129)}`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { reason: string }).reason, "invalid_request");
    await facilitator.close();
  });

  test("behavior: a known route asked with another method is 405 with Allow; HEAD works where GET does", async () => {
    const { app: a, facilitator } = app();
    for (const [method, path, allow] of [
      ["GET", "/verify", "POST"],
      ["HEAD", "/settle", "POST"],
      ["OPTIONS", "/verify", "POST"],
      ["PUT", "/close", "POST"],
      ["POST", "/supported", "GET, HEAD"],
      ["DELETE", "/settlements/abc", "GET, HEAD"],
      ["OPTIONS", "/metrics", "GET, HEAD"],
    ] as const) {
      const res = await a.request(path, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get("allow"), allow, `${method} ${path}`);
      if (method !== "HEAD") assert.equal(((await res.json()) as { reason: string }).reason, "method_not_allowed");
    }
    const head = await a.request("/supported", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
    await facilitator.close();
  });

  test("behavior: /verify and /settle take application/json only (415 otherwise)", async () => {
    const { app: a, facilitator } = app();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "", "application/jsonx"]) {
      const res = await a.request("/verify", { method: "POST", headers: { "content-type": type }, body: "{}" });
      assert.equal(res.status, 415, type);
      const body = (await res.json()) as { reason: string; invalidReason: string };
      assert.equal(body.reason, "unsupported_media_type");
      assert.equal(body.invalidReason, "invalid_payload");
    }
    for (const type of ["application/json", "application/json; charset=utf-8", "application/vnd.x402+json"]) {
      const res = await a.request("/verify", { method: "POST", headers: { "content-type": type }, body: "{" });
      assert.equal(res.status, 400, type);
    }
    await facilitator.close();
  });

  test("behavior: without a trusted proxy, X-Forwarded-For does not choose the rate-limit bucket", async () => {
    const { app: a, facilitator } = app({ rateLimitPerMinute: 1 });
    const remote = { incoming: { socket: { remoteAddress: "203.0.113.9" } } };
    const from = (ip: string) => post("/verify", "{", { "X-Forwarded-For": ip });
    assert.equal((await a.request(from("10.0.0.1"), undefined, remote)).status, 400);
    assert.equal((await a.request(from("10.0.0.2"), undefined, remote)).status, 429);
    await facilitator.close();
  });

  test("behavior: the rate limiter forgets the oldest clients beyond its cap, and says how many it holds", async () => {
    const { app: a, facilitator } = app({ rateLimitPerMinute: 1, http: { rateLimitMaxClients: 3 } });
    const remote = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
    for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]) {
      assert.equal((await a.request(post("/verify", "{"), undefined, remote(ip))).status, 400, ip);
    }
    const metrics = await (await a.request("/metrics")).text();
    assert.match(metrics, /^x402kit_rate_limit_clients 3$/m);
    assert.match(metrics, /^x402kit_limit\{name="rate_limit_max_clients"\} 3$/m);
    // 10.0.0.1 was forgotten (a fresh window), 10.0.0.4 was not.
    assert.equal((await a.request(post("/verify", "{"), undefined, remote("10.0.0.1"))).status, 400);
    assert.equal((await a.request(post("/verify", "{"), undefined, remote("10.0.0.4"))).status, 429);
    await facilitator.close();
  });

  test("behavior: a malformed batch-settlement envelope is 400 naming its first problem; bad terms are the scheme's refusal", async () => {
    const batchKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    const { app: a, facilitator } = app({ batchSettlement: { privateKey: batchKey } });
    const noAccepted = batchBody();
    delete noAccepted.paymentPayload.accepted;
    const noPayload = batchBody();
    delete noPayload.paymentPayload.payload;
    const malformed: [unknown, string][] = [
      [noAccepted, "paymentPayload.accepted: Invalid input: expected object, received undefined"],
      [noPayload, "paymentPayload.payload: Invalid input: expected nonoptional, received undefined"],
      [
        batchBody({ asset: undefined }),
        "paymentRequirements.asset: Invalid input: expected string, received undefined",
      ],
      [
        batchBody({ payTo: 7, amount: 5 }),
        "paymentRequirements.payTo: Invalid input: expected string, received number",
      ],
      [{ ...batchBody(), x402Version: 2.5 }, "x402Version: Invalid input: expected int, received number"],
    ];
    for (const [body, message] of malformed) {
      const verified = await a.request(post("/verify", body));
      assert.equal(verified.status, 400, message);
      assert.deepEqual(await verified.json(), verifyRefusal(message));
      const settled = await a.request(post("/settle", body));
      assert.equal(settled.status, 400, message);
      assert.deepEqual(await settled.json(), settleRefusal(message));
    }
    const refused: [unknown, string][] = [
      [batchBody({ amount: 5 }), "invalid_batch_settlement_evm_payload_type"],
      [batchBody({ extra: { name: 5 } }), "invalid_batch_settlement_evm_payload_type"],
      [batchBody({}, null), "invalid_batch_settlement_evm_payload_type"],
      [batchBody({}, { type: "voucher", channelConfig: {} }), "invalid_batch_settlement_evm_payload_type"],
      [
        { ...batchBody(), paymentRequirements: { ...batchRequirements, network: "eip155:1" } },
        "invalid_batch_settlement_evm_network_mismatch",
      ],
      [
        { ...batchBody(), paymentRequirements: { ...batchRequirements, extra: null } },
        "invalid_batch_settlement_evm_payload_type",
      ],
    ];
    for (const [body, reason] of refused) {
      const verified = await a.request(post("/verify", body));
      assert.equal(verified.status, 200, reason);
      assert.deepEqual(await verified.json(), { isValid: false, invalidReason: reason });
      const settled = await a.request(post("/settle", body));
      assert.equal(settled.status, 200, reason);
      const network = (body as { paymentRequirements: { network: string } }).paymentRequirements.network;
      assert.deepEqual(await settled.json(), { success: false, errorReason: reason, transaction: "", network });
    }
    await facilitator.close();
  });
});
