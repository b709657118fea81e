/**
 * Interop with the official x402 SDK on a local "Base Sepolia twin" (Hardhat node with chain id
 * 84532, so the legacy v1 packages, which only know named networks, accept it) paying in TestUSDC:
 * - our payloads pass `@x402/evm`'s exact facilitator (v2 and v1) and the legacy `x402` facilitator,
 *   and settle on chain;
 * - payloads made by `@x402/evm`'s client and by the legacy `x402` client decode and verify with ours
 *   and settle through our `splitSignature`.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { x402Facilitator } from "@x402/core/facilitator";
import type {
  PaymentPayload as CorePaymentPayload,
  PaymentRequirements as CorePaymentRequirements,
} from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { ExactEvmSchemeV1 } from "@x402/evm/exact/v1/client";
import { createPaymentHeader as legacyCreatePaymentHeader } from "x402/client";
import { settle as legacySettle, verify as legacyVerify } from "x402/facilitator";
import {
  createPaymentPayload,
  type Eip3009Domain,
  fromWireAuthorization,
  splitSignature,
  verifyAuthorizationSignature,
} from "../src/index.js";
import {
  decodePaymentSignatureHeader,
  ExactEvmPayload,
  type PaymentRequiredV1,
  type PaymentRequiredV2,
  type PaymentRequirementsV1,
  type PaymentRequirementsV2,
  SettleResponse,
  VerifyResponse,
  X_PAYMENT_HEADER,
} from "../src/wire/index.js";
import { accounts } from "./constants.js";
import { startTestChain, type TestChain, TOKEN_NAME, TOKEN_VERSION } from "./helpers/chain.js";

const [payer, payee, , facilitatorAccount] = accounts as [
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
];

let chain: TestChain;
let facilitator: x402Facilitator;
let requirementsV2: PaymentRequirementsV2;
let requirementsV1: PaymentRequirementsV1;
let domain: Eip3009Domain;

before(async () => {
  chain = await startTestChain({ chainId: 84532 });
  const client = chain.walletClient(facilitatorAccount);
  const signer = toFacilitatorEvmSigner({
    address: facilitatorAccount.address,
    readContract: (args) => client.readContract(args as never),
    verifyTypedData: (args) => client.verifyTypedData(args as never),
    writeContract: (args) => client.writeContract(args as never),
    sendTransaction: (args) => client.sendTransaction(args as never),
    waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
    getCode: (args) => client.getCode(args),
  });
  facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer, networks: "eip155:84532" });
  const extra = { name: TOKEN_NAME, version: TOKEN_VERSION };
  requirementsV2 = {
    scheme: "exact",
    network: "eip155:84532",
    amount: "2500",
    asset: chain.token.address,
    payTo: payee.address,
    maxTimeoutSeconds: 120,
    extra,
  };
  requirementsV1 = {
    scheme: "exact",
    network: "base-sepolia",
    maxAmountRequired: "2500",
    resource: "http://127.0.0.1/report",
    description: "report",
    mimeType: "application/json",
    payTo: payee.address,
    maxTimeoutSeconds: 120,
    asset: chain.token.address,
    extra,
  };
  domain = { name: TOKEN_NAME, version: TOKEN_VERSION, chainId: 84532, verifyingContract: chain.token.address };
});
after(() => chain?.node.stop());

const paymentRequiredV2 = (): PaymentRequiredV2 => ({
  x402Version: 2,
  resource: { url: "http://127.0.0.1/report", description: "report", mimeType: "application/json" },
  accepts: [requirementsV2],
});
const paymentRequiredV1 = (): PaymentRequiredV1 => ({
  x402Version: 1,
  error: "X-PAYMENT header is required",
  accepts: [requirementsV1],
});

describe("our payloads → official facilitators", () => {
  test("v2: @x402/evm verifies (with on-chain simulation) and settles it", async () => {
    const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired: paymentRequiredV2() });
    const payload = paymentPayload as CorePaymentPayload;
    const requirements = requirementsV2 as CorePaymentRequirements;
    const verified = VerifyResponse.parse(await facilitator.verify(payload, requirements));
    assert.deepEqual(
      { isValid: verified.isValid, payer: verified.payer, reason: verified.invalidReason },
      {
        isValid: true,
        payer: payer.address,
        reason: undefined,
      },
    );
    const before = await chain.balanceOf(payee.address);
    const settled = SettleResponse.parse(await facilitator.settle(payload, requirements));
    assert.equal(settled.success, true, settled.errorReason ?? "");
    assert.equal(settled.network, "eip155:84532");
    assert.match(settled.transaction, /^0x[0-9a-f]{64}$/);
    assert.equal(await chain.balanceOf(payee.address), before + 2500n);
  });

  test("v1: @x402/evm's ExactEvmSchemeV1 verifies and settles it", async () => {
    const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired: paymentRequiredV1() });
    const payload = paymentPayload as unknown as CorePaymentPayload;
    const requirements = requirementsV1 as unknown as CorePaymentRequirements;
    assert.equal((await facilitator.verify(payload, requirements)).isValid, true);
    const settled = SettleResponse.parse(await facilitator.settle(payload, requirements));
    assert.equal(settled.success, true, settled.errorReason ?? "");
    assert.equal(settled.network, "base-sepolia");
  });

  test("v1: the legacy x402 facilitator verifies and settles it", async () => {
    const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired: paymentRequiredV1() });
    const client = chain.walletClient(facilitatorAccount);
    const verified = await legacyVerify(client as never, paymentPayload as never, requirementsV1 as never);
    assert.deepEqual(verified, { isValid: true, invalidReason: undefined, payer: payer.address });
    const settled = SettleResponse.parse(
      await legacySettle(client as never, paymentPayload as never, requirementsV1 as never),
    );
    assert.equal(settled.success, true);
  });

  test("a tampered payload is refused by @x402/evm and by us alike", async () => {
    const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired: paymentRequiredV2() });
    const exact = ExactEvmPayload.parse(paymentPayload.payload);
    const tampered = {
      ...exact,
      authorization: { ...exact.authorization, validBefore: String(BigInt(exact.authorization.validBefore) + 1n) },
    };
    const verdict = await facilitator.verify(
      { ...paymentPayload, payload: tampered } as CorePaymentPayload,
      requirementsV2 as CorePaymentRequirements,
    );
    assert.equal(verdict.isValid, false);
    assert.equal(verdict.invalidReason, "invalid_exact_evm_signature");
    const ours = await verifyAuthorizationSignature({
      primaryType: "TransferWithAuthorization",
      domain,
      message: fromWireAuthorization({ authorization: tampered.authorization }),
      signature: tampered.signature,
      client: chain.publicClient,
    });
    assert.equal(ours, false);
  });
});

describe("official clients' payloads → ours", () => {
  async function settleWithOurs(decodedPayload: unknown) {
    const exact = ExactEvmPayload.parse(decodedPayload);
    const message = fromWireAuthorization({ authorization: exact.authorization });
    assert.equal(
      await verifyAuthorizationSignature({
        primaryType: "TransferWithAuthorization",
        domain,
        message,
        signature: exact.signature,
        client: chain.publicClient,
      }),
      true,
    );
    const { v, r, s } = splitSignature({ signature: exact.signature });
    const relayer = chain.walletClient(facilitatorAccount);
    const hash = await relayer.writeContract({
      address: chain.token.address,
      abi: chain.token.abi,
      functionName: "transferWithAuthorization",
      args: [message.from, message.to, message.value, message.validAfter, message.validBefore, message.nonce, v, r, s],
    });
    assert.equal((await relayer.waitForTransactionReceipt({ hash })).status, "success");
  }

  test("@x402/evm client (v2 and v1) payloads verify with ours and settle through splitSignature", async () => {
    const client = new x402Client()
      .register("eip155:*", new ExactEvmScheme(payer))
      .registerV1("base-sepolia", new ExactEvmSchemeV1(payer))
      .setSpendControls({ allowedAssets: true });
    for (const paymentRequired of [paymentRequiredV2(), paymentRequiredV1()]) {
      const official = await client.createPaymentPayload(paymentRequired as never);
      const decoded = decodePaymentSignatureHeader({ value: Buffer.from(JSON.stringify(official)).toString("base64") });
      await settleWithOurs(decoded.payload);
    }
  });

  test("legacy x402 client header (btoa-encoded) decodes, verifies and settles with ours", async () => {
    const header = await legacyCreatePaymentHeader(payer as never, 1, requirementsV1 as never);
    const decoded = decodePaymentSignatureHeader({ value: header, header: X_PAYMENT_HEADER });
    assert.equal(decoded.x402Version, 1);
    await settleWithOurs(decoded.payload);
  });
});
