/**
 * Hostile traffic against `x402kit-facilitator` as its own process, over real sockets: 10,000 mixed malformed
 * and abusive requests on keep-alive connections, then a slowloris of 500 connections. No answer is a 5xx, no
 * connection is reset under a request it had not answered, memory comes back, and a valid payment is verified
 * and settled right after and during the attack.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { privateKeyToAccount } from "viem/accounts";
import {
  balanceOf,
  deployTestUsdc,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { type ChildFacilitator, spawnFacilitator, tempDataDir } from "./helpers/facilitatorHarness.js";
import { type RawConnection, rawConnection, rawRequest } from "./helpers/rawHttp.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const BODY_LIMIT = 16_384;

/** A small deterministic PRNG (mulberry32), so a failing mix can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Resident set size of a process, in bytes (Linux). */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}

const post = (path: string, body: string | Buffer, headers: Record<string, string | number> = {}) =>
  rawRequest("POST", path, { body, headers: { "Content-Type": "application/json", ...headers } });

/** One hostile exchange: the bytes to send (in parts, for slow senders) and how many answers they ask for. */
type Hostile = { kind: string; parts: Buffer[]; answers: number; pauseMs?: number };

/** The mix: every kind of malformed or abusive request the edge must answer without a 5xx or a reset. */
function hostileMix(next: () => number, valid: string): Hostile {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const path = pick(["/verify", "/settle"] as const);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  const choice = Math.floor(next() * 16);
  switch (choice) {
    case 0:
      return { kind: "random bytes", parts: [bytes(1 + Math.floor(next() * 2_000))], answers: 1 };
    case 1:
      return {
        kind: "truncated JSON",
        parts: [post(path, valid.slice(0, Math.floor(next() * valid.length)))],
        answers: 1,
      };
    case 2: {
      const depth = 1_000 + Math.floor(next() * 7_000);
      return { kind: "deep nesting", parts: [post(path, `${"[".repeat(depth)}${"]".repeat(depth)}`)], answers: 1 };
    }
    case 3:
      return {
        kind: "huge numbers",
        parts: [
          post(
            path,
            valid.replace(/"amount":"\d+"/, `"amount":1e400`).replace(/"x402Version":2/, '"x402Version":9e99'),
          ),
        ],
        answers: 1,
      };
    case 4:
      return {
        kind: "wrong types",
        parts: [
          post(
            path,
            JSON.stringify({
              paymentPayload: { x402Version: 2, payload: [1, 2], accepted: "x" },
              paymentRequirements: 7,
            }),
          ),
        ],
        answers: 1,
      };
    case 5:
      return {
        kind: "oversize body",
        parts: [post(path, "x".repeat(BODY_LIMIT + 1 + Math.floor(next() * 4 * BODY_LIMIT)))],
        answers: 1,
      };
    case 6:
      return {
        kind: "header flood",
        parts: [
          rawRequest("GET", "/supported", { headers: { "X-Flood": "a".repeat(17_000 + Math.floor(next() * 20_000)) } }),
        ],
        answers: 1,
      };
    case 7: {
      const headers: Record<string, string> = {};
      for (let i = 0; i < 150; i++) headers[`X-H${i}`] = "v".repeat(40);
      return { kind: "many headers", parts: [post(path, valid, headers)], answers: 1 };
    }
    case 8: {
      const request = post(path, valid.replace(/"signature":"0x[0-9a-f]+"/, `"signature":"0x${"ab".repeat(65)}"`));
      const cut = 20 + Math.floor(next() * (request.length - 40));
      return { kind: "slow body", parts: [request.subarray(0, cut), request.subarray(cut)], answers: 1, pauseMs: 30 };
    }
    case 9:
      return {
        kind: "pipelined",
        parts: [Buffer.concat([post(path, "{"), rawRequest("GET", "/supported"), post(path, valid.slice(0, 50))])],
        answers: 3,
      };
    case 10:
      return {
        kind: "wrong method",
        parts: [rawRequest(pick(["GET", "PUT", "DELETE", "OPTIONS", "PATCH"]), path)],
        answers: 1,
      };
    case 11:
      return { kind: "unknown route", parts: [rawRequest("GET", `/${bytes(8).toString("hex")}`)], answers: 1 };
    case 12:
      return { kind: "bad content type", parts: [post(path, valid, { "Content-Type": "text/plain" })], answers: 1 };
    case 13:
      return { kind: "bad content-length", parts: [post(path, "{}", { "Content-Length": "1e3" })], answers: 1 };
    case 14:
      // Declares less than it sends: the rest is parsed as a (malformed) next request.
      return {
        kind: "short content-length",
        parts: [post(path, `{}${bytes(64).toString("latin1")}`, { "Content-Length": 2 })],
        answers: 2,
      };
    default:
      return {
        kind: "chunked garbage",
        parts: [
          rawRequest("POST", path, {
            headers: { "Transfer-Encoding": "chunked", "Content-Type": "application/json" },
            body: "zz\r\nnot hex\r\n0\r\n\r\n",
          }),
        ],
        answers: 1,
      };
  }
}

