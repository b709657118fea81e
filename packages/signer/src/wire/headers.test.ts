import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decodePaymentRequiredHeader as coreDecodePaymentRequired,
  decodePaymentResponseHeader as coreDecodePaymentResponse,
  decodePaymentSignatureHeader as coreDecodePaymentSignature,
  encodePaymentRequiredHeader as coreEncodePaymentRequired,
  encodePaymentSignatureHeader as coreEncodePaymentSignature,
} from "@x402/core/http";
import type { PaymentPayload as CorePaymentPayload, PaymentRequired as CorePaymentRequired } from "@x402/core/types";
import { buildPaymentRequiredV2, buildRequirementsV2, fixedNonce, payee, payer } from "../../test/constants.js";
import { BaseError } from "../errors/base.js";
import {
  decodePaymentRequiredHeader,
  decodePaymentResponseHeader,
  decodePaymentSignatureHeader,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
  encodePaymentSignatureHeader,
  HeaderDecodeError,
  MAX_HEADER_VALUE_LENGTH,
  type PaymentPayloadV2,
  SchemaValidationError,
  X_PAYMENT_HEADER,
} from "./index.js";

const paymentPayload: PaymentPayloadV2 = {
  x402Version: 2,
  resource: { url: "https://api.example.com/café", description: "Wetterbericht für München ☀️" },
  accepted: buildRequirementsV2(),
  payload: {
    signature: `0x${"cd".repeat(65)}`,
    authorization: {
      from: payer.address,
      to: payee.address,
      value: "10000",
      validAfter: "1700000000",
      validBefore: "1700000060",
      nonce: fixedNonce,
    },
  },
};
const settleResponse = {
  success: true,
  transaction: `0x${"12".repeat(32)}`,
  network: "eip155:84532",
  payer: payer.address,
};

/** Base64 of arbitrary bytes. */
function base64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString("base64");
}

describe("header codecs", () => {
  test("default: round trip", () => {
    const paymentRequired = buildPaymentRequiredV2();
    assert.deepEqual(
      decodePaymentRequiredHeader({ value: encodePaymentRequiredHeader({ paymentRequired }) }),
      paymentRequired,
    );
    assert.deepEqual(
      decodePaymentSignatureHeader({ value: encodePaymentSignatureHeader({ paymentPayload }) }),
      paymentPayload,
    );
    assert.deepEqual(
      decodePaymentResponseHeader({ value: encodePaymentResponseHeader({ settleResponse }) }),
      settleResponse,
    );
  });

  test("behavior: standard base64 alphabet with padding, byte-identical to @x402/core", () => {
    const paymentRequired = buildPaymentRequiredV2();
    const ours = encodePaymentRequiredHeader({ paymentRequired });
    assert.equal(ours, coreEncodePaymentRequired(paymentRequired as CorePaymentRequired));
    assert.match(ours, /^[A-Za-z0-9+/]+={0,2}$/);
    assert.equal(ours.length % 4, 0);
    // Non-ASCII text is UTF-8 encoded, as @x402/core does.
    const signature = encodePaymentSignatureHeader({ paymentPayload });
    assert.equal(signature, coreEncodePaymentSignature(paymentPayload as CorePaymentPayload));
  });

  test("behavior: @x402/core decodes ours and we decode @x402/core's", () => {
    const paymentRequired = buildPaymentRequiredV2();
    assert.deepEqual(coreDecodePaymentRequired(encodePaymentRequiredHeader({ paymentRequired })), paymentRequired);
    assert.deepEqual(coreDecodePaymentSignature(encodePaymentSignatureHeader({ paymentPayload })), paymentPayload);
    assert.deepEqual(coreDecodePaymentResponse(encodePaymentResponseHeader({ settleResponse })), settleResponse);
    assert.deepEqual(
      decodePaymentSignatureHeader({ value: coreEncodePaymentSignature(paymentPayload as CorePaymentPayload) }),
      paymentPayload,
    );
  });

  test("behavior: the server-internal extensionResponses never reach the buyer", () => {
    const value = encodePaymentResponseHeader({
      settleResponse: { ...settleResponse, extensionResponses: { bazaar: { status: "ok" } } },
    });
    assert.equal("extensionResponses" in decodePaymentResponseHeader({ value }), false);
  });

  test("behavior: encoders refuse malformed objects", () => {
    assert.throws(
      () => encodePaymentSignatureHeader({ paymentPayload: { ...paymentPayload, accepted: undefined } as never }),
      SchemaValidationError,
    );
  });
});

describe("header decoding of malformed input", () => {
  const cases: [string, string, string][] = [
    ["not base64 (url-safe alphabet)", "eyJ4NDAyVmVyc2lvbiI6Mn0_-", "not_base64"],
    ["not base64 (stray characters)", "%%%%", "not_base64"],
    ["not base64 (impossible length)", "abcde", "not_base64"],
    ["not UTF-8", base64(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), "not_utf8"],
    ["not JSON", base64("not json"), "not_json"],
    ["empty", "", "not_json"],
    ["too long", "A".repeat(MAX_HEADER_VALUE_LENGTH + 4), "too_long"],
  ];
  for (const [name, value, reason] of cases) {
    test(`behavior: ${name} → HeaderDecodeError(${reason})`, () => {
      for (const decode of [decodePaymentRequiredHeader, decodePaymentSignatureHeader, decodePaymentResponseHeader]) {
        assert.throws(
          () => decode({ value }),
          (error: unknown) =>
            error instanceof HeaderDecodeError && error.reason === reason && error instanceof BaseError,
        );
      }
    });
  }

  test("behavior: JSON of the wrong shape → SchemaValidationError with the path", () => {
    const value = base64(
      JSON.stringify({ ...paymentPayload, accepted: { ...paymentPayload.accepted, network: "base" } }),
    );
    assert.throws(
      () => decodePaymentSignatureHeader({ value, header: X_PAYMENT_HEADER }),
      (error: unknown) =>
        error instanceof SchemaValidationError &&
        error.schema === "PaymentPayload" &&
        error.issues.some((issue) => issue.path === "accepted.network"),
    );
    for (const json of ["null", "[]", "42", '"text"', "{}"]) {
      assert.throws(() => decodePaymentResponseHeader({ value: base64(json) }), SchemaValidationError);
      assert.throws(() => decodePaymentRequiredHeader({ value: base64(json) }), SchemaValidationError);
    }
  });

  test("behavior: unpadded base64 is accepted as @x402/core accepts it", () => {
    const value = encodePaymentResponseHeader({ settleResponse }).replace(/=+$/, "");
    assert.deepEqual(decodePaymentResponseHeader({ value }), settleResponse);
  });

  test("behavior: error messages never contain the full signature", () => {
    const bad = { ...paymentPayload, payload: "not an object" };
    try {
      decodePaymentSignatureHeader({ value: base64(JSON.stringify(bad)) });
      assert.fail("expected an error");
    } catch (error) {
      assert.ok(error instanceof SchemaValidationError);
      assert.equal(error.message.includes("cd".repeat(65)), false);
    }
  });
});
