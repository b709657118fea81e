/**
 * The official x402 `batch-settlement` stack (`@x402/core` + `@x402/evm` 2.27, unmodified) end to end on a devnet,
 * against x402kit's X402BatchSettlement and ERC3009DepositCollector at the official addresses: the official
 * facilitator (`x402Facilitator` + the batch-settlement facilitator scheme) served over HTTP on 127.0.0.1, an
 * official `@x402/hono` resource server whose route takes `batch-settlement`, and the official batch-settlement
 * client behind `@x402/fetch`. Each payer deposits once (ERC-3009, through the collector) and pays several requests
 * with vouchers; the server's channel manager claims every channel's latest voucher in one transaction, settles to
 * the payee, then refunds the rest cooperatively. Balances are read from the chain. Run once on TestUSDC and once on
 * Circle's FiatToken v2.2 (`token: "usdc"`).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { x402Client } from "@x402/core/client";
import { x402Facilitator } from "@x402/core/facilitator";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toClientEvmSigner, toFacilitatorEvmSigner } from "@x402/evm";
import {
  BatchSettlementEvmScheme as BatchSettlementClientScheme,
  computeChannelId,
} from "@x402/evm/batch-settlement/client";
import { BatchSettlementEvmScheme as BatchSettlementFacilitatorScheme } from "@x402/evm/batch-settlement/facilitator";
import {
  type BatchSettlementChannelManager,
  BatchSettlementEvmScheme as BatchSettlementServerScheme,
} from "@x402/evm/batch-settlement/server";
import { wrapFetchWithPayment } from "@x402/fetch";
import { paymentMiddlewareFromHTTPServer, x402HTTPResourceServer, x402ResourceServer } from "@x402/hono";
import { testUsdcAbi, x402BatchSettlementAbi } from "@x402kit/bindings";
import { Hono } from "hono";
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
  publicActions,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, startDevnet } from "../src/index.js";
import { listen } from "../src/internal/listen.js";

const PRICE = 10_000n; // 0.01 USDC per request
const DEPOSIT = 50_000n; // each payer's one deposit: the route's announced minimum (`extra.minDeposit`)
const WITHDRAW_DELAY = 900;
const REQUESTS_PER_PAYER = [3, 2] as const;

// Keys of the official pieces: none of them is a devnet account, so nothing else writes with them.
const facilitatorAccount = privateKeyToAccount(keccak256(toHex("official batch-settlement facilitator")));
const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("official batch-settlement receiver authorizer")));
const payee = privateKeyToAccount(keccak256(toHex("official batch-settlement payee"))).address;

const json = (value: unknown) =>
  new Response(
    JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    {
      headers: { "content-type": "application/json" },
    },
  );

for (const kind of ["testusdc", "usdc"] as const) {
  describe(`the official batch-settlement stack on a devnet paying in ${kind}`, () => {
    let devnet: Devnet;
    let client: ReturnType<typeof createPublicClient>;
    const closers: (() => Promise<void>)[] = [];
    let facilitatorUrl: string;
    let resourceUrl: string;
    let manager: BatchSettlementChannelManager;

    before(async () => {
      devnet = await startDevnet({ accounts: 2, token: kind });
      client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
      await createTestClient({ mode: "hardhat", chain: devnet.chain, transport: http(devnet.rpcUrl) }).setBalance({
        address: facilitatorAccount.address,
        value: parseEther("10"),
      });

      // The official facilitator, wired as the x402 examples wire it, served over HTTP.
      const wallet = createWalletClient({
        account: facilitatorAccount,
        chain: devnet.chain,
        transport: http(devnet.rpcUrl),
      }).extend(publicActions);
      const signer = toFacilitatorEvmSigner({
        address: facilitatorAccount.address,
        getCode: (args) => wallet.getCode(args),
        readContract: (args) => wallet.readContract({ ...args, args: args.args ?? [] } as never),
        verifyTypedData: (args) => wallet.verifyTypedData(args as never),
        writeContract: (args) => wallet.writeContract({ ...args, args: args.args ?? [] } as never),
        sendTransaction: (args) => wallet.sendTransaction(args),
        waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
      });
      const facilitator = new x402Facilitator().register(devnet.network, new BatchSettlementFacilitatorScheme(signer));
      const facilitatorApp = new Hono();
      type Body = { paymentPayload: PaymentPayload; paymentRequirements: PaymentRequirements };
      facilitatorApp.get("/supported", () => json(facilitator.getSupported()));
      facilitatorApp.post("/verify", async (c) => {
        const body = await c.req.json<Body>();
        return json(await facilitator.verify(body.paymentPayload, body.paymentRequirements));
      });
      facilitatorApp.post("/settle", async (c) => {
        const body = await c.req.json<Body>();
        return json(await facilitator.settle(body.paymentPayload, body.paymentRequirements));
      });
      const facilitatorServer = await listen({ fetch: facilitatorApp.fetch, port: 0, service: "official facilitator" });
      closers.push(facilitatorServer.close);
      facilitatorUrl = facilitatorServer.url;

      // The official resource server: one route paid with batch-settlement in the devnet's token.
      const facilitatorClient = new HTTPFacilitatorClient({ url: facilitatorUrl });
      const serverScheme = new BatchSettlementServerScheme(payee, {
        receiverAuthorizerSigner: receiverAuthorizer,
        withdrawDelay: WITHDRAW_DELAY,
      });
      const resourceServer = new x402ResourceServer(facilitatorClient).register(devnet.network, serverScheme);
      const token = devnet.contracts.token;
      const httpServer = new x402HTTPResourceServer(resourceServer, {
        "GET /data": {
          accepts: {
            scheme: "batch-settlement",
            network: devnet.network,
            payTo: payee,
            price: {
              amount: PRICE.toString(),
              asset: token.address,
              extra: { name: token.name, version: token.version },
            },
            extra: { minDeposit: DEPOSIT.toString() },
          },
          description: "A metered resource",
          mimeType: "application/json",
        },
      });
      await httpServer.initialize();
      let served = 0;
      const app = new Hono();
      app.use(paymentMiddlewareFromHTTPServer(httpServer, undefined, undefined, false));
      app.get("/data", (c) => c.json({ served: ++served }));
      const resource = await listen({ fetch: app.fetch, port: 0, service: "resource server" });
      closers.push(resource.close);
      resourceUrl = resource.url;
      manager = serverScheme.createChannelManager(facilitatorClient, devnet.network, token.address);
    });

    after(async () => {
      for (const close of closers.reverse()) await close();
      await devnet?.stop();
    });

    const balanceOf = (address: Address) =>
      client.readContract({
        address: devnet.contracts.token.address,
        abi: testUsdcAbi,
        functionName: "balanceOf",
        args: [address],
      });
    const channelOf = async (channelId: Hex) => {
      const [balance, totalClaimed] = await client.readContract({
        address: devnet.contracts.batchSettlement,
        abi: x402BatchSettlementAbi,
        functionName: "channels",
        args: [channelId],
      });
      return { balance, totalClaimed };
    };

    test("behavior: deposit once, pay with vouchers, claim in one batch, settle to the payee, refund the rest", async () => {
      const payers = devnet.accounts.payers.map((payer) => privateKeyToAccount(payer.privateKey));
      assert.equal(payers.length, REQUESTS_PER_PAYER.length);
      const settlement = devnet.contracts.batchSettlement;
      const before = {
        payers: await Promise.all(payers.map((payer) => balanceOf(payer.address))),
        payee: await balanceOf(payee),
        settlement: await balanceOf(settlement),
      };

      const schemes = payers.map((payer) => new BatchSettlementClientScheme(toClientEvmSigner(payer, client as never)));
      const channelIds: Hex[] = [];
      const depositTransactions: Hex[] = [];
      const started = performance.now();
      for (const [i, scheme] of schemes.entries()) {
        const x402 = new x402Client()
          .setSpendControls({
            allowedAssets: [{ network: devnet.network, asset: devnet.contracts.token.address }],
          })
          .register(devnet.network, scheme);
        const pay = wrapFetchWithPayment(fetch, x402);
        for (let request = 0; request < (REQUESTS_PER_PAYER[i] ?? 0); request++) {
          const response = await pay(`${resourceUrl}/data`);
          assert.equal(response.status, 200, await response.clone().text());
          const header = response.headers.get("PAYMENT-RESPONSE");
          assert.ok(header, "PAYMENT-RESPONSE header");
          const settled = decodePaymentResponseHeader(header);
          assert.equal(settled.success, true);
          if (request === 0) depositTransactions.push(settled.transaction as Hex);
        }
        const channelId = computeChannelId(
          scheme.buildChannelConfig({
            scheme: "batch-settlement",
            network: devnet.network,
            asset: devnet.contracts.token.address,
            amount: PRICE.toString(),
            payTo: payee,
            maxTimeoutSeconds: 300,
            extra: { receiverAuthorizer: receiverAuthorizer.address, withdrawDelay: WITHDRAW_DELAY },
          }),
          devnet.network,
        );
        channelIds.push(channelId);
      }
      const paying = performance.now() - started;

      // One deposit per payer, held by our contract at the official address; nothing claimed yet.
      const deposit = DEPOSIT;
      for (const [i, payer] of payers.entries()) {
        assert.equal(await balanceOf(payer.address), (before.payers[i] ?? 0n) - deposit, `payer ${i} deposited once`);
        assert.deepEqual(await channelOf(channelIds[i] as Hex), { balance: deposit, totalClaimed: 0n });
      }
      assert.equal(await balanceOf(settlement), before.settlement + deposit * BigInt(payers.length));
      assert.equal(await balanceOf(payee), before.payee);
      // The first request's settlement is the deposit: sent to our contract, pulled through the collector.
      const depositReceipts = await Promise.all(
        depositTransactions.map((hash) => client.getTransactionReceipt({ hash })),
      );
      for (const [i, receipt] of depositReceipts.entries()) {
        assert.equal(receipt.to?.toLowerCase(), settlement.toLowerCase());
        const transfers = parseEventLogs({ abi: testUsdcAbi, eventName: "Transfer", logs: receipt.logs });
        assert.deepEqual(
          transfers.map(({ args }) => [args.from, args.to, args.value]),
          [
            [payers[i]?.address, devnet.contracts.erc3009DepositCollector, deposit],
            [devnet.contracts.erc3009DepositCollector, settlement, deposit],
          ],
        );
      }

      // The channel manager runs on timers when started; here it is driven by hand.
      const { claims, settle } = await manager.claimAndSettle();
      assert.equal(claims.length, 1, "one claim batch");
      assert.equal(claims[0]?.vouchers, payers.length, "every channel's latest voucher in it");
      assert.ok(settle, "settled");
      const paid = REQUESTS_PER_PAYER.map((n) => PRICE * BigInt(n));
      const total = paid.reduce((a, b) => a + b, 0n);
      for (const [i, channelId] of channelIds.entries()) {
        assert.deepEqual(await channelOf(channelId), { balance: deposit, totalClaimed: paid[i] });
      }
      assert.equal(await balanceOf(payee), before.payee + total, "the payee got exactly the sum paid");
      assert.equal(await balanceOf(settlement), before.settlement + deposit * BigInt(payers.length) - total);

      const claimReceipt = await client.getTransactionReceipt({ hash: claims[0]?.transaction as Hex });
      const settleReceipt = await client.getTransactionReceipt({ hash: settle.transaction as Hex });
      assert.equal(claimReceipt.to?.toLowerCase(), settlement.toLowerCase());
      assert.equal(settleReceipt.to?.toLowerCase(), settlement.toLowerCase());

      // The rest goes back to the payers: each one's balance then moved by exactly what it paid.
      const refunds = await manager.refund(channelIds);
      assert.equal(refunds.length, payers.length);
      for (const [i, payer] of payers.entries()) {
        assert.equal(await balanceOf(payer.address), (before.payers[i] ?? 0n) - (paid[i] ?? 0n), `payer ${i}`);
        assert.deepEqual(await channelOf(channelIds[i] as Hex), { balance: paid[i], totalClaimed: paid[i] });
      }
      assert.equal(await balanceOf(settlement), before.settlement);

      const gasPerVoucher = claimReceipt.gasUsed / BigInt(payers.length);
      console.log(
        `official batch-settlement on the devnet (${kind}): ${REQUESTS_PER_PAYER.join("+")} paid requests in ${paying.toFixed(0)} ms; ` +
          `claimWithSignature of ${payers.length} vouchers ${claimReceipt.gasUsed} gas (${gasPerVoucher} per voucher), ` +
          `settle ${settleReceipt.gasUsed} gas, deposits ${depositReceipts.map((r) => r.gasUsed).join(" and ")} gas`,
      );
    });
  });
}
