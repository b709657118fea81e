import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, describe, test } from "node:test";
import {
  baseSepoliaUsdc,
  baseUsdc,
  buildPaymentRequiredV1,
  buildPaymentRequiredV2,
  buildRequirementsV2,
  payer,
} from "../../test/constants.js";
import { type RecordedRequest, startServer, type TestServer } from "../../test/helpers/startServer.js";
import { HeaderDecodeError } from "../errors/wire.js";
import {
  decodePaymentSignatureHeader,
  ExactEvmPaymentPayloadV1,
  ExactEvmPaymentPayloadV2,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
  type PaymentRequiredV2,
} from "../wire/index.js";
import {
  createSpendLedger,
  getPaymentResult,
  InvalidPaymentRequiredError,
  InvalidPolicyError,
  PaymentAlreadyAttemptedError,
  PaymentRefusedError,
  PaymentTransportError,
  type SpendingPolicy,
  wrapFetchWithPayment,
} from "./index.js";

const policy: SpendingPolicy = {
  assets: [{ network: "eip155:84532", asset: baseSepoliaUsdc.address, maxAmountPerRequest: 50_000n }],
};
const TX = `0x${"ab".repeat(32)}`;
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

function send402V2(res: ServerResponse, paymentRequired: PaymentRequiredV2 = buildPaymentRequiredV2()) {
  res.writeHead(402, {
    "content-type": "application/json",
    "PAYMENT-REQUIRED": encodePaymentRequiredHeader({ paymentRequired }),
  });
  res.end("{}");
}

function sendPaid(res: ServerResponse, header: string, network = "eip155:84532") {
  res.writeHead(200, {
    "content-type": "application/json",
    [header]: encodePaymentResponseHeader({
      settleResponse: { success: true, transaction: TX, network, payer: payer.address },
    }),
  });
  res.end(JSON.stringify({ report: "sunny" }));
}

/**
 * A v2 paywall: 402 with PAYMENT-REQUIRED unless PAYMENT-SIGNATURE is present.
 *
 * @param paymentRequired - What to ask for.
 * @returns The server.
 */
async function v2Paywall(paymentRequired?: PaymentRequiredV2): Promise<TestServer> {
  const server = await startServer((req, res) => {
    if (req.headers["payment-signature"]) sendPaid(res, "PAYMENT-RESPONSE");
    else send402V2(res, paymentRequired);
  });
  servers.push(server);
  return server;
}

const paidRequests = (server: TestServer) =>
  server.requests.filter((r: RecordedRequest) => r.headers["payment-signature"] || r.headers["x-payment"]);

