import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  PaymentPayloadSchema as CorePaymentPayload,
  PaymentRequiredSchema as CorePaymentRequired,
  PaymentRequirementsV1Schema as CoreRequirementsV1,
  PaymentRequirementsV2Schema as CoreRequirementsV2,
} from "@x402/core/schemas";
import {
  buildPaymentRequiredV1,
  buildPaymentRequiredV2,
  buildRequirementsV1,
  buildRequirementsV2,
  fixedNonce,
  payee,
  payer,
} from "../../test/constants.js";
import {
  ExactEvmAuthorization,
  ExactEvmPayload,
  ExactEvmPaymentRequirementsV1,
  ExactEvmPaymentRequirementsV2,
  PaymentPayload,
  PaymentRequired,
  PaymentRequirements,
  SettleResponse,
  SupportedResponse,
  Uint256String,
  VerifyRequest,
  VerifyResponse,
} from "./index.js";

const authorization = {
  from: payer.address,
  to: payee.address,
  value: "10000",
  validAfter: "1700000000",
  validBefore: "1700000060",
  nonce: fixedNonce,
};
const exactPayload = { signature: `0x${"ab".repeat(65)}`, authorization };

describe("PaymentRequirements", () => {
  test("default: v1 and v2 builders parse and keep every field", () => {
    for (const requirement of [buildRequirementsV1(), buildRequirementsV2()]) {
      assert.deepEqual(PaymentRequirements.parse(requirement), requirement);
    }
  });

  test("behavior: unknown keys and null optionals survive a parse (so `accepted` can be echoed)", () => {
    const requirement = { ...buildRequirementsV2({ extra: null }), futureField: { a: 1 } };
    assert.deepEqual(PaymentRequirements.parse(requirement), requirement);
  });

  test("behavior: v2 network must be CAIP-2", () => {
    assert.equal(PaymentRequirements.safeParse(buildRequirementsV2({ network: "base" })).success, false);
  });

  test("behavior: agrees with @x402/core on what it accepts", () => {
    const cases: unknown[] = [
      buildRequirementsV1(),
      buildRequirementsV2(),
      buildRequirementsV2({ maxTimeoutSeconds: 0 }),
      buildRequirementsV2({ amount: "" }),
      { ...buildRequirementsV1(), description: undefined },
      { ...buildRequirementsV1(), mimeType: null },
    ];
    for (const value of cases) {
      const core = CoreRequirementsV1.safeParse(value).success || CoreRequirementsV2.safeParse(value).success;
      assert.equal(PaymentRequirements.safeParse(value).success, core, JSON.stringify(value));
    }
  });
});

