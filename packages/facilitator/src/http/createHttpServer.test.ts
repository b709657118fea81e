/**
 * The HTTP edge over real sockets (raw `net` connections, not a fetch shim): every refusal is read whole by a client
 * still writing, the connection is closed only in an orderly way, and what can stay open does.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Hono } from "hono";
import { Registry } from "prom-client";
import { type RawConnection, rawConnection, rawRequest } from "../../test/helpers/rawHttp.js";
import { createHttpServer, type HttpLimits } from "./createHttpServer.js";

const limits: Partial<HttpLimits> = {
  bodyLimitBytes: 4_096,
  drainLimitBytes: 1_048_576,
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 1_500,
  maxHeaderBytes: 8_192,
  maxConnections: 50,
  maxInFlight: 4,
};

let server: Server;
let port: number;
const registry = new Registry();
let releaseSlow: () => void = () => {};

before(async () => {
  const app = new Hono();
  app.post("/echo", async (c) => c.json({ length: (await c.req.text()).length }));
  app.get("/ok", (c) => c.json({ ok: true }));
  app.get("/slow", async (c) => {
    await new Promise<void>((resolve) => {
      const previous = releaseSlow;
      releaseSlow = () => {
        previous();
        resolve();
      };
    });
    return c.json({ slow: true });
  });
  server = createHttpServer({ fetch: app.fetch, limits, registry });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  releaseSlow();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

/** Sends a request and reads its answer on `connection`. */
async function exchange(connection: RawConnection, request: Buffer, options: { head?: boolean } = {}) {
  await connection.send(request);
  return connection.response(options);
}