describe("wrapFetchWithPayment", () => {
  test("default: pays a v2 402 once and exposes the decoded settlement", async () => {
    const server = await v2Paywall();
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy });
    const response = await pay(`${server.url}/report`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { report: "sunny" });
    assert.equal(server.requests.length, 2);
    const paid = paidRequests(server);
    assert.equal(paid.length, 1);
    const payload = ExactEvmPaymentPayloadV2.parse(
      decodePaymentSignatureHeader({ value: String(paid[0]?.headers["payment-signature"]) }),
    );
    assert.deepEqual(payload.accepted, buildRequirementsV2());
    assert.equal(payload.payload.authorization.from, payer.address);
    assert.equal(paid[0]?.headers["access-control-expose-headers"], "PAYMENT-RESPONSE,X-PAYMENT-RESPONSE");
    const result = getPaymentResult({ response });
    assert.equal(result?.status, "settled");
    assert.equal(result?.settlement?.transaction, TX);
    assert.equal(result?.resends, 0);
    assert.deepEqual(result?.paymentPayload, payload);
  });

  test("behavior: the body of a v2 402 is released, never left holding its connection", async () => {
    const server = await v2Paywall();
    const seen: Response[] = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      seen.push(response);
      return response;
    };
    const pay = wrapFetchWithPayment(recording, { signer: payer, policy });
    await (await pay(`${server.url}/report`)).text();
    assert.equal(seen[0]?.status, 402);
    assert.equal(seen[0]?.bodyUsed, true);
  });

  test("behavior: pays a v1 402 JSON body with X-PAYMENT", async () => {
    const server = await startServer((req, res) => {
      if (req.headers["x-payment"]) return sendPaid(res, "X-PAYMENT-RESPONSE", "base-sepolia");
      res.writeHead(402, { "content-type": "application/json" });
      res.end(JSON.stringify(buildPaymentRequiredV1()));
    });
    servers.push(server);
    const pay = wrapFetchWithPayment(fetch, {
      signer: payer,
      policy: { assets: [{ network: "base-sepolia", asset: baseSepoliaUsdc.address }] },
    });
    const response = await pay(server.url);
    assert.equal(response.status, 200);
    const paid = paidRequests(server);
    assert.equal(paid.length, 1);
    const payload = ExactEvmPaymentPayloadV1.parse(
      decodePaymentSignatureHeader({ value: String(paid[0]?.headers["x-payment"]) }),
    );
    assert.equal(payload.network, "base-sepolia");
    assert.equal(getPaymentResult({ response })?.settlement?.network, "base-sepolia");
  });

  test("behavior: responses that need no payment pass through untouched", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      res.end("free");
    });
    servers.push(server);
    const response = await wrapFetchWithPayment(fetch, { signer: payer, policy })(server.url);
    assert.equal(await response.text(), "free");
    assert.equal(getPaymentResult({ response }), undefined);
  });

  test("behavior: the request body is sent again with the payment", async () => {
    const server = await v2Paywall();
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy });
    await pay(server.url, {
      method: "POST",
      body: JSON.stringify({ city: "Lisbon" }),
      headers: { "content-type": "application/json" },
    });
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.body]),
      [
        ["POST", '{"city":"Lisbon"}'],
        ["POST", '{"city":"Lisbon"}'],
      ],
    );
  });

  test("behavior: a second 402 is returned as a failed payment, never paid again", async () => {
    const server = await startServer((_req, res) =>
      send402V2(res, buildPaymentRequiredV2({ error: "insufficient_funds" })),
    );
    servers.push(server);
    const response = await wrapFetchWithPayment(fetch, { signer: payer, policy })(server.url);
    assert.equal(response.status, 402);
    assert.equal(paidRequests(server).length, 1);
    assert.equal(getPaymentResult({ response })?.status, "failed");
  });

  test("behavior: a request that already carried a payment is not paid again", async () => {
    const server = await startServer((_req, res) => send402V2(res));
    servers.push(server);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy });
    await assert.rejects(pay(server.url, { headers: { "PAYMENT-SIGNATURE": "abc" } }), PaymentAlreadyAttemptedError);
    assert.equal(server.requests.length, 1);
  });

  test("behavior: a malformed settlement header is reported, not thrown", async () => {
    const server = await startServer((req, res) => {
      if (!req.headers["payment-signature"]) return send402V2(res);
      res.writeHead(200, { "PAYMENT-RESPONSE": "%%%" });
      res.end("ok");
    });
    servers.push(server);
    const response = await wrapFetchWithPayment(fetch, { signer: payer, policy })(server.url);
    const result = getPaymentResult({ response });
    assert.equal(result?.status, "unknown");
    assert.ok(result?.settlementError instanceof HeaderDecodeError);
  });
});

describe("wrapFetchWithPayment: invalid 402 responses", () => {
  const cases: [string, (res: ServerResponse) => void, (error: unknown) => boolean][] = [
    [
      "no requirements at all",
      (res) => {
        res.writeHead(402);
        res.end("pay me");
      },
      (error) => error instanceof InvalidPaymentRequiredError,
    ],
    [
      "a malformed PAYMENT-REQUIRED header",
      (res) => {
        res.writeHead(402, { "PAYMENT-REQUIRED": "not base64!" });
        res.end();
      },
      (error) => error instanceof InvalidPaymentRequiredError && error.cause instanceof HeaderDecodeError,
    ],
    [
      "a v1 body of the wrong shape",
      (res) => {
        res.writeHead(402, { "content-type": "application/json" });
        res.end(JSON.stringify({ x402Version: 1, accepts: [{ scheme: "exact" }] }));
      },
      (error) => error instanceof InvalidPaymentRequiredError,
    ],
  ];
  for (const [name, respond, check] of cases) {
    test(`behavior: ${name} → InvalidPaymentRequiredError, nothing signed`, async () => {
      const server = await startServer((_req, res) => respond(res));
      servers.push(server);
      await assert.rejects(wrapFetchWithPayment(fetch, { signer: payer, policy })(server.url), check);
      assert.equal(server.requests.length, 1);
    });
  }
});