describe("hostile traffic (x402kit-facilitator process, real sockets, local chain 31337)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let facilitator: ChildFacilitator;
  let port: number;
  let validBody: string;
  const data = tempDataDir();

  before(async () => {
    node = await startHardhatNode();
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployTestUsdc(chain, [payer.address]);
    facilitator = await spawnFacilitator({
      PORT: "0",
      EVM_PRIVATE_KEY: HARDHAT_KEYS[1],
      EVM_NETWORK: "eip155:31337",
      EVM_RPC_URL: node.rpcUrl,
      X402KIT_DATA_DIR: data.dir,
      X402KIT_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    });
    port = Number(new URL(facilitator.url).port);
    validBody = JSON.stringify(v2Body(token, await signPayment({ token, payer, payTo, value: 1n }), payTo, 1n));
  });
  after(async () => {
    facilitator?.child.kill("SIGTERM");
    await facilitator?.exited;
    await node?.stop();
    data.cleanup();
  });

  /** Verifies then settles one fresh payment over fetch; returns how long that took. */
  const payOnce = async (value: bigint) => {
    const started = performance.now();
    const body = JSON.stringify(v2Body(token, await signPayment({ token, payer, payTo, value }), payTo, value));
    const call = async (path: string) => {
      const res = await fetch(`${facilitator.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      return (await res.json()) as { isValid?: boolean; success?: boolean; transaction?: string };
    };
    const verified = await call("/verify");
    assert.equal(verified.isValid, true, JSON.stringify(verified));
    const settled = await call("/settle");
    assert.equal(settled.success, true, JSON.stringify(settled));
    return performance.now() - started;
  };

  /** Sends `total` hostile requests from 40 keep-alive workers; what came back, and what went wrong. */
  const hammer = async (total: number, seed: number) => {
    const next = random(seed);
    const TOTAL = total;
    let sent = 0;
    let connections = 0;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const worker = async () => {
      let connection: RawConnection | undefined;
      while (sent < TOTAL) {
        const hostile = hostileMix(next, validBody);
        sent += hostile.answers;
        if (!connection || connection.closed) {
          connection = await rawConnection(port);
          connections++;
        }
        try {
          for (const [i, part] of hostile.parts.entries()) {
            if (i > 0 && hostile.pauseMs) await new Promise((resolve) => setTimeout(resolve, hostile.pauseMs));
            void connection.send(part);
          }
          for (let i = 0; i < hostile.answers; i++) {
            const answer = await connection.response({ timeoutMs: 15_000 });
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (answer.status >= 500) failures.push(`${hostile.kind}: ${answer.status} ${answer.body.slice(0, 200)}`);
            if (answer.headers.connection === "close") {
              await connection.ended;
              if (connection.reset) failures.push(`${hostile.kind}: reset after a closing answer`);
              break;
            }
          }
        } catch (error) {
          failures.push(`${hostile.kind}: ${(error as Error).message}`);
          connection.destroy();
          connection = undefined;
        }
      }
      connection?.destroy();
    };
    await Promise.all(Array.from({ length: 40 }, worker));
    return { sent, connections, statuses, failures };
  };

  test("behavior: 10,000 hostile requests on keep-alive connections: no 5xx, no reset, memory back, then a payment settles", async (t) => {
    // Warm up (JIT, pools) before the baseline is read.
    for (let i = 0; i < 3; i++) await payOnce(1n);
    // A first round of the same traffic, as large as the measured one, brings the heap to its working size (V8 keeps
    // the pages a burst made it grow by); memory is measured from there, so a leak shows as growth in the second round.
    const warmUp = await hammer(10_000, 7);
    assert.deepEqual(warmUp.failures.slice(0, 20), [], `${warmUp.failures.length} failures while warming up`);
    const rssStart = rssOf(facilitator.child.pid as number);
    const TOTAL = 10_000;
    const WORKERS = 40;
    const { sent, connections, statuses, failures } = await hammer(TOTAL, 402);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
    assert.ok(sent >= TOTAL);
    assert.ok(connections >= WORKERS);
    for (const status of [400, 405, 413, 415, 431]) assert.ok((statuses.get(status) ?? 0) > 0, `some ${status}`);

    // Memory: back within 20% of the start once the burst is over (the collector gets a few seconds).
    const limit = rssStart * 1.2;
    let rss = rssOf(facilitator.child.pid as number);
    for (let i = 0; i < 30 && rss > limit; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      rss = rssOf(facilitator.child.pid as number);
    }
    assert.ok(rss <= limit, `RSS ${Math.round(rss / 1e6)} MB after, ${Math.round(rssStart / 1e6)} MB at the start`);

    t.diagnostic(
      `${sent} requests on ${connections} connections; statuses ${JSON.stringify(Object.fromEntries(statuses))}; RSS ${Math.round(rssStart / 1e6)} MB at the start, ${Math.round(rss / 1e6)} MB after`,
    );
    const before = await balanceOf(token, payTo);
    await payOnce(7n);
    assert.equal(await balanceOf(token, payTo), before + 7n);
    const metrics = await (await fetch(`${facilitator.url}/metrics`)).text();
    assert.match(metrics, /x402kit_http_refused_total\{reason="payload_too_large"\} [1-9]/);
  });

  test("behavior: a slowloris of 500 connections (a header byte a second) does not hold up a payment", async (t) => {
    const usual = Math.max(await payOnce(1n), await payOnce(1n));
    const line = Buffer.from("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    const slow: RawConnection[] = [];
    for (let i = 0; i < 500; i++) slow.push(await rawConnection(port));
    let offset = 0;
    const drip = setInterval(() => {
      const byte = line.subarray(offset % line.length, (offset % line.length) + 1);
      offset++;
      for (const connection of slow) void connection.send(byte);
    }, 1_000);
    try {
      for (const connection of slow) void connection.send(line.subarray(0, 1));
      offset = 1;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const before = await balanceOf(token, payTo);
      const during = await payOnce(9n);
      assert.equal(await balanceOf(token, payTo), before + 9n);
      t.diagnostic(`payment during the slowloris ${Math.round(during)} ms, usually ${Math.round(usual)} ms`);
      // The attack was still on when the payment went through, and it took about its usual time.
      assert.ok(slow.filter((connection) => !connection.closed).length >= 490, "slow connections still open");
      assert.ok(
        during <= Math.max(3 * usual, usual + 1_000),
        `payment took ${Math.round(during)} ms, usually ${Math.round(usual)} ms`,
      );
    } finally {
      clearInterval(drip);
      for (const connection of slow) connection.destroy();
    }
  });
});
