import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import type { PaymentRequired as CorePaymentRequired } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { ExactEvmSchemeV1 } from "@x402/evm/exact/v1/client";
import { createWalletClient, custom, getAddress } from "viem";
import {
  baseSepoliaUsdc,
  buildPaymentRequiredV1,
  buildPaymentRequiredV2,
  buildRequirementsV1,
  buildRequirementsV2,
  fixedNonce,
  payee,
  payer,
} from "../../test/constants.js";
import { fromWireAuthorization } from "../eip3009/fromWireAuthorization.js";
import { signTransferWithAuthorization } from "../eip3009/signTransferWithAuthorization.js";
import { verifyAuthorizationSignature } from "../eip3009/verifyAuthorizationSignature.js";
import { PaymentRefusedError } from "../errors/payment.js";
import { SchemaValidationError } from "../errors/wire.js";
import {
  decodePaymentSignatureHeader,
  ExactEvmPayload,
  ExactEvmPaymentPayloadV1,
  ExactEvmPaymentPayloadV2,
  encodePaymentSignatureHeader,
  type PaymentRequired,
} from "../wire/index.js";
import { createPaymentPayload } from "./createPaymentPayload.js";
import { selectPaymentRequirements } from "./selectPaymentRequirements.js";

const now = 1_700_000_600;
const domain = {
  name: baseSepoliaUsdc.name,
  version: baseSepoliaUsdc.version,
  chainId: baseSepoliaUsdc.chainId,
  verifyingContract: baseSepoliaUsdc.address,
};

describe("createPaymentPayload", () => {
  test("default: v2 payload copies accepted verbatim and echoes resource and extensions", async () => {
    const accepted = {
      ...buildRequirementsV2(),
      futureField: { keep: ["me"] },
      extra: { name: "USDC", version: "2", x: 1 },
    };
    const extensions = { bazaar: { info: { input: { type: "http" } }, schema: {} } };
    const paymentRequired = buildPaymentRequiredV2({ accepts: [accepted], extensions });
    const { paymentPayload, authorization, option } = await createPaymentPayload({
      signer: payer,
      paymentRequired,
      nonce: fixedNonce,
      now,
    });
    const v2 = ExactEvmPaymentPayloadV2.parse(paymentPayload);
    assert.deepEqual(v2.accepted, accepted);
    assert.deepEqual(v2.resource, paymentRequired.resource);
    assert.deepEqual(v2.extensions, extensions);
    assert.deepEqual(v2.payload.authorization, {
      from: payer.address,
      to: payee.address,
      value: "10000",
      validAfter: String(now - 600),
      validBefore: String(now + 60),
      nonce: fixedNonce,
    });
    assert.equal(option.index, 0);
    assert.equal(authorization.value, 10_000n);
    // The same authorization signed directly gives the same bytes.
    const direct = await signTransferWithAuthorization({ signer: payer, domain, authorization });
    assert.equal(v2.payload.signature, direct.signature);
  });

  test("behavior: v1 payload carries scheme and the legacy network name", async () => {
    const { paymentPayload } = await createPaymentPayload({
      signer: payer,
      paymentRequired: buildPaymentRequiredV1(),
      now,
    });
    const v1 = ExactEvmPaymentPayloadV1.parse(paymentPayload);
    assert.equal(v1.scheme, "exact");
    assert.equal(v1.network, "base-sepolia");
    assert.equal(v1.payload.authorization.value, "10000");
    assert.equal(
      await verifyAuthorizationSignature({
        primaryType: "TransferWithAuthorization",
        domain,
        message: fromWireAuthorization({ authorization: v1.payload.authorization }),
        signature: v1.payload.signature,
      }),
      true,
    );
  });

  test("behavior: no extensions key when the server declared none", async () => {
    const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired: buildPaymentRequiredV2() });
    assert.equal("extensions" in paymentPayload, false);
  });

  test("behavior: a wallet client signer works like its account", async () => {
    const walletClient = createWalletClient({ account: payer, transport: custom({ request: async () => null }) });
    const a = await createPaymentPayload({
      signer: payer,
      paymentRequired: buildPaymentRequiredV2(),
      nonce: fixedNonce,
      now,
    });
    const b = await createPaymentPayload({
      signer: walletClient,
      paymentRequired: buildPaymentRequiredV2(),
      nonce: fixedNonce,
      now,
    });
    assert.deepEqual(a.paymentPayload, b.paymentPayload);
  });

  test("behavior: explicit requirements must be one of accepts", async () => {
    const paymentRequired = buildPaymentRequiredV2({
      accepts: [buildRequirementsV2(), buildRequirementsV2({ amount: "20000" })],
    });
    const { option } = await createPaymentPayload({
      signer: payer,
      paymentRequired,
      requirements: { ...buildRequirementsV2({ amount: "20000" }) },
    });
    assert.equal(option.index, 1);
    await assert.rejects(
      createPaymentPayload({ signer: payer, paymentRequired, requirements: buildRequirementsV2({ amount: "1" }) }),
      (error: unknown) => error instanceof PaymentRefusedError && error.rejections[0]?.reason === "not_offered",
    );
  });

  test("behavior: malformed PaymentRequired raises SchemaValidationError", async () => {
    await assert.rejects(
      createPaymentPayload({
        signer: payer,
        paymentRequired: { x402Version: 2, accepts: [] } as unknown as PaymentRequired,
      }),
      SchemaValidationError,
    );
  });

  test("behavior: round-trips through the header codec", async () => {
    const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired: buildPaymentRequiredV2() });
    const decoded = decodePaymentSignatureHeader({ value: encodePaymentSignatureHeader({ paymentPayload }) });
    assert.deepEqual(decoded, paymentPayload);
  });
});