describe("wrapFetchWithPayment: spending policy", () => {
  const refusal = async (paymentRequired: PaymentRequiredV2, spendingPolicy: SpendingPolicy, reason: string) => {
    const server = await v2Paywall(paymentRequired);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: spendingPolicy });
    await assert.rejects(
      pay(server.url),
      (error: unknown) =>
        error instanceof PaymentRefusedError &&
        error.rejections.length === 1 &&
        error.rejections[0]?.reason === reason &&
        error.message.includes(reason),
    );
    assert.equal(paidRequests(server).length, 0, "nothing may be sent");
  };

  test("behavior: over the per-request limit is refused", async () => {
    await refusal(
      buildPaymentRequiredV2({ accepts: [buildRequirementsV2({ amount: "50001" })] }),
      policy,
      "amount_exceeds_limit",
    );
  });

  test("behavior: a network that is not allowed is refused", async () => {
    await refusal(
      buildPaymentRequiredV2({ accepts: [buildRequirementsV2({ network: "eip155:8453", asset: baseUsdc.address })] }),
      { ...policy, networks: ["base-sepolia"] },
      "network_not_allowed",
    );
  });

  test("behavior: an asset that is not listed is refused (also the same token on another chain)", async () => {
    await refusal(
      buildPaymentRequiredV2({ accepts: [buildRequirementsV2({ asset: baseUsdc.address })] }),
      policy,
      "asset_not_allowed",
    );
    await refusal(
      buildPaymentRequiredV2({ accepts: [buildRequirementsV2({ network: "eip155:8453" })] }),
      policy,
      "asset_not_allowed",
    );
  });

  test("behavior: a payee that is not allowed is refused", async () => {
    await refusal(buildPaymentRequiredV2(), { ...policy, payees: [payer.address] }, "payee_not_allowed");
  });

  test("behavior: pays the first allowed option when several are offered", async () => {
    const server = await v2Paywall(
      buildPaymentRequiredV2({
        accepts: [buildRequirementsV2({ amount: "60000" }), buildRequirementsV2({ amount: "40000" })],
      }),
    );
    const response = await wrapFetchWithPayment(fetch, { signer: payer, policy })(server.url);
    assert.equal(getPaymentResult({ response })?.option.amount, 40_000n);
  });

  test("behavior: the time-window budget refuses the payment that would exceed it, and frees up later", async () => {
    const server = await v2Paywall();
    let clock = 1_700_000_000_000;
    const ledger = createSpendLedger();
    const pay = wrapFetchWithPayment(fetch, {
      signer: payer,
      ledger,
      now: () => clock,
      policy: {
        assets: [
          {
            network: "eip155:84532",
            asset: baseSepoliaUsdc.address,
            budgets: [{ amount: 25_000n, windowSeconds: 60 }],
          },
        ],
      },
    });
    await pay(server.url);
    clock += 10_000;
    await pay(server.url);
    clock += 10_000;
    await assert.rejects(
      pay(server.url),
      (error: unknown) => error instanceof PaymentRefusedError && error.rejections[0]?.reason === "budget_exceeded",
    );
    assert.equal(ledger.spent(`eip155:84532:${baseSepoliaUsdc.address.toLowerCase()}`, 60, clock), 20_000n);
    clock += 41_000; // the first payment leaves the window
    await pay(server.url);
    assert.equal(paidRequests(server).length, 3);
  });

  test("behavior: concurrent requests cannot both slip under the budget", async () => {
    const server = await v2Paywall();
    const pay = wrapFetchWithPayment(fetch, {
      signer: payer,
      policy: {
        assets: [
          {
            network: "eip155:84532",
            asset: baseSepoliaUsdc.address,
            budgets: [{ amount: 15_000n, windowSeconds: 3600 }],
          },
        ],
      },
    });
    const results = await Promise.allSettled([pay(server.url), pay(server.url), pay(server.url)]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal(paidRequests(server).length, 1);
  });

  test("behavior: a malformed policy is refused at wrap time", () => {
    const bad: SpendingPolicy[] = [
      { assets: [{ network: "nowhere", asset: baseSepoliaUsdc.address }] },
      { assets: [{ network: "base", asset: "0x1234" }] },
      { assets: [{ network: "base", asset: baseUsdc.address, maxAmountPerRequest: -1n }] },
      { assets: [{ network: "base", asset: baseUsdc.address, budgets: [{ amount: 1n, windowSeconds: 0 }] }] },
      {
        assets: [
          { network: "base", asset: baseUsdc.address },
          { network: "eip155:8453", asset: baseUsdc.address },
        ],
      },
      { assets: [], payees: ["nobody"] as never },
    ];
    for (const spendingPolicy of bad) {
      assert.throws(() => wrapFetchWithPayment(fetch, { signer: payer, policy: spendingPolicy }), InvalidPolicyError);
    }
  });
});

