/**
 * x402kit's batch-settlement payer against the official stack: `createChannelPayer` (`@x402kit/signer/batch-settlement`,
 * durable file store from `./batch-settlement/node`) behind x402kit's paying fetch (`@x402kit/signer/fetch`) pays the
 * official `@x402/hono` resource server, whose official batch-settlement server scheme verifies and settles through
 * the official facilitator (`@x402/core` + `@x402/evm/batch-settlement/facilitator`, `./helpers/batchSettlementStack.ts`)
 * on a devnet with the channel contract and the ERC-3009 deposit collector at the official addresses. One deposit,
 * several vouchers, then a cooperative refund requested by our payer; the server's channel manager settles the
 * claimed amount to the payee. Balances are read from the chain: the payee gets exactly the sum of the vouchers'
 * increments, the payer loses exactly that, the channel keeps only what was claimed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402/core/http";
import { testUsdcAbi, x402BatchSettlementAbi } from "@x402kit/bindings";
import { BATCH_SETTLEMENT_ADDRESS, createChannelPayer } from "@x402kit/signer/batch-settlement";
import { createFileChannelStore } from "@x402kit/signer/batch-settlement/node";
import { getPaymentResult, wrapFetchWithPayment } from "@x402kit/signer/fetch";
import { encodePaymentSignatureHeader, type PaymentRequirementsV2 } from "@x402kit/signer/wire";
import { type Address, createPublicClient, getAddress, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, startDevnet } from "../src/index.js";
import {
  type BatchSettlementStack,
  DEPOSIT,
  PRICE,
  payee,
  startBatchSettlementStack,
} from "./helpers/batchSettlementStack.js";

const REQUESTS = 4;

describe("x402kit's channel payer through the official batch-settlement server and facilitator", () => {
  let devnet: Devnet;
  let client: ReturnType<typeof createPublicClient>;
  let stack: BatchSettlementStack;
  const directory = mkdtempSync(join(tmpdir(), "x402kit-payer-channels-"));

  before(async () => {
    devnet = await startDevnet({ accounts: 1 });
    client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    stack = await startBatchSettlementStack(devnet);
  });
  after(async () => {
    await stack?.close();
    await devnet?.stop();
    rmSync(directory, { recursive: true, force: true });
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

  test("deposit, vouchers, refund: the payee gets exactly the sum paid", async () => {
    assert.equal(getAddress(devnet.contracts.batchSettlement), getAddress(BATCH_SETTLEMENT_ADDRESS));
    const account = privateKeyToAccount(devnet.accounts.payers[0]?.privateKey as Hex);
    const token = devnet.contracts.token.address;
    const before = {
      payer: await balanceOf(account.address),
      payee: await balanceOf(payee),
      settlement: await balanceOf(devnet.contracts.batchSettlement),
    };
    const channelPayer = createChannelPayer({ signer: account, store: createFileChannelStore({ directory }) });
    const pay = wrapFetchWithPayment(fetch, {
      signer: account,
      policy: { assets: [{ network: devnet.network, asset: token, maxAmountPerRequest: PRICE, maxDeposit: DEPOSIT }] },
      channelPayer,
    });

    const url = `${stack.resourceUrl}/data`;
    const results = [];
    for (let request = 0; request < REQUESTS; request++) {
      const response = await pay(url);
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual(await response.json(), { served: request + 1 });
      const result = getPaymentResult({ response });
      assert.equal(result?.status, "settled", JSON.stringify(result?.settlement));
      results.push(result);
    }
    assert.deepEqual(
      results.map((result) => [result?.channel?.payload.type, result?.channel?.maxClaimableAmount]),
      Array.from({ length: REQUESTS }, (_, i) => [i === 0 ? "deposit" : "voucher", PRICE * BigInt(i + 1)]),
    );
    const channelId = results[0]?.channel?.channelId as Hex;
    // The same channel the official client would open for this payer.
    assert.equal(channelId, stack.payingFetch(account).channelId);
    assert.equal(results[0]?.channel?.depositAmount, DEPOSIT, "the route's announced minDeposit");
    assert.deepEqual(await channelOf(channelId), { balance: DEPOSIT, totalClaimed: 0n });
    assert.equal(await balanceOf(account.address), before.payer - DEPOSIT);
    const paid = PRICE * BigInt(REQUESTS);
    assert.deepEqual(await channelPayer.getChannel(channelId), {
      signedMaxClaimable: paid.toString(),
      chargedCumulativeAmount: paid.toString(),
      balance: DEPOSIT.toString(),
    });

    // A cooperative refund, asked by our payer: the route's requirement, our refund payload, the official server.
    const probe = await fetch(url);
    assert.equal(probe.status, 402);
    const required = decodePaymentRequiredHeader(probe.headers.get("PAYMENT-REQUIRED") ?? "");
    const requirements = required.accepts.find((accept) => accept.scheme === "batch-settlement");
    assert.ok(requirements);
    const refund = await channelPayer.refund({ requirements });
    assert.equal(refund.channelId, channelId);
    const refunded = await fetch(url, {
      headers: {
        "PAYMENT-SIGNATURE": encodePaymentSignatureHeader({
          paymentPayload: {
            x402Version: 2,
            resource: { ...required.resource },
            accepted: requirements as PaymentRequirementsV2,
            payload: refund.payload,
          },
        }),
      },
    });
    await refunded.body?.cancel();
    const settled = decodePaymentResponseHeader(refunded.headers.get("PAYMENT-RESPONSE") ?? "");
    assert.equal(settled.success, true, JSON.stringify(settled));
    await channelPayer.recordRefund({ channelId });
    // The refund claimed the charged total and returned the rest to the payer.
    assert.deepEqual(await channelOf(channelId), { balance: paid, totalClaimed: paid });
    assert.equal(await balanceOf(account.address), before.payer - paid);

    const settle = await stack.manager.settle();
    assert.ok(settle.transaction, "settled to the payee");
    assert.equal(await balanceOf(payee), before.payee + paid, "the payee got exactly the sum claimed");
    assert.equal(await balanceOf(devnet.contracts.batchSettlement), before.settlement);
    assert.deepEqual(await channelPayer.getChannel(channelId), {
      signedMaxClaimable: paid.toString(),
      chargedCumulativeAmount: paid.toString(),
      balance: paid.toString(),
    });
  });
});
