/**
 * End to end: `wrapFetchWithPayment` pays real resource servers — `@x402/express` (v2, header 402)
 * and the legacy `x402-express` (v1, JSON 402) — whose facilitator is the official
 * `x402Facilitator` + `registerExactEvmScheme`, settling TestUSDC on a local Hardhat chain (id 84532,
 * the "Base Sepolia twin" the legacy packages accept).
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { FacilitatorClient } from "@x402/core/server";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/express";
import express from "express";
import { paymentMiddleware as legacyPaymentMiddleware } from "x402-express";
import {
  getPaymentResult,
  PaymentRefusedError,
  type SpendingPolicy,
  wrapFetchWithPayment,
} from "../src/fetch/index.js";
import { accounts } from "./constants.js";
import { startTestChain, type TestChain, TOKEN_NAME, TOKEN_VERSION } from "./helpers/chain.js";
import { createOfficialFacilitator, serveFacilitator } from "./helpers/startFacilitator.js";

const [payer, payee, , facilitatorAccount] = accounts as [
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
  (typeof accounts)[0],
];
const PRICE = 2_500n;

let chain: TestChain;
let v2Url: string;
let v1Url: string;
const closers: (() => Promise<void>)[] = [];

async function listen(app: express.Express): Promise<string> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  chain = await startTestChain({ chainId: 84532 });
  const facilitator = createOfficialFacilitator(chain, facilitatorAccount);

  // v2: @x402/express with the official resource server; the facilitator is wired in-process.
  const resourceServer = new x402ResourceServer(facilitator as unknown as FacilitatorClient).register(
    "eip155:84532",
    new ExactEvmServerScheme(),
  );
  const v2App = express();
  v2App.use(
    paymentMiddleware(
      {
        "GET /report": {
          accepts: {
            scheme: "exact",
            network: "eip155:84532",
            payTo: payee.address,
            price: {
              amount: PRICE.toString(),
              asset: chain.token.address,
              extra: { name: TOKEN_NAME, version: TOKEN_VERSION },
            },
          },
          description: "Weather report",
          mimeType: "application/json",
        },
      },
      resourceServer,
    ),
  );
  v2App.get("/report", (_req, res) => {
    res.json({ report: "sunny" });
  });
  v2Url = await listen(v2App);

  // v1: the legacy x402-express middleware, talking to the facilitator over HTTP.
  const http = await serveFacilitator(facilitator);
  closers.push(http.close);
  const v1App = express();
  v1App.use(
    legacyPaymentMiddleware(
      payee.address,
      {
        "GET /report": {
          price: {
            amount: PRICE.toString(),
            asset: { address: chain.token.address, decimals: 6, eip712: { name: TOKEN_NAME, version: TOKEN_VERSION } },
          },
          network: "base-sepolia",
          config: { description: "Weather report", mimeType: "application/json" },
        },
      },
      { url: http.url as `${string}://${string}` },
    ),
  );
  v1App.get("/report", (_req, res) => {
    res.json({ report: "sunny" });
  });
  v1Url = await listen(v1App);
});

after(async () => {
  for (const close of closers.reverse()) await close();
  await chain?.node.stop();
});

const policy = (): SpendingPolicy => ({
  assets: [{ network: "eip155:84532", asset: chain.token.address, maxAmountPerRequest: 10_000n }],
  payees: [payee.address],
});

describe("wrapFetchWithPayment against official servers", () => {
  test("pays a real @x402/express route (v2) and exposes the settlement", async () => {
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy() });
    const before = await chain.balanceOf(payee.address);
    const response = await pay(`${v2Url}/report`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { report: "sunny" });
    const result = getPaymentResult({ response });
    assert.equal(result?.status, "settled");
    assert.equal(result?.settlement?.network, "eip155:84532");
    assert.equal(result?.settlement?.payer, payer.address);
    const receipt = await chain.publicClient.getTransactionReceipt({
      hash: result?.settlement?.transaction as `0x${string}`,
    });
    assert.equal(receipt.status, "success");
    assert.equal(await chain.balanceOf(payee.address), before + PRICE);
  });

  test("pays a real legacy x402-express route (v1)", async () => {
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: policy() });
    const before = await chain.balanceOf(payee.address);
    const response = await pay(`${v1Url}/report`);
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { report: "sunny" });
    const result = getPaymentResult({ response });
    assert.equal(result?.status, "settled");
    assert.equal(result?.settlement?.network, "base-sepolia");
    assert.equal(result?.paymentPayload.x402Version, 1);
    assert.equal(await chain.balanceOf(payee.address), before + PRICE);
  });

  test("refuses a real route that costs more than the policy allows, and pays nothing", async () => {
    const pay = wrapFetchWithPayment(fetch, {
      signer: payer,
      policy: { assets: [{ network: "base-sepolia", asset: chain.token.address, maxAmountPerRequest: PRICE - 1n }] },
    });
    const before = await chain.balanceOf(payer.address);
    for (const url of [v2Url, v1Url]) {
      await assert.rejects(
        pay(`${url}/report`),
        (error: unknown) =>
          error instanceof PaymentRefusedError && error.rejections[0]?.reason === "amount_exceeds_limit",
      );
    }
    assert.equal(await chain.balanceOf(payer.address), before);
  });
});
