import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { keccak256, toBytes } from "viem";
import { create2Salt } from "./constants.js";
import { localParameters } from "./parameters.js";

/** Ignition's JSON notation for bigints: `"123n"`. */
function bigintReviver(_key: string, value: unknown): unknown {
  return typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
}

describe("localParameters", () => {
  test("behavior: equal ignition/parameters/localhost.json, the file `pnpm deploy:local` uses", () => {
    const file = new URL("../../../../ignition/parameters/localhost.json", import.meta.url);
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8"), bigintReviver), localParameters);
  });
});

describe("create2Salt", () => {
  test('behavior: is keccak256("x402kit")', () => {
    assert.equal(create2Salt, keccak256(toBytes("x402kit")));
  });
});
