import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { batchSettlementReasons } from "./reasons.js";

/** Ours, not the official facilitator's (see `reasons.ts`). */
const OURS = new Set<string>([batchSettlementReasons.idempotencyConflict]);

/** The source of the official batch-settlement facilitator, as published in `@x402/evm` 2.27 (one bundle). */
function officialFacilitatorSource(): string {
  return readFileSync(createRequire(import.meta.url).resolve("@x402/evm/batch-settlement/facilitator"), "utf8");
}

describe("batchSettlementReasons", () => {
  test("default: every reason is a string literal of the official batch-settlement facilitator", () => {
    const source = officialFacilitatorSource();
    for (const [name, reason] of Object.entries(batchSettlementReasons)) {
      if (OURS.has(reason)) continue;
      assert.ok(
        source.includes(`"${reason}"`),
        `${name}: "${reason}" is not in @x402/evm's batch-settlement facilitator`,
      );
    }
  });

  test("behavior: every Permit2 deposit reason of the official facilitator has a name here", () => {
    const source = officialFacilitatorSource();
    const official = new Set(
      source.match(/"invalid_batch_settlement_evm_(permit2|eip2612|erc20_approval)_[a-z0-9_]+"/g),
    );
    const ours = new Set(Object.values(batchSettlementReasons).map((reason) => `"${reason}"`));
    assert.ok(official.size > 0);
    for (const reason of official) assert.ok(ours.has(reason), `${reason} is missing from batchSettlementReasons`);
  });

  test("behavior: our own reasons are not the official facilitator's", () => {
    assert.ok(!officialFacilitatorSource().includes(`"${batchSettlementReasons.idempotencyConflict}"`));
  });
});
