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
import { decodePaymentResponseHeader } from "@x402/core/http";
import { testUsdcAbi, x402BatchSettlementAbi } from "@x402kit/bindings";
import { type Address, createPublicClient, type Hex, http, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, startDevnet } from "../src/index.js";
import {
  type BatchSettlementStack,
  DEPOSIT,
  PRICE,
  payee,
  startBatchSettlementStack,
} from "./helpers/batchSettlementStack.js";

const REQUESTS_PER_PAYER = [3, 2] as const;

for (const kind of ["testusdc", "usdc"] as const) {
  describe(`the official batch-settlement stack on a devnet paying in ${kind}`, () => {
    let devnet: Devnet;
    let client: ReturnType<typeof createPublicClient>;
    let stack: BatchSettlementStack;

    before(async () => {
      devnet = await startDevnet({ accounts: 2, token: kind });
      client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
      stack = await startBatchSettlementStack(devnet);
    });

    after(async () => {
      await stack?.close();
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

      const channelIds: Hex[] = [];
      const depositTransactions: Hex[] = [];
      const started = performance.now();
      for (const [i, payer] of payers.entries()) {
        const { pay, channelId } = stack.payingFetch(payer);
        for (let request = 0; request < (REQUESTS_PER_PAYER[i] ?? 0); request++) {
          const response = await pay(`${stack.resourceUrl}/data`);
          assert.equal(response.status, 200, await response.clone().text());
          const header = response.headers.get("PAYMENT-RESPONSE");
          assert.ok(header, "PAYMENT-RESPONSE header");
          const settled = decodePaymentResponseHeader(header);
          assert.equal(settled.success, true);
          if (request === 0) depositTransactions.push(settled.transaction as Hex);
        }
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
      const { claims, settle } = await stack.manager.claimAndSettle();
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
      const refunds = await stack.manager.refund(channelIds);
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
