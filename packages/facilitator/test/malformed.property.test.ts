import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { SettleResponse, VerifyResponse } from "@x402kit/signer/wire";
import fc from "fast-check";
import { privateKeyToAccount } from "viem/accounts";
import { deployTestUsdc, HARDHAT_KEYS, localChain, signPayment, type Token, v1Body, v2Body } from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

type Mutable = Record<string, unknown> | unknown[];

/** Every path (as key lists) to a value inside a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** A copy of `doc` with the value at `path` replaced (or deleted when `replacement` is `undefined`). */
function mutate(doc: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(doc) as Mutable;
  let cursor = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === undefined) delete cursor[last];
  else cursor[last] = replacement;
  return copy;
}

/** Malformed input, generated: never a 5xx, never a crash, and every 200 is a well-formed x402 answer. */
describe("malformed input (fast-check, real HTTP, local chain 31337)", () => {
  let node: HardhatNode;
  let token: Token;
  let f: RunningFacilitator;
  let valid: unknown[];

  before(async () => {
    node = await startHardhatNode();
    token = await deployTestUsdc(localChain(node.rpcUrl, node.chainId), [payer.address]);
    f = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[1]],
      networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
      bodyLimitBytes: 16_384,
    });
    const payload = await signPayment({ token, payer, payTo, value: 1n });
    valid = [v2Body(token, payload, payTo, 1n), v1Body(token, payload, payTo, 1n, "eip155:31337")];
  });
  after(async () => {
    await f?.close();
    await node?.stop();
  });

  const check = async (path: "/verify" | "/settle", body: string) => {
    const res = await fetch(`${f.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const text = await res.text();
    assert.ok(res.status < 500, `${path} answered ${res.status} to ${body.slice(0, 300)}: ${text.slice(0, 300)}`);
    const json = JSON.parse(text) as unknown;
    if (res.status === 200) {
      const schema = path === "/verify" ? VerifyResponse : SettleResponse;
      assert.ok(schema.safeParse(json).success, `${path} 200 is not a valid answer: ${text.slice(0, 300)}`);
      assert.equal(typeof (json as { payer?: unknown }).payer, "string");
    } else {
      assert.equal(typeof (json as { error?: unknown }).error, "string");
    }
  };

  test("behavior: arbitrary JSON and arbitrary text", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ paymentPayload: v })),
        ),
        fc.constantFrom("/verify" as const, "/settle" as const),
        async (body, path) => check(path, body),
      ),
      { numRuns: 150, seed: 402 },
    );
  });

  test("behavior: valid v1 and v2 bodies with one value replaced or removed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1 }),
        fc.nat(),
        fc.option(fc.oneof(fc.jsonValue(), fc.constantFrom("", "0x", "-1", "1e3", `0x${"f".repeat(64)}`, 2 ** 53)), {
          nil: undefined,
        }),
        fc.constantFrom("/verify" as const, "/settle" as const),
        async (which, pick, replacement, path) => {
          const doc = valid[which];
          const all = paths(doc);
          const target = all[pick % all.length] ?? [];
          await check(path, JSON.stringify(mutate(doc, target, replacement)));
        },
      ),
      { numRuns: 250, seed: 8004 },
    );
  });

  test("behavior: a body over the size limit is refused with 413, and the server is still healthy", async () => {
    const res = await fetch(`${f.url}/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ padding: "x".repeat(20_000) }),
    });
    assert.equal(res.status, 413);
    assert.deepEqual((await f.get("/health")).body, { status: "ok" });
  });
});
