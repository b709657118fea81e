import assert from "node:assert/strict";
import { describe, mock, test } from "node:test";
import { BatchSettlementRequirements, parseBatchSettlementRequest, parseRequirements } from "./schemas.js";

const requirements = {
  scheme: "batch-settlement",
  network: "eip155:84532",
  asset: `0x${"1".repeat(40)}`,
  payTo: `0x${"2".repeat(40)}`,
  amount: "10",
  maxTimeoutSeconds: 0,
  extra: { name: "USDC", version: "2" },
};

/** A body as the wire carries it, the requirements' fields replaced by `changes`. */
function body(changes: Record<string, unknown> = {}): { paymentPayload: unknown; paymentRequirements: unknown } {
  const paymentRequirements = { ...requirements, ...changes };
  return {
    paymentPayload: { x402Version: 2, accepted: paymentRequirements, payload: { type: "voucher" } },
    paymentRequirements,
  };
}

/** The body as the HTTP layer hands it on, or a failure if it does not parse. */
function parsed(changes: Record<string, unknown> = {}): { paymentPayload: unknown; paymentRequirements: unknown } {
  const result = parseBatchSettlementRequest(body(changes));
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  return result.data;
}

describe("batch-settlement requirements are parsed once", () => {
  test("behavior: a body the HTTP layer parsed has only its terms parsed again, to the same requirements", () => {
    // zod's `safeParse` is a getter on a shared prototype (node's mock cannot wrap it): an own property shadows it.
    const safeParse = BatchSettlementRequirements.safeParse;
    const whole = mock.fn(safeParse);
    Object.defineProperty(BatchSettlementRequirements, "safeParse", { value: whole, configurable: true });
    try {
      const fromHttp = parseRequirements(parsed());
      assert.equal(whole.mock.callCount(), 0, "the envelope's fields are not parsed twice");
      assert.deepEqual(fromHttp, parseRequirements(body()));
      assert.equal(whole.mock.callCount(), 1);
    } finally {
      delete (BatchSettlementRequirements as { safeParse?: unknown }).safeParse;
    }
  });

  test("behavior: bad terms are refused either way; a body not from the HTTP layer is parsed whole", () => {
    for (const changes of [{ amount: 5 }, { extra: "x" }, { extra: { withdrawDelay: true } }]) {
      assert.equal(parseRequirements(parsed(changes)), undefined, JSON.stringify(changes));
      assert.equal(parseRequirements(body(changes)), undefined, JSON.stringify(changes));
    }
    assert.equal(parseRequirements(body({ asset: 7 })), undefined);
    // A copy of a parsed body is not marked: the scheme cannot be told a body was parsed when it was not.
    const copy = { ...parsed(), paymentRequirements: { ...requirements, payTo: 7 } };
    assert.equal(parseRequirements(copy), undefined);
  });
});
