import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { verifyTypedData } from "viem";
import { baseSepoliaUsdc, buildPaymentRequiredV2, buildRequirementsV2, payer } from "../../test/constants.js";
import { startServer, type TestServer } from "../../test/helpers/startServer.js";
import { buildPermit2TypedData } from "../permit2/buildPermit2TypedData.js";
import { X402_EXACT_PERMIT2_PROXY_ADDRESS, X402_UPTO_PERMIT2_PROXY_ADDRESS } from "../permit2/constants.js";
import type { Permit2Payload } from "../permit2/types.js";
import {
  decodePaymentSignatureHeader,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
  type PaymentRequirementsV2,
} from "../wire/index.js";
import { PaymentRefusedError, type SpendingPolicy, wrapFetchWithPayment } from "./index.js";

const facilitator = "0x00000000000000000000000000000000000f00d5";
const exactPermit2 = buildRequirementsV2({ extra: { assetTransferMethod: "permit2" } });
const upto = buildRequirementsV2({ scheme: "upto", amount: "40000", extra: { facilitatorAddress: facilitator } });
const policy = (maxAmountPerRequest: bigint): SpendingPolicy => ({
  assets: [{ network: "eip155:84532", asset: baseSepoliaUsdc.address, maxAmountPerRequest }],
});
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** A v2 paywall on 127.0.0.1 asking for `accepts`; a paid request is answered 200 with a settlement. */
async function paywall(accepts: PaymentRequirementsV2[]): Promise<TestServer> {
  const server = await startServer((req, res) => {
    if (req.headers["payment-signature"]) {
      res.writeHead(200, {
        "PAYMENT-RESPONSE": encodePaymentResponseHeader({
          settleResponse: {
            success: true,
            transaction: `0x${"cd".repeat(32)}`,
            network: "eip155:84532",
            payer: payer.address,
          },
        }),
      });
      res.end("{}");
      return;
    }
    res.writeHead(402, {
      "PAYMENT-REQUIRED": encodePaymentRequiredHeader({ paymentRequired: buildPaymentRequiredV2({ accepts }) }),
    });
    res.end("{}");
  });
  servers.push(server);
  return server;
}

const sentPayload = (server: TestServer) => {
  const header = server.requests.find((r) => r.headers["payment-signature"])?.headers["payment-signature"];
  assert.ok(typeof header === "string", "a paid request was sent");
  return decodePaymentSignatureHeader({ value: header });
};

describe("wrapFetchWithPayment over Permit2", () => {
  for (const [name, requirements, spender] of [
    ["exact with assetTransferMethod permit2", exactPermit2, X402_EXACT_PERMIT2_PROXY_ADDRESS],
    ["upto", upto, X402_UPTO_PERMIT2_PROXY_ADDRESS],
  ] as const) {
    test(`default: pays ${name} with a Permit2 witness transfer to its proxy, signed by the payer`, async () => {
      const server = await paywall([requirements]);
      const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy(50_000n), permit2: true });
      const response = await pay(`${server.url}/report`);
      assert.equal(response.status, 200);
      const sent = sentPayload(server);
      assert.deepEqual(sent.accepted, requirements, "accepted is the server's entry, verbatim");
      const payload = sent.payload as Permit2Payload;
      const auth = payload.permit2Authorization;
      assert.equal(auth.from.toLowerCase(), payer.address.toLowerCase());
      assert.equal(auth.spender, spender);
      assert.equal(auth.permitted.amount, requirements.amount, "the amount, for upto the maximum");
      assert.equal(auth.witness.to.toLowerCase(), requirements.payTo.toLowerCase());
      if (requirements.scheme === "upto") assert.equal(auth.witness.facilitator?.toLowerCase(), facilitator);
      const typed = buildPermit2TypedData({
        scheme: requirements.scheme as "exact" | "upto",
        chainId: 84532,
        authorization: auth,
      });
      assert.equal(
        await verifyTypedData({
          ...typed,
          address: payer.address,
          signature: payload.signature,
        } as Parameters<typeof verifyTypedData>[0]),
        true,
        "the payer's Permit2 signature",
      );
    });
  }

  test("behavior: without permit2 on, Permit2 and upto requirements are refused before anything is signed", async () => {
    const server = await paywall([exactPermit2, upto]);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy(50_000n) });
    await assert.rejects(pay(`${server.url}/report`), (error: unknown) => {
      assert.ok(error instanceof PaymentRefusedError);
      assert.deepEqual(
        error.rejections.map((r) => r.reason),
        ["unsupported_transfer_method", "unsupported_scheme"],
      );
      return true;
    });
    assert.equal(server.requests.length, 1, "no paid request");
  });

  test("behavior: the policy counts upto at its maximum — a 40,000 maximum is refused under a 30,000 cap", async () => {
    const server = await paywall([upto]);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy(30_000n), permit2: true });
    await assert.rejects(pay(`${server.url}/report`), PaymentRefusedError);
    assert.equal(server.requests.length, 1, "no paid request");
  });
});
