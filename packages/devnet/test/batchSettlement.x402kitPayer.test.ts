/**
 * x402kit's batch-settlement payer against the official stack: `createChannelPayer` (`@x402kit/signer/batch-settlement`,
 * durable file store from `./batch-settlement/node`) behind x402kit's paying fetch (`@x402kit/signer/fetch`) pays the
 * official `@x402/hono` resource server, whose official batch-settlement server scheme verifies and settles through
 * the official facilitator (`@x402/core` + `@x402/evm/batch-settlement/facilitator`, `./helpers/batchSettlementStack.ts`)
 * on a devnet with the channel contract and the ERC-3009 deposit collector at the official addresses. One deposit,
 * several vouchers, then a cooperative refund requested by our payer; the server's channel manager settles the
 * claimed amount to the payee. Balances are read from the chain: the payee gets exactly the sum of the vouchers'
 * increments, the payer loses exactly that, the channel keeps only what was claimed. Then a voucher lost in a crash
 * (signed and recorded, never sent): the official server answers the next one with its corrective 402, the payer
 * retires the channel rather than sign at or below what it signed, opens a new one, and both are refunded — the
 * payee still gets exactly the sum its server charged.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { testUsdcAbi, x402BatchSettlementAbi } from "@x402kit/bindings";
import {
  BATCH_SETTLEMENT_ADDRESS,
  CUMULATIVE_AMOUNT_MISMATCH,
  createChannelPayer,
  DEFAULT_CHANNEL_SALT,
} from "@x402kit/signer/batch-settlement";
import { createFileChannelStore } from "@x402kit/signer/batch-settlement/node";
import { getPaymentResult, refundChannel, wrapFetchWithPayment } from "@x402kit/signer/fetch";
import type { PaymentRequirementsV2 } from "@x402kit/signer/wire";
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
    devnet = await startDevnet({ accounts: 2 });
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

  /** The route's `batch-settlement` requirement, from an unpaid request's 402. */
  const probe = async (url: string) => {
    const response = await fetch(url);
    assert.equal(response.status, 402);
    await response.body?.cancel();
    const required = decodePaymentRequiredHeader(response.headers.get("PAYMENT-REQUIRED") ?? "");
    const requirements = required.accepts.find((accept) => accept.scheme === "batch-settlement");
    assert.ok(requirements);
    return { required, requirements: requirements as PaymentRequirementsV2 };
  };
  /** Asks the official server for a cooperative refund of `channelId` with our payer's `refundChannel`. */
  const requestRefund = async (url: string, channelPayer: ReturnType<typeof createChannelPayer>, channelId: Hex) => {
    const refunded = await refundChannel(fetch, { url, channelPayer, channelId });
    await refunded.response.body?.cancel();
    assert.equal(refunded.status, "refunded", JSON.stringify(refunded.settlement));
    assert.equal(refunded.channelId, channelId);
    assert.equal(refunded.response.status, 200);
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
      salt: DEFAULT_CHANNEL_SALT,
      chargedCumulativeAmount: paid.toString(),
      balance: DEPOSIT.toString(),
    });

    // A cooperative refund, asked by our payer: the route's requirement, our refund payload, the official server.
    await requestRefund(url, channelPayer, channelId);
    // The refund claimed the charged total and returned the rest to the payer.
    assert.deepEqual(await channelOf(channelId), { balance: paid, totalClaimed: paid });
    assert.equal(await balanceOf(account.address), before.payer - paid);

    const settle = await stack.manager.settle();
    assert.ok(settle.transaction, "settled to the payee");
    assert.equal(await balanceOf(payee), before.payee + paid, "the payee got exactly the sum claimed");
    assert.equal(await balanceOf(devnet.contracts.batchSettlement), before.settlement);
    assert.deepEqual(await channelPayer.getChannel(channelId), {
      signedMaxClaimable: paid.toString(),
      salt: DEFAULT_CHANNEL_SALT,
      chargedCumulativeAmount: paid.toString(),
      balance: paid.toString(),
    });
  });

  test("a voucher lost in a crash: the official server refuses the next, the payer opens a new channel, nothing is lost", async () => {
    const account = privateKeyToAccount(devnet.accounts.payers[1]?.privateKey as Hex);
    const before = {
      payer: await balanceOf(account.address),
      payee: await balanceOf(payee),
      settlement: await balanceOf(devnet.contracts.batchSettlement),
    };
    const store = createFileChannelStore({ directory: join(directory, "crash") });
    const channelPayer = createChannelPayer({ signer: account, store });
    const pay = wrapFetchWithPayment(fetch, {
      signer: account,
      policy: { assets: [{ network: devnet.network, asset: devnet.contracts.token.address, maxDeposit: DEPOSIT }] },
      channelPayer,
    });
    const url = `${stack.resourceUrl}/data`;
    const paidOn = async () => {
      const response = await pay(url);
      await response.body?.cancel();
      return { status: response.status, result: getPaymentResult({ response }) };
    };
    const first = await paidOn();
    assert.equal(first.status, 200);
    assert.equal((await paidOn()).status, 200);
    const oldChannel = first.result?.channel?.channelId as Hex;

    // Signed and durably recorded, then the process dies before sending it: the server still expects 3 × PRICE.
    const { requirements } = await probe(url);
    const lost = await channelPayer.pay({ requirements });
    assert.equal(lost.maxClaimableAmount, PRICE * 3n);

    // The next voucher (4 × PRICE) gets the official server's corrective 402, with the official error code.
    const refused = await pay(url);
    assert.equal(refused.status, 402);
    await refused.body?.cancel();
    const corrective = decodePaymentRequiredHeader(refused.headers.get("PAYMENT-REQUIRED") ?? "");
    assert.equal(corrective.error, CUMULATIVE_AMOUNT_MISMATCH);
    const result = getPaymentResult({ response: refused });
    assert.equal(result?.channel?.maxClaimableAmount, PRICE * 4n);
    assert.equal(result?.channelRecovery, "reopened", "never a voucher at or below 3 × PRICE on that channel");

    // Then a new channel: a deposit and a voucher, both settled by the official stack.
    const reopened = await paidOn();
    assert.equal(reopened.status, 200);
    const newChannel = reopened.result?.channel?.channelId as Hex;
    assert.notEqual(newChannel, oldChannel);
    assert.equal(reopened.result?.channel?.payload.type, "deposit");
    assert.equal((await paidOn()).result?.channel?.maxClaimableAmount, PRICE * 2n);
    assert.deepEqual(await channelOf(oldChannel), { balance: DEPOSIT, totalClaimed: 0n });
    assert.deepEqual(await channelOf(newChannel), { balance: DEPOSIT, totalClaimed: 0n });

    // Both channels refunded: each claims exactly the 2 × PRICE its server charged, the payee gets 4 × PRICE.
    await requestRefund(url, channelPayer, oldChannel);
    await requestRefund(url, channelPayer, newChannel);
    await stack.manager.settle();
    const paid = PRICE * 4n;
    assert.deepEqual(await channelOf(oldChannel), { balance: PRICE * 2n, totalClaimed: PRICE * 2n });
    assert.deepEqual(await channelOf(newChannel), { balance: PRICE * 2n, totalClaimed: PRICE * 2n });
    assert.equal(await balanceOf(payee), before.payee + paid, "the payee got exactly the sum claimed");
    assert.equal(await balanceOf(account.address), before.payer - paid);
    assert.equal(await balanceOf(devnet.contracts.batchSettlement), before.settlement);
  });
});