describe("ExactEvmPaymentRequirements", () => {
  test("default: accepts the EIP-3009 requirement", () => {
    assert.equal(ExactEvmPaymentRequirementsV2.safeParse(buildRequirementsV2()).success, true);
    assert.equal(ExactEvmPaymentRequirementsV1.safeParse(buildRequirementsV1()).success, true);
  });

  test("behavior: rejects what an EIP-3009 signer cannot sign", () => {
    const bad: [string, unknown][] = [
      ["scheme", buildRequirementsV2({ scheme: "upto" })],
      ["network", buildRequirementsV2({ network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp" })],
      ["amount", buildRequirementsV2({ amount: "0.01" })],
      ["asset", buildRequirementsV2({ asset: "0x1234" })],
      ["payTo", buildRequirementsV2({ payTo: "not an address" })],
      ["maxTimeoutSeconds", buildRequirementsV2({ maxTimeoutSeconds: 1.5 })],
      ["extra", buildRequirementsV2({ extra: { name: "USDC" } })],
      ["extra", buildRequirementsV2({ extra: { name: "USDC", version: "2", assetTransferMethod: "permit2" } })],
    ];
    for (const [field, value] of bad) {
      const result = ExactEvmPaymentRequirementsV2.safeParse(value);
      assert.equal(result.success, false, field);
      assert.ok(
        result.error?.issues.some((issue) => issue.path[0] === field),
        field,
      );
    }
  });
});

describe("PaymentRequired", () => {
  test("default: v1 body and v2 object parse, discriminated by x402Version", () => {
    assert.equal(PaymentRequired.parse(buildPaymentRequiredV1()).x402Version, 1);
    assert.equal(PaymentRequired.parse(buildPaymentRequiredV2()).x402Version, 2);
  });

  test("behavior: empty accepts and unknown versions are rejected, as by @x402/core", () => {
    for (const value of [
      buildPaymentRequiredV2({ accepts: [] }),
      { ...buildPaymentRequiredV2(), x402Version: 3 },
      { ...buildPaymentRequiredV2(), resource: undefined },
    ]) {
      assert.equal(PaymentRequired.safeParse(value).success, false);
      assert.equal(CorePaymentRequired.safeParse(value).success, false);
    }
  });
});

describe("ExactEvmAuthorization", () => {
  test("default: parses", () => {
    assert.deepEqual(ExactEvmAuthorization.parse(authorization), authorization);
  });

  test("behavior: validBefore must exceed validAfter", () => {
    const result = ExactEvmAuthorization.safeParse({ ...authorization, validBefore: authorization.validAfter });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ["validBefore"]);
  });

  test("behavior: rejects malformed fields", () => {
    const bad = {
      from: "0xabc",
      to: `0x${"g".repeat(40)}`,
      value: "-1",
      validAfter: "1e3",
      validBefore: " 5",
      nonce: `0x${"0".repeat(63)}`,
    };
    for (const [field, value] of Object.entries(bad)) {
      assert.equal(ExactEvmAuthorization.safeParse({ ...authorization, [field]: value }).success, false, field);
    }
  });

  test("behavior: uint256 bounds", () => {
    assert.equal(Uint256String.safeParse((2n ** 256n - 1n).toString()).success, true);
    assert.equal(Uint256String.safeParse((2n ** 256n).toString()).success, false);
  });
});

describe("ExactEvmPayload", () => {
  test("behavior: signatures are whole-byte hex of any length", () => {
    assert.equal(ExactEvmPayload.safeParse(exactPayload).success, true);
    assert.equal(ExactEvmPayload.safeParse({ ...exactPayload, signature: `0x${"ab".repeat(300)}` }).success, true);
    assert.equal(ExactEvmPayload.safeParse({ ...exactPayload, signature: "0xabc" }).success, false);
    assert.equal(ExactEvmPayload.safeParse({ ...exactPayload, signature: "0x" }).success, false);
  });
});

describe("PaymentPayload", () => {
  const v1 = { x402Version: 1, scheme: "exact", network: "base-sepolia", payload: exactPayload };
  const v2 = {
    x402Version: 2,
    resource: buildPaymentRequiredV2().resource,
    accepted: buildRequirementsV2(),
    payload: exactPayload,
  };

  test("default: v1 and v2 parse and agree with @x402/core", () => {
    for (const value of [v1, v2]) {
      assert.deepEqual(PaymentPayload.parse(value), value);
      assert.equal(CorePaymentPayload.safeParse(value).success, true);
    }
  });

  test("behavior: a v2 payload without accepted is rejected", () => {
    const { accepted: _accepted, ...rest } = v2;
    assert.equal(PaymentPayload.safeParse(rest).success, false);
    assert.equal(CorePaymentPayload.safeParse(rest).success, false);
  });
});

describe("facilitator bodies", () => {
  test("default: verify request for v1 and v2", () => {
    const body = {
      x402Version: 2,
      paymentPayload: { x402Version: 2, accepted: buildRequirementsV2(), payload: exactPayload },
      paymentRequirements: buildRequirementsV2(),
    };
    assert.equal(VerifyRequest.safeParse(body).success, true);
    const v1 = {
      x402Version: 1,
      paymentPayload: { x402Version: 1, scheme: "exact", network: "base-sepolia", payload: exactPayload },
      paymentRequirements: buildRequirementsV1(),
    };
    assert.equal(VerifyRequest.safeParse(v1).success, true);
    assert.equal(VerifyRequest.safeParse({ ...v1, paymentRequirements: buildRequirementsV2() }).success, false);
  });

  test("behavior: responses accept null optionals like @x402/core's client does", () => {
    assert.equal(
      VerifyResponse.safeParse({ isValid: false, invalidReason: "x", invalidMessage: null, payer: null }).success,
      true,
    );
    assert.equal(
      SettleResponse.safeParse({ success: true, transaction: "", network: "eip155:1", errorReason: null }).success,
      true,
    );
    assert.equal(SettleResponse.safeParse({ success: true, network: "eip155:1" }).success, false);
    assert.equal(
      SupportedResponse.safeParse({ kinds: [{ x402Version: 1, scheme: "exact", network: "base" }] }).success,
      true,
    );
  });
});