describe("createHttpServer (real sockets)", () => {
  test("default: a body within the limit reaches the app; the connection is reused", async () => {
    const connection = await rawConnection(port);
    for (const size of [0, 1, 4_096]) {
      const answer = await exchange(connection, rawRequest("POST", "/echo", { body: "x".repeat(size) }));
      assert.equal(answer.status, 200);
      assert.deepEqual(json(answer.body), { length: size });
    }
    assert.equal(connection.closed, false);
    connection.destroy();
  });

  test("behavior: an oversized body is read through and answered 413 on a connection that stays usable", async () => {
    const connection = await rawConnection(port);
    for (const size of [4_097, 100_000, 1_000_000]) {
      const answer = await exchange(connection, rawRequest("POST", "/echo", { body: "x".repeat(size) }));
      assert.equal(answer.status, 413, String(size));
      assert.equal(json(answer.body).reason, "payload_too_large");
      assert.notEqual(answer.headers.connection, "close");
    }
    const next = await exchange(connection, rawRequest("GET", "/ok"));
    assert.equal(next.status, 200);
    assert.equal(connection.reset, false);
    connection.destroy();
  });

  test("behavior: a chunked body over the limit is answered 413 as well", async () => {
    const connection = await rawConnection(port);
    const chunk = "x".repeat(3_000);
    const body = `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(3) + "0\r\n\r\n";
    const answer = await exchange(
      connection,
      rawRequest("POST", "/echo", { headers: { "Transfer-Encoding": "chunked" }, body }),
    );
    assert.equal(answer.status, 413);
    assert.equal((await exchange(connection, rawRequest("GET", "/ok"))).status, 200);
    connection.destroy();
  });

  test("behavior: a body beyond the drain limit is answered 413 at once with Connection: close, then an orderly close", async () => {
    const connection = await rawConnection(port);
    // Declared far beyond the drain limit; the client goes on writing after the answer.
    await connection.send(
      rawRequest("POST", "/echo", { headers: { "Content-Length": 50_000_000 }, body: "x".repeat(10_000) }),
    );
    const answer = await connection.response();
    assert.equal(answer.status, 413);
    assert.equal(answer.headers.connection, "close");
    for (let i = 0; i < 20 && !connection.closed; i++) await connection.send("x".repeat(65_536));
    await connection.ended;
    assert.equal(connection.reset, false, "closed without a reset");
  });

  test("behavior: Expect: 100-continue with an oversized length is refused before the body is sent", async () => {
    const connection = await rawConnection(port);
    await connection.send(
      rawRequest("POST", "/echo", { headers: { "Content-Length": 10_000, Expect: "100-continue" } }),
    );
    const answer = await connection.response();
    assert.equal(answer.status, 413);
    assert.equal(answer.headers.connection, "close");
    const ok = await rawConnection(port);
    await ok.send(rawRequest("POST", "/echo", { headers: { "Content-Length": 2, Expect: "100-continue" } }));
    assert.equal((await ok.response()).status, 100);
    await ok.send("hi");
    assert.deepEqual(json((await ok.response()).body), { length: 2 });
    ok.destroy();
  });

  test("behavior: garbage, a header flood and a bad Content-Length are answered (400, 431) before an orderly close", async () => {
    for (const [bytes, status, reason] of [
      [Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]), 400, "invalid_request"],
      [rawRequest("GET", "/ok", { headers: { "X-Flood": "a".repeat(20_000) } }), 431, "header_fields_too_large"],
      [rawRequest("POST", "/echo", { headers: { "Content-Length": "12abc" }, body: "{}" }), 400, "invalid_request"],
      [
        rawRequest("POST", "/echo", { headers: { "Content-Length": 2, "Transfer-Encoding": "chunked" }, body: "{}" }),
        400,
        "invalid_request",
      ],
    ] as const) {
      const connection = await rawConnection(port);
      await connection.send(bytes);
      // The client keeps writing after its mistake, as a real one may.
      void connection.send("more bytes that nobody will parse".repeat(100));
      const answer = await connection.response();
      assert.equal(answer.status, status, reason);
      assert.equal(json(answer.body).reason, reason);
      assert.equal(answer.headers.connection, "close");
      await connection.ended;
      assert.equal(connection.reset, false, `${reason}: closed without a reset`);
    }
  });

  test("behavior: pipelined requests are answered in order", async () => {
    const connection = await rawConnection(port);
    await connection.send(
      Buffer.concat([
        rawRequest("POST", "/echo", { body: "abc" }),
        rawRequest("GET", "/ok"),
        rawRequest("POST", "/echo", { body: "x".repeat(5_000) }),
        rawRequest("POST", "/echo", { body: "abcdef" }),
      ]),
    );
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await connection.response());
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 413, 200],
    );
    assert.deepEqual(json(answers[3]?.body ?? "{}"), { length: 6 });
    connection.destroy();
  });

  test("behavior: headers or a body that do not arrive in time get 408 and an orderly close", async () => {
    const headers = await rawConnection(port);
    await headers.send("GET /ok HTTP/1.1\r\nHost: x\r\n");
    const slowHeaders = await headers.response({ timeoutMs: 5_000 });
    assert.equal(slowHeaders.status, 408);
    assert.equal(json(slowHeaders.body).reason, "request_timeout");
    await headers.ended;
    assert.equal(headers.reset, false);

    const body = await rawConnection(port);
    await body.send(rawRequest("POST", "/echo", { headers: { "Content-Length": 100 }, body: "x".repeat(10) }));
    const slowBody = await body.response({ timeoutMs: 5_000 });
    assert.equal(slowBody.status, 408);
    await body.ended;
    assert.equal(body.reset, false);
  });

  test("behavior: requests beyond maxInFlight get 503 + Retry-After; the slots come back", async () => {
    const held: RawConnection[] = [];
    for (let i = 0; i < 4; i++) {
      const connection = await rawConnection(port);
      await connection.send(rawRequest("GET", "/slow"));
      held.push(connection);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = await rawConnection(port);
    const refused = await exchange(extra, rawRequest("POST", "/echo", { body: "{}" }));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers["retry-after"], "1");
    assert.equal(json(refused.body).reason, "over_capacity");
    releaseSlow();
    for (const connection of held) assert.equal((await connection.response()).status, 200);
    assert.equal((await exchange(extra, rawRequest("GET", "/ok"))).status, 200);
    for (const connection of [...held, extra]) connection.destroy();
    const metrics = await registry.metrics();
    assert.match(metrics, /x402kit_http_refused_total\{reason="over_capacity"\} [1-9]/);
    assert.match(metrics, /x402kit_limit\{name="max_in_flight"\} 4/);
  });

  test("behavior: connections beyond maxConnections are answered 503 and closed", async () => {
    const open: RawConnection[] = [];
    for (let i = 0; i < 50; i++) open.push(await rawConnection(port));
    const extra = await rawConnection(port);
    const refused = await exchange(extra, rawRequest("GET", "/ok"));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.connection, "close");
    await extra.ended;
    assert.equal(extra.reset, false);
    for (const connection of open) connection.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await rawConnection(port);
    assert.equal((await exchange(after, rawRequest("GET", "/ok"))).status, 200);
    after.destroy();
  });
});
