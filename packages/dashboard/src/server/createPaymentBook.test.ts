import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FacilitatorEvent, SettlementView } from "@x402kit/facilitator";
import { createPaymentBook } from "./createPaymentBook.js";

const payer = "0x1111111111111111111111111111111111111111";
const payTo = "0x2222222222222222222222222222222222222222";
const asset = "0x3333333333333333333333333333333333333333";
const nonce = `0x${"ab".repeat(32)}` as const;
const tx = `0x${"cd".repeat(32)}`;

const verified = (overrides: Partial<Extract<FacilitatorEvent, { type: "verified" }>> = {}): FacilitatorEvent => ({
  type: "verified",
  at: 1_000,
  network: "eip155:31337",
  scheme: "exact",
  asset,
  payTo,
  amount: "1000",
  payer,
  nonce,
  isValid: true,
  reason: undefined,
  message: undefined,
  durationMs: 3,
  ...overrides,
});
const settlement = (at: number, overrides: Partial<SettlementView>): FacilitatorEvent => ({
  type: "settlement",
  at,
  settlement: {
    id: "s1",
    status: "received",
    network: "eip155:31337",
    asset,
    payer,
    payTo,
    amount: "1000",
    nonce,
    transaction: "",
    signer: undefined,
    signerNonce: undefined,
    errorReason: undefined,
    errorMessage: undefined,
    blockNumber: undefined,
    createdAt: new Date(1_010).toISOString(),
    updatedAt: new Date(at).toISOString(),
    ...overrides,
  },
});

describe("createPaymentBook", () => {
  test("default: verify, journal states and confirmation land on one row, with the latency from first sight", () => {
    const book = createPaymentBook();
    assert.equal(book.apply(verified())[0]?.state, "verified");
    assert.equal(book.apply(settlement(1_020, { status: "queued" }))[0]?.state, "pending");
    book.apply(settlement(1_050, { status: "submitted", transaction: tx, signer: payer }));
    const [row] = book.apply(settlement(1_300, { status: "confirmed", transaction: tx, blockNumber: "7" }));
    assert.equal(book.rows().length, 1);
    assert.deepEqual(
      { state: row?.state, latencyMs: row?.latencyMs, transaction: row?.transaction, block: row?.blockNumber },
      { state: "settled", latencyMs: 300, transaction: tx, block: "7" },
    );
  });

  test("behavior: a failed verification is a failed row with its reason", () => {
    const book = createPaymentBook();
    const [row] = book.apply(verified({ isValid: false, reason: "insufficient_funds", message: "balance 0 < 1000" }));
    assert.equal(row?.state, "failed");
    assert.equal(row?.reason, "insufficient_funds");
    assert.equal(row?.message, "balance 0 < 1000");
  });

  test("behavior: a late pending event does not move a settled row back", () => {
    const book = createPaymentBook();
    book.apply(settlement(1_300, { status: "confirmed", transaction: tx }));
    assert.deepEqual(book.apply(settlement(1_200, { status: "submitted", transaction: tx })), []);
    assert.equal(book.rows()[0]?.state, "settled");
  });

  test("behavior: a /settle refusal that never reached the journal is a failed row; pending answers are not", () => {
    const book = createPaymentBook();
    const answer = {
      type: "settleAnswered",
      at: 2_000,
      network: "eip155:31337",
      asset,
      payTo,
      amount: "1000",
      payer,
      nonce,
      success: false,
      reason: "settlement_pending",
      message: undefined,
      transaction: "",
      durationMs: 10,
    } as const;
    assert.deepEqual(book.apply(answer), []);
    const [row] = book.apply({ ...answer, reason: "invalid_exact_evm_nonce_already_used" });
    assert.equal(row?.state, "failed");
    assert.equal(row?.reason, "invalid_exact_evm_nonce_already_used");
  });

  test("behavior: keeps at most `limit` rows, dropping the oldest", () => {
    const book = createPaymentBook({ limit: 2 });
    for (const n of [1, 2, 3]) {
      book.apply(verified({ at: n, nonce: `0x${String(n).repeat(64)}` as `0x${string}` }));
    }
    assert.deepEqual(
      book.rows().map((r) => r.at),
      [2, 3],
    );
  });
});
