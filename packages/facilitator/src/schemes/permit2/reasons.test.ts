import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { permit2Reasons } from "./reasons.js";

/** Ours, not the official facilitator's (see `reasons.ts`). */
const OURS = new Set<string>([permit2Reasons.notAllowed, permit2Reasons.idempotencyConflict]);

/** The source of the official exact and upto facilitators, as published in `@x402/evm` 2.27. */
function officialFacilitatorSource(): string {
  const require = createRequire(import.meta.url);
  return ["@x402/evm/exact/facilitator", "@x402/evm/upto/facilitator"]
    .map((entry) => readFileSync(require.resolve(entry), "utf8"))
    .join("\n");
}

describe("permit2Reasons", () => {
  test("default: every reason is a string literal of the official exact or upto facilitator", () => {
    const source = officialFacilitatorSource();
    for (const [name, reason] of Object.entries(permit2Reasons)) {
      if (OURS.has(reason)) continue;
      assert.ok(source.includes(`"${reason}"`), `${name}: "${reason}" is not in @x402/evm's facilitators`);
    }
  });

  test("behavior: our own reasons are not the official facilitator's", () => {
    const source = officialFacilitatorSource();
    assert.ok(!source.includes(`"${permit2Reasons.idempotencyConflict}"`));
  });
});