describe("wrapFetchWithPayment: transport failures of the paid request", () => {
  test("behavior: re-sends the same authorization after a dropped connection, and counts it once", async () => {
    let dropped = false;
    const server = await startServer((req, res) => {
      if (!req.headers["payment-signature"]) return send402V2(res);
      if (!dropped) {
        dropped = true; // the server "settled" but the response is lost
        res.socket?.destroy();
        return;
      }
      sendPaid(res, "PAYMENT-RESPONSE");
    });
    servers.push(server);
    const ledger = createSpendLedger();
    const clock = 1_700_000_000_000;
    const pay = wrapFetchWithPayment(fetch, {
      signer: payer,
      ledger,
      now: () => clock,
      policy: {
        assets: [
          {
            network: "eip155:84532",
            asset: baseSepoliaUsdc.address,
            budgets: [{ amount: 1_000_000n, windowSeconds: 60 }],
          },
        ],
      },
    });
    const response = await pay(server.url);
    assert.equal(response.status, 200);
    const paid = paidRequests(server);
    assert.equal(paid.length, 2);
    assert.equal(paid[0]?.headers["payment-signature"], paid[1]?.headers["payment-signature"], "same authorization");
    assert.equal(getPaymentResult({ response })?.resends, 1);
    assert.equal(ledger.spent(`eip155:84532:${baseSepoliaUsdc.address.toLowerCase()}`, 60, clock), 10_000n);
  });

  test("behavior: after maxResends it throws PaymentTransportError with the headers to re-send", async () => {
    const server = await startServer((req, res) => {
      if (!req.headers["payment-signature"]) return send402V2(res);
      res.socket?.destroy();
    });
    servers.push(server);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy, maxResends: 2 });
    await assert.rejects(pay(server.url), (error: unknown) => {
      assert.ok(error instanceof PaymentTransportError);
      assert.equal(error.attempts, 3);
      assert.equal(error.headers["PAYMENT-SIGNATURE"], paidRequests(server)[0]?.headers["payment-signature"]);
      return true;
    });
    const paid = paidRequests(server);
    assert.equal(paid.length, 3);
    assert.equal(new Set(paid.map((r) => r.headers["payment-signature"])).size, 1, "one authorization only");
  });

  test("behavior: an aborted request is not re-sent", async () => {
    const controller = new AbortController();
    const server = await startServer((req, res) => {
      if (!req.headers["payment-signature"]) return send402V2(res);
      controller.abort();
      setTimeout(() => res.socket?.destroy(), 20);
    });
    servers.push(server);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy, maxResends: 3 });
    await assert.rejects(pay(server.url, { signal: controller.signal }), PaymentTransportError);
    assert.equal(paidRequests(server).length, 1);
  });
});
