import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { failureReasons } from "@x402kit/bindings/router";
import { Reason } from "../../domain/reasons.js";
import type { ExactPayment } from "../../domain/types.js";
import { classifyRouterFailure } from "./classifyRouterFailure.js";

const payment: ExactPayment = {
  x402Version: 2,
  network: "eip155:84532",
  caip2: "eip155:84532",
  chainId: 84532,
  asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  payTo: "0x2000000000000000000000000000000000000002",
  amount: 10_000n,
  domain: { name: "USDC", version: "2" },
  authorization: {
    from: "0x1000000000000000000000000000000000000001",
    to: "0x2000000000000000000000000000000000000002",
    value: 10_000n,
    validAfter: 1_700_000_000n,
    validBefore: 1_700_000_600n,
    nonce: `0x${"ab".repeat(32)}`,
  },
  signature: `0x${"11".repeat(65)}`,
};

describe("classifyRouterFailure", () => {
  test("default: every router reason has a decision, as documented", () => {
    const decisions = Object.fromEntries(
      failureReasons
        .filter((r) => r !== "None")
        .map((reason) => {
          const d = classifyRouterFailure({ reason, errorSelector: undefined }, payment);
          return [reason, d.kind === "failed" ? d.reason : d.kind];
        }),
    );
    assert.deepEqual(decisions, {
      Other: Reason.transactionFailed,
      NotYetValid: "retry-later",
      Expired: Reason.validBefore,
      UsedOrCanceled: "nonce-used",
      InvalidSignature: Reason.invalidSignature,
      InsufficientBalance: Reason.insufficientFunds,
      Paused: "retry-later",
      Blocklisted: "retry-later",
      GasLimitExceeded: "send-alone",
      InvalidToken: Reason.eip3009NotSupported,
      InvalidPayee: Reason.invalidPaymentRequirements,
      FeeExceedsValue: Reason.transactionFailed,
      AmountMismatch: Reason.transactionFailed,
      InsufficientAllowance: Reason.transactionFailed,
      AmountExceedsPermitted: Reason.transactionFailed,
      UnauthorizedSettler: Reason.transactionFailed,
    });
  });

  test("behavior: messages name what the token said, with the selector of an unknown error", () => {
    const message = (reason: Parameters<typeof classifyRouterFailure>[0]) => {
      const d = classifyRouterFailure(reason, payment);
      return d.kind === "failed" ? d.message : d.kind;
    };
    assert.equal(
      message({ reason: "Other", errorSelector: "0xdeadbeef" }),
      "the token reverted with an error the router does not recognise (selector 0xdeadbeef); nothing was transferred",
    );
    assert.equal(
      message({ reason: "Other", errorSelector: "0x00000000" }),
      "the token reverted with an error the router does not recognise; nothing was transferred",
    );
    assert.equal(
      message({ reason: "InsufficientBalance", errorSelector: undefined }),
      "the balance of 0x1000000000000000000000000000000000000001 was below 10000 when the token was called",
    );
  });
});