describe("selectPaymentRequirements", () => {
  const mixed = buildPaymentRequiredV2({
    accepts: [
      buildRequirementsV2({ scheme: "upto" }),
      buildRequirementsV2({ network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp" }),
      buildRequirementsV2({ extra: { name: "USDC", version: "2", assetTransferMethod: "permit2" } }),
      buildRequirementsV2({ extra: { name: "USDC" } }),
      buildRequirementsV2({ amount: "42" }),
    ],
  });

  test("default: the first payable entry, in the server's order", () => {
    const option = selectPaymentRequirements({ paymentRequired: mixed });
    assert.equal(option.index, 4);
    assert.equal(option.amount, 42n);
    assert.equal(option.network, "eip155:84532");
    assert.equal(option.payTo, getAddress(payee.address));
  });

  test("behavior: refuses with a reason per entry", () => {
    assert.throws(
      () =>
        selectPaymentRequirements({
          paymentRequired: mixed,
          check: (option) => ({ reason: "amount_exceeds_limit", message: `${option.amount} > 10` }),
        }),
      (error: unknown) =>
        error instanceof PaymentRefusedError &&
        JSON.stringify(error.rejections.map((r) => [r.index, r.reason])) ===
          JSON.stringify([
            [0, "unsupported_scheme"],
            [1, "unsupported_network"],
            [2, "unsupported_transfer_method"],
            [3, "invalid_requirements"],
            [4, "amount_exceeds_limit"],
          ]),
    );
  });

  test("behavior: v1 names resolve, unknown v1 names are unsupported unless configured", () => {
    const paymentRequired = buildPaymentRequiredV1({ accepts: [buildRequirementsV1({ network: "localhost" })] });
    assert.throws(() => selectPaymentRequirements({ paymentRequired }), PaymentRefusedError);
    const option = selectPaymentRequirements({ paymentRequired, customV1Networks: { localhost: 31337 } });
    assert.equal(option.chainId, 31337);
    assert.equal(option.network, "eip155:31337");
  });
});

describe("interop: payloads from the official @x402/evm client", () => {
  test("behavior: v2 and v1 payloads parse with our schemas and verify with our verifier", async () => {
    const client = new x402Client()
      .register("eip155:*", new ExactEvmScheme(payer))
      .registerV1("base-sepolia", new ExactEvmSchemeV1(payer))
      .setSpendControls({ allowedAssets: true });
    for (const paymentRequired of [buildPaymentRequiredV2(), buildPaymentRequiredV1()]) {
      const official = await client.createPaymentPayload(paymentRequired as CorePaymentRequired);
      const decoded = decodePaymentSignatureHeader({
        value: Buffer.from(JSON.stringify(official)).toString("base64"),
      });
      const payload = ExactEvmPayload.parse(decoded.payload);
      if (decoded.x402Version === 2) assert.deepEqual(decoded.accepted, paymentRequired.accepts[0]);
      assert.equal(
        await verifyAuthorizationSignature({
          primaryType: "TransferWithAuthorization",
          domain,
          message: fromWireAuthorization({ authorization: payload.authorization }),
          signature: payload.signature,
        }),
        true,
        `v${decoded.x402Version}`,
      );
    }
  });
});
