import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as bindings from "./index.js";

describe("@x402kit/bindings", () => {
  test("behavior: every ABI is a non-empty array and every bytecode is 0x-prefixed hex", () => {
    const entries = Object.entries(bindings);
    assert.ok(entries.length > 0);
    for (const [name, value] of entries) {
      if (name.endsWith("Abi")) {
        assert.ok(Array.isArray(value) && value.length > 0, name);
      } else if (name.endsWith("Bytecode")) {
        assert.match(value as string, /^0x(?:[0-9a-f]{2})+$/, name);
      }
    }
  });
});
