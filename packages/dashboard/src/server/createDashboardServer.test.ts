import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createFacilitatorEvents } from "@x402kit/facilitator";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { pino } from "pino";
import { defineChain } from "viem";
import { DashboardDelta, DashboardSnapshot } from "../protocol/messages.js";
import { createDashboardServer, type DashboardServer } from "./createDashboardServer.js";
import { DashboardAssetsMissingError } from "./errors.js";

type ServerSentEvent = { event: string; data: string };

/** Reads Server-Sent Events from a streaming response until `done` says so (bounded by `timeoutMs`). */
async function readEvents(response: Response, done: (events: ServerSentEvent[]) => boolean, timeoutMs = 5_000) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: ServerSentEvent[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  while (!done(events)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${events.length} events`);
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out reading the stream")), left)),
    ]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data });
      end = buffer.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return events;
}

describe("createDashboardServer", () => {
  let node: HardhatNode;
  let dashboard: DashboardServer;
  let webRoot: string;
  const events = createFacilitatorEvents({ logger: pino({ level: "silent" }) });
  const signer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;

  before(async () => {
    node = await startHardhatNode({ chainId: 31337 });
    webRoot = mkdtempSync(join(tmpdir(), "x402kit-dashboard-web-"));
    mkdirSync(join(webRoot, "assets"));
    writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(webRoot, "assets", "app-abc.js"), "console.log(1)");
    dashboard = await createDashboardServer({
      facilitator: { events, engine: { lanes: () => [{ address: signer, depth: () => 0 }] } },
      rpcUrl: node.rpcUrl,
      chain: defineChain({
        id: 31337,
        name: "devnet",
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [node.rpcUrl] } },
      }),
      network: "eip155:31337",
      // No token contract here: balances cannot be read, and the dashboard must keep serving anyway.
      token: { address: "0x0000000000000000000000000000000000000001", symbol: "USDC", decimals: 6 },
      accounts: [],
      webRoot,
      blockPollIntervalMs: 50,
      flushIntervalMs: 20,
    });
  });
  after(async () => {
    await dashboard?.close();
    await node?.stop();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  test("default: every tab gets a snapshot, then the same coalesced delta from one collector", async () => {
    const [a, b] = await Promise.all([fetch(`${dashboard.url}/api/events`), fetch(`${dashboard.url}/api/events`)]);
    assert.equal(a.headers.get("content-type"), "text/event-stream; charset=utf-8");
    // Block deltas may come first (the collector polls the chain); read until the payment's delta arrives.
    const paymentDelta = (e: ServerSentEvent) => e.event === "delta" && e.data.includes("payments");
    const reading = Promise.all([a, b].map((response) => readEvents(response, (events) => events.some(paymentDelta))));
    // Wait until both streams are registered before emitting.
    for (let i = 0; i < 100 && dashboard.streams() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(dashboard.streams(), 2);
    events.emit({
      type: "verified",
      at: Date.now(),
      network: "eip155:31337",
      scheme: "exact",
      asset: "0x0000000000000000000000000000000000000001",
      payTo: signer,
      amount: "1000",
      payer: signer,
      nonce: `0x${"11".repeat(32)}`,
      isValid: false,
      reason: "insufficient_funds",
      message: undefined,
      durationMs: 1,
    });
    const streams = await reading;
    assert.equal(streams.length, 2);
    for (const stream of streams) {
      assert.equal(stream[0]?.event, "snapshot");
      const snapshot = DashboardSnapshot.parse(JSON.parse(stream[0]?.data ?? ""));
      assert.equal(snapshot.chain.chainId, 31337);
      assert.equal(snapshot.lanes[0]?.address, signer);
      const delta = stream.slice(1).find(paymentDelta);
      const payments = DashboardDelta.parse(JSON.parse(delta?.data ?? "{}")).payments ?? [];
      assert.equal(payments[0]?.state, "failed");
      assert.equal(payments[0]?.reason, "insufficient_funds");
    }
  });

  test("behavior: the collector follows the chain's blocks", async () => {
    const before = BigInt(dashboard.collector.snapshot().chain.blockNumber);
    await fetch(node.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] }),
    });
    let now = before;
    for (let i = 0; i < 100 && now === before; i++) {
      await new Promise((r) => setTimeout(r, 20));
      now = BigInt(dashboard.collector.snapshot().chain.blockNumber);
    }
    assert.equal(now, before + 1n);
  });

  test("behavior: refuses a malformed transaction hash and an unknown query with 400 and a reason", async () => {
    const bad = await fetch(`${dashboard.url}/api/tx/0x1234`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { reason: string }).reason, "invalid_hash");
    const query = await fetch(`${dashboard.url}/api/events?payments=-1`);
    assert.equal(query.status, 400);
    assert.equal(((await query.json()) as { reason: string }).reason, "invalid_query");
    const extra = await fetch(`${dashboard.url}/api/events?debug=1`);
    assert.equal(extra.status, 400);
  });

  test("behavior: an unknown transaction is 404", async () => {
    const missing = await fetch(`${dashboard.url}/api/tx/0x${"00".repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { reason: string }).reason, "transaction_not_found");
  });

  test("behavior: serves only the built files, index.html revalidated and hashed assets cached", async () => {
    const index = await fetch(`${dashboard.url}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get("cache-control"), "no-cache");
    assert.match(await index.text(), /<title>t<\/title>/);
    const asset = await fetch(`${dashboard.url}/assets/app-abc.js`);
    assert.equal(asset.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`${dashboard.url}/assets/../../package.json`)).status, 404);
    assert.equal((await fetch(`${dashboard.url}/%2e%2e/%2e%2e/package.json`)).status, 404);
    const post = await fetch(`${dashboard.url}/api/snapshot`, { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
  });

  test("behavior: refuses to start without a built web app", async () => {
    const empty = mkdtempSync(join(tmpdir(), "x402kit-dashboard-empty-"));
    try {
      await assert.rejects(
        createDashboardServer({
          facilitator: { events, engine: { lanes: () => [] } },
          rpcUrl: node.rpcUrl,
          chain: defineChain({
            id: 31337,
            name: "devnet",
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            rpcUrls: { default: { http: [node.rpcUrl] } },
          }),
          network: "eip155:31337",
          token: { address: "0x0000000000000000000000000000000000000001", symbol: "USDC", decimals: 6 },
          accounts: [],
          webRoot: empty,
        }),
        DashboardAssetsMissingError,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
