/**
 * The official x402 client and resource server, unmodified, paying in TestERC20 (`token: "erc20"`: no EIP-3009,
 * every payer's Permit2 approval done at start-up) through Permit2, with the devnet's own facilitator (x402kit's,
 * at `FACILITATOR_URL`) verifying and settling: `@x402/fetch` pays official `@x402/express` routes priced with `exact`
 * (`assetTransferMethod: "permit2"`, through the exact Permit2 proxy), with `upto` (charged its usage, less than the
 * signed maximum, through the upto proxy), and with `batch-settlement` (a Permit2 deposit through the
 * Permit2DepositCollector, vouchers, one claim, one sweep). Payee balances are read from the chain.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { toClientEvmSigner } from "@x402/evm";
import { BatchSettlementEvmScheme as BatchSettlementClientScheme } from "@x402/evm/batch-settlement/client";
import { BatchSettlementEvmScheme as BatchSettlementServerScheme } from "@x402/evm/batch-settlement/server";
import { ExactEvmScheme as ExactClientScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme as ExactServerScheme } from "@x402/evm/exact/server";
import { UptoEvmScheme as UptoClientScheme } from "@x402/evm/upto/client";
import { UptoEvmScheme as UptoServerScheme } from "@x402/evm/upto/server";
import { paymentMiddleware, setSettlementOverrides, x402ResourceServer } from "@x402/express";
import { wrapFetchWithPayment } from "@x402/fetch";
import { testErc20Abi } from "@x402kit/bindings";
import express from "express";
import {
  type Address,
  createPublicClient,
  getAddress,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, startDevnet } from "../src/index.js";

const PRICE = 10_000n; // 0.01 TERC20
const UPTO_MAX = 1_000_000n; // the upto client authorises up to 1 TERC20 ...
const UPTO_USED = 123_456n; // ... and is charged its usage
const DEPOSIT = 50_000n;
const WITHDRAW_DELAY = 900;
const payee = privateKeyToAccount(keccak256(toHex("devnet permit2 our facilitator payee"))).address;
const channelPayee = privateKeyToAccount(keccak256(toHex("devnet permit2 our facilitator channel payee"))).address;
const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("devnet permit2 our facilitator receiver authorizer")));

describe("the official client and server over Permit2 in TestERC20, settled by the devnet's facilitator", () => {
  let devnet: Devnet;
  let client: ReturnType<typeof createPublicClient>;
  let resource: { url: string; close(): Promise<void> };
  let payers: LocalAccount[];
  let channelServer: BatchSettlementServerScheme;
  let facilitatorClient: HTTPFacilitatorClient;

  before(async () => {
    devnet = await startDevnet({ accounts: 2, token: "erc20" });
    client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    payers = devnet.accounts.payers.map((payer) => privateKeyToAccount(payer.privateKey));
    const token = devnet.contracts.token;
    facilitatorClient = new HTTPFacilitatorClient({ url: devnet.facilitatorUrl });
    channelServer = new BatchSettlementServerScheme(channelPayee, {
      receiverAuthorizerSigner: receiverAuthorizer,
      withdrawDelay: WITHDRAW_DELAY,
    });
    const resourceServer = new x402ResourceServer(facilitatorClient)
      .register(devnet.network, new ExactServerScheme())
      .register(devnet.network, new UptoServerScheme())
      .register(devnet.network, channelServer);
    const price = (amount: bigint) => ({
      amount: amount.toString(),
      asset: token.address,
      extra: { name: token.name, version: token.version, assetTransferMethod: "permit2" },
    });
    const app = express();
    app.use(
      paymentMiddleware(
        {
          "GET /exact": {
            accepts: { scheme: "exact", network: devnet.network, payTo: payee, price: price(PRICE) },
            description: "A priced resource",
            mimeType: "application/json",
          },
          "GET /upto": {
            accepts: { scheme: "upto", network: devnet.network, payTo: payee, price: price(UPTO_MAX) },
            description: "A metered resource",
            mimeType: "application/json",
          },
          "GET /channel": {
            accepts: {
              scheme: "batch-settlement",
              network: devnet.network,
              payTo: channelPayee,
              price: price(PRICE),
              extra: { minDeposit: DEPOSIT.toString() },
            },
            description: "A resource paid over a channel",
            mimeType: "application/json",
          },
        },
        resourceServer,
      ),
    );
    app.get("/exact", (_req, res) => {
      res.json({ ok: true });
    });
    app.get("/upto", (_req, res) => {
      setSettlementOverrides(res, { amount: UPTO_USED.toString() });
      res.json({ used: UPTO_USED.toString() });
    });
    app.get("/channel", (_req, res) => {
      res.json({ ok: true });
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    resource = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  });

  after(async () => {
    await resource?.close();
    await devnet?.stop();
  });

  const balanceOf = (address: Address) =>
    client.readContract({
      address: devnet.contracts.token.address,
      abi: testErc20Abi,
      functionName: "balanceOf",
      args: [address],
    });

  /** `@x402/fetch` with the official exact, upto and batch-settlement clients of `payer`. */
  const payingFetch = (payer: LocalAccount) => {
    const signer = toClientEvmSigner(payer, client as never);
    return wrapFetchWithPayment(
      fetch,
      new x402Client()
        .setSpendControls({ allowedAssets: [{ network: devnet.network, asset: devnet.contracts.token.address }] })
        .register(devnet.network, new ExactClientScheme(signer))
        .register(devnet.network, new UptoClientScheme(signer))
        .register(devnet.network, new BatchSettlementClientScheme(signer)),
    );
  };
  async function pay(payer: LocalAccount, path: string) {
    const response = await payingFetch(payer)(`${resource.url}${path}`);
    assert.equal(response.status, 200, await response.clone().text());
    const header = response.headers.get("PAYMENT-RESPONSE");
    assert.ok(header, "the route answered with a settlement");
    const settlement = decodePaymentResponseHeader(header);
    assert.equal(settlement.success, true, JSON.stringify(settlement));
    return settlement;
  }
  const sentTo = async (transaction: string) => {
    const receipt = await client.getTransactionReceipt({ hash: transaction as Hex });
    assert.equal(receipt.status, "success");
    return getAddress(receipt.to ?? "0x");
  };

  test("behavior: exact over Permit2 moves exactly the price to the payee, through the exact proxy", async () => {
    const [payer] = payers;
    if (!payer) throw new Error("no payer");
    const before = { payer: await balanceOf(payer.address), payee: await balanceOf(payee) };
    const settlement = await pay(payer, "/exact");
    assert.equal(await sentTo(settlement.transaction), devnet.contracts.exactPermit2Proxy);
    assert.equal((await balanceOf(payee)) - before.payee, PRICE, "the payee received exactly the price");
    assert.equal(before.payer - (await balanceOf(payer.address)), PRICE, "the payer paid exactly the price");
  });

  test("behavior: upto over Permit2 charges the usage (less than the signed maximum), through the upto proxy", async () => {
    const [, payer] = payers;
    if (!payer) throw new Error("no payer");
    const before = { payer: await balanceOf(payer.address), payee: await balanceOf(payee) };
    const settlement = await pay(payer, "/upto");
    assert.equal(await sentTo(settlement.transaction), devnet.contracts.uptoPermit2Proxy);
    assert.equal((await balanceOf(payee)) - before.payee, UPTO_USED, "the payee received exactly the usage");
    assert.equal(before.payer - (await balanceOf(payer.address)), UPTO_USED, "not the signed maximum");
    assert.ok(UPTO_USED < UPTO_MAX);
  });

  test("behavior: batch-settlement with a Permit2 deposit: vouchers, one claim, one sweep of exactly the sum", async () => {
    const [payer] = payers;
    if (!payer) throw new Error("no payer");
    const REQUESTS = 3;
    const before = { payer: await balanceOf(payer.address), payee: await balanceOf(channelPayee) };
    for (let r = 0; r < REQUESTS; r++) await pay(payer, "/channel");
    assert.equal(before.payer - (await balanceOf(payer.address)), DEPOSIT, "one Permit2 deposit into the channel");
    const manager = channelServer.createChannelManager(
      facilitatorClient,
      devnet.network,
      devnet.contracts.token.address,
    );
    const { claims, settle } = await manager.claimAndSettle();
    assert.equal(claims.length, 1, "one claim batch");
    assert.ok(settle);
    assert.equal(
      (await balanceOf(channelPayee)) - before.payee,
      PRICE * BigInt(REQUESTS),
      "the payee got exactly the sum paid",
    );
  });
});
