import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ErrorReasons } from "x402/types";
import { allReasons, Reason, reasonCode, reasonCodes } from "./reasons.js";

/** x402 spec v1 §9 and v2 §9 (research notes x402.md §3.6 (a)). */
const SPEC = [
  "insufficient_funds",
  "invalid_exact_evm_payload_authorization_valid_after",
  "invalid_exact_evm_payload_authorization_valid_before",
  "invalid_exact_evm_payload_authorization_value",
  "invalid_exact_evm_payload_authorization_value_mismatch",
  "invalid_exact_evm_payload_signature",
  "invalid_exact_evm_payload_recipient_mismatch",
  "invalid_network",
  "invalid_payload",
  "invalid_payment_requirements",
  "invalid_scheme",
  "unsupported_scheme",
  "invalid_x402_version",
  "invalid_transaction_state",
  "unexpected_verify_error",
  "unexpected_settle_error",
];

/** `@x402/evm` 2.7+ `exact/facilitator/errors.ts` (research notes §3.6 (c)) plus 2.27's `settlement_pending`. */
const X402_EVM = [
  "invalid_exact_evm_scheme",
  "invalid_exact_evm_network_mismatch",
  "invalid_exact_evm_missing_eip712_domain",
  "invalid_exact_evm_recipient_mismatch",
  "invalid_exact_evm_signature",
  "invalid_exact_evm_payload_authorization_valid_before",
  "invalid_exact_evm_payload_authorization_valid_after",
  "invalid_exact_evm_authorization_value",
  "invalid_exact_evm_payload_undeployed_smart_wallet",
  "invalid_exact_evm_transaction_failed",
  "invalid_exact_evm_token_name_mismatch",
  "invalid_exact_evm_token_version_mismatch",
  "invalid_exact_evm_eip3009_not_supported",
  "invalid_exact_evm_nonce_already_used",
  "invalid_exact_evm_insufficient_balance",
  "invalid_exact_evm_transaction_simulation_failed",
  "invalid_transaction_state",
  "settlement_pending",
  "eip6492_factory_not_allowed",
];

/** Legacy v1 codes (§3.6 (b)) that are not in the spec list but are used here. */
const LEGACY_ONLY = ["invalid_exact_evm_payload_undeployed_smart_wallet", "duplicate_settlement"];

describe("reason codes", () => {
  test("default: every internal reason has a v1 and a v2 spelling", () => {
    assert.deepEqual(Object.keys(reasonCodes).sort(), [...allReasons].sort());
    assert.equal(reasonCode(Reason.validBefore, 2), "invalid_exact_evm_payload_authorization_valid_before");
  });

  test("behavior: every v2 code is a spec name, else an @x402/evm name, else a legacy name", () => {
    const known = new Set([...SPEC, ...X402_EVM, ...LEGACY_ONLY]);
    for (const reason of allReasons) {
      assert.ok(known.has(reasonCode(reason, 2)), `${reason} → ${reasonCode(reason, 2)} is in no published list`);
    }
  });

  test("behavior: v2 answers what the official facilitator (@x402/evm 2.27) answers for a check, else the spec name", () => {
    // Where the two differ, the official facilitator's answer wins: resource servers meet it first.
    const officialFor: Partial<Record<Reason, string>> = {
      invalidSignature: "invalid_exact_evm_signature",
      recipientMismatch: "invalid_exact_evm_recipient_mismatch",
    };
    for (const [reason, code] of Object.entries(officialFor)) {
      assert.equal(reasonCode(reason as Reason, 2), code);
      assert.ok(X402_EVM.includes(code));
    }
    const specFor: Partial<Record<Reason, string>> = {
      unsupportedScheme: "unsupported_scheme",
      invalidNetwork: "invalid_network",
      valueMismatch: "invalid_exact_evm_payload_authorization_value_mismatch",
      insufficientFunds: "insufficient_funds",
      transactionFailed: "invalid_transaction_state",
    };
    for (const [reason, code] of Object.entries(specFor)) {
      assert.equal(reasonCode(reason as Reason, 2), code);
      assert.ok(SPEC.includes(code));
    }
  });

  test("behavior: every v1 code is in the legacy x402 ErrorReasons enum, except settlement_pending", () => {
    // The legacy resource server validates facilitator answers against this enum (npm `x402` 1.2).
    const legacy = new Set<string>(ErrorReasons);
    for (const reason of allReasons) {
      const code = reasonCode(reason, 1);
      if (reason === Reason.settlementPending) {
        assert.equal(code, "settlement_pending");
        continue;
      }
      assert.ok(legacy.has(code), `${reason} → ${code} is not a legacy x402 ErrorReason`);
    }
  });

  test("behavior: v1 keeps the legacy name of the amount check", () => {
    assert.equal(reasonCode(Reason.valueMismatch, 1), "invalid_exact_evm_payload_authorization_value");
  });
});
