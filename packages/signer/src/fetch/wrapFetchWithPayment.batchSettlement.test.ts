/**
 * The paying fetch on `batch-settlement` requirements, over real HTTP: a node:http paywall on 127.0.0.1 answers 402
 * with a `batch-settlement` requirement as the official `@x402/evm` server announces it, and plays the receiver —
 * it checks each payload (schema, channel id as the official `computeChannelId`, the voucher's signature, the
 * cumulative ceiling it expects, the deposit's ERC-3009 signature) and answers with the official server's
 * `PAYMENT-RESPONSE` channel state. The policy counts voucher increments and caps deposits.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, describe, test } from "node:test";
import { computeChannelId as officialChannelId } from "@x402/evm/batch-settlement/client";
import { getAddress, recoverTypedDataAddress } from "viem";
import { baseSepoliaUsdc, batchSettlementRequirements, buildRequirementsV2, payer } from "../../test/constants.js";
import { startServer, type TestServer } from "../../test/helpers/startServer.js";
import {
  BatchSettlementPayloadSchema,
  buildErc3009DepositNonce,
  CUMULATIVE_AMOUNT_MISMATCH,
  createChannelPayer,
  createMemoryChannelStore,
  DEFAULT_CHANNEL_SALT,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  verifyVoucherSignature,
} from "../batch-settlement/index.js";
import { receiveWithAuthorizationTypes } from "../eip3009/constants.js";
import {
  decodePaymentSignatureHeader,
  encodePaymentRequiredHeader,
  encodePaymentResponseHeader,
  PaymentPayloadV2,
  type PaymentRequirementsV2,
} from "../wire/index.js";
import {
  createSpendLedger,
  getPaymentResult,
  PaymentRefusedError,
  refundChannel,
  type SpendingPolicy,
  wrapFetchWithPayment,
} from "./index.js";

const TX = `0x${"cd".repeat(32)}`;
const requirements = batchSettlementRequirements({
  extra: { ...batchSettlementRequirements().extra, withdrawDelay: 900 },
});
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

type Channel = { charged: bigint; balance: bigint; voucher?: { maxClaimableAmount: string; signature: string } };
type Receiver = {
  /** Per channel id (lower case). */
  channels: Map<string, Channel>;
  payloads: ReturnType<typeof BatchSettlementPayloadSchema.parse>[];
  /** The single channel of most tests. */
  readonly charged: bigint;
  readonly balance: bigint;
};

/**
 * A batch-settlement paywall playing the receiver: 402 unless a valid payment for the next increment is attached;
 * a voucher on another base gets the official server's corrective 402 (its channel and voucher state).
 *
 * @param accepts - What the 402 offers.
 * @returns The server and the receiver's view of the channels.
 */
async function channelPaywall(accepts: PaymentRequirementsV2[] = [requirements]) {
  const channels = new Map<string, Channel>();
  const only = () => [...channels.values()][0] ?? { charged: 0n, balance: 0n };
  const receiver: Receiver = {
    channels,
    payloads: [],
    get charged() {
      return only().charged;
    },
    get balance() {
      return only().balance;
    },
  };
  const reject = (res: ServerResponse, error: string, corrective?: { channelId: string; channel: Channel }) => {
    const offered = corrective
      ? accepts.map((accept) => ({
          ...accept,
          extra: {
            ...accept.extra,
            channelState: {
              channelId: corrective.channelId,
              balance: corrective.channel.balance.toString(),
              chargedCumulativeAmount: corrective.channel.charged.toString(),
            },
            ...(corrective.channel.voucher
              ? {
                  voucherState: {
                    signedMaxClaimable: corrective.channel.voucher.maxClaimableAmount,
                    signature: corrective.channel.voucher.signature,
                  },
                }
              : {}),
          },
        }))
      : accepts;
    res.writeHead(402, {
      "PAYMENT-REQUIRED": encodePaymentRequiredHeader({
        paymentRequired: { x402Version: 2, error, resource: { url: "http://127.0.0.1/data" }, accepts: offered },
      }),
    });
    res.end("{}");
  };
  const server = await startServer(async (req, res) => {
    const header = req.headers["payment-signature"];
    if (!header) return reject(res, "Payment required");
    const paymentPayload = PaymentPayloadV2.parse(decodePaymentSignatureHeader({ value: String(header) }));
    const accepted = paymentPayload.accepted as PaymentRequirementsV2;
    if (accepted.scheme !== "batch-settlement") return reject(res, "wrong scheme");
    const payload = BatchSettlementPayloadSchema.parse(paymentPayload.payload);
    receiver.payloads.push(payload);
    const channelId = officialChannelId(payload.channelConfig as never, accepted.network);
    assert.equal(payload.voucher.channelId, channelId);
    assert.ok(
      await verifyVoucherSignature({
        voucher: payload.voucher,
        signer: payload.channelConfig.payerAuthorizer,
        network: accepted.network,
      }),
    );
    const key = channelId.toLowerCase();
    const channel = channels.get(key) ?? { charged: 0n, balance: 0n };
    if (payload.type === "refund") {
      // As the official server: the voucher must be its latest, byte for byte, and something must be left.
      if (payload.voucher.signature !== channel.voucher?.signature || channel.balance <= channel.charged) {
        return reject(res, "invalid_batch_settlement_evm_refund_no_balance");
      }
      const refunded = payload.amount === undefined ? channel.balance - channel.charged : BigInt(payload.amount);
      channel.balance -= refunded;
      res.writeHead(200, {
        "PAYMENT-RESPONSE": encodePaymentResponseHeader({
          settleResponse: {
            success: true,
            transaction: TX,
            network: accepted.network,
            amount: refunded.toString(),
            extra: { channelState: { channelId, balance: channel.balance.toString() } },
          },
        }),
      });
      res.end();
      return;
    }
    const expected = channel.charged + BigInt(accepted.amount);
    if (BigInt(payload.voucher.maxClaimableAmount) !== expected) {
      return reject(res, CUMULATIVE_AMOUNT_MISMATCH, channels.has(key) ? { channelId, channel } : undefined);
    }
    if (payload.type === "deposit") {
      const { validAfter, validBefore, salt, signature } = payload.deposit.authorization.erc3009Authorization;
      const from = await recoverTypedDataAddress({
        domain: {
          name: baseSepoliaUsdc.name,
          version: baseSepoliaUsdc.version,
          chainId: baseSepoliaUsdc.chainId,
          verifyingContract: getAddress(accepted.asset),
        },
        types: receiveWithAuthorizationTypes,
        primaryType: "ReceiveWithAuthorization",
        message: {
          from: payload.channelConfig.payer,
          to: ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
          value: BigInt(payload.deposit.amount),
          validAfter: BigInt(validAfter),
          validBefore: BigInt(validBefore),
          nonce: buildErc3009DepositNonce(channelId, salt),
        },
        signature: signature as `0x${string}`,
      });
      assert.equal(from, payload.channelConfig.payer);
      channel.balance += BigInt(payload.deposit.amount);
    } else if (expected > channel.balance) {
      return reject(res, "invalid_batch_settlement_evm_insufficient_balance");
    }
    channel.charged = expected;
    channel.voucher = payload.voucher;
    channels.set(key, channel);
    res.writeHead(200, {
      "content-type": "application/json",
      "PAYMENT-RESPONSE": encodePaymentResponseHeader({
        settleResponse: {
          success: true,
          transaction: payload.type === "deposit" ? TX : "",
          network: accepted.network,
          payer: payload.channelConfig.payer,
          amount: accepted.amount,
          extra: {
            chargedAmount: accepted.amount,
            channelState: {
              channelId,
              balance: channel.balance.toString(),
              chargedCumulativeAmount: channel.charged.toString(),
            },
          },
        },
      }),
    });
    res.end(JSON.stringify({ served: receiver.payloads.length }));
  });
  servers.push(server);
  return { server, receiver };
}

const asset = { network: "eip155:84532", asset: baseSepoliaUsdc.address } as const;

describe("wrapFetchWithPayment: batch-settlement", () => {
  test("default: deposits on the first payment, then vouchers; the settle response is recorded", async () => {
    const { server, receiver } = await channelPaywall();
    const store = createMemoryChannelStore();
    const channelPayer = createChannelPayer({ signer: payer, store });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    const results = [];
    for (let i = 0; i < 4; i++) {
      const response = await pay(`${server.url}/data`);
      assert.equal(response.status, 200, await response.clone().text());
      results.push(getPaymentResult({ response }));
    }
    assert.deepEqual(
      receiver.payloads.map((payload) => [payload.type, payload.voucher.maxClaimableAmount]),
      [
        ["deposit", "1000"],
        ["voucher", "2000"],
        ["voucher", "3000"],
        ["voucher", "4000"],
      ],
    );
    const first = results[0];
    assert.equal(first?.status, "settled");
    assert.equal(first?.option.scheme, "batch-settlement");
    assert.equal(first?.authorization, undefined);
    assert.equal(first?.channel?.depositAmount, 5000n, "5 × the price, as the official client");
    assert.equal(results[3]?.channel?.increment, 1000n);
    assert.equal(results[3]?.channel?.depositAmount, undefined);
    assert.deepEqual(await channelPayer.getChannel(first?.channel?.channelId ?? "0x"), {
      signedMaxClaimable: "4000",
      salt: DEFAULT_CHANNEL_SALT,
      chargedCumulativeAmount: "4000",
      balance: "5000",
    });
    // Two requests per payment: the 402, then the paid one.
    assert.equal(server.requests.length, 8);
  });

  test("behavior: concurrent requests pay one at a time, so vouchers reach the receiver in order", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    const responses = await Promise.all(Array.from({ length: 5 }, () => pay(`${server.url}/data`)));
    assert.deepEqual(
      responses.map((response) => response.status),
      [200, 200, 200, 200, 200],
    );
    assert.deepEqual(
      receiver.payloads.map((payload) => [payload.type, payload.voucher.maxClaimableAmount]),
      [
        ["deposit", "1000"],
        ["voucher", "2000"],
        ["voucher", "3000"],
        ["voucher", "4000"],
        ["voucher", "5000"],
      ],
    );
  });

  test("behavior: tops up with a new deposit when the next voucher would exceed the balance", async () => {
    const { server, receiver } = await channelPaywall([
      batchSettlementRequirements({ extra: { ...requirements.extra, minDeposit: "2000" } }),
    ]);
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    for (let i = 0; i < 3; i++) assert.equal((await pay(`${server.url}/data`)).status, 200);
    assert.deepEqual(
      receiver.payloads.map((payload) => payload.type),
      ["deposit", "voucher", "deposit"],
    );
    assert.equal(receiver.balance, 4000n);
  });

  test("behavior: the budget counts each voucher's increment", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const policy: SpendingPolicy = {
      assets: [{ ...asset, budgets: [{ amount: 5000n, windowSeconds: 3600 }] }],
    };
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy, channelPayer });
    for (let i = 0; i < 5; i++) assert.equal((await pay(`${server.url}/data`)).status, 200);
    await assert.rejects(
      pay(`${server.url}/data`),
      (error: unknown) => error instanceof PaymentRefusedError && error.rejections[0]?.reason === "budget_exceeded",
    );
    assert.equal(receiver.payloads.length, 5);
  });

  test("behavior: the per-request cap applies to the increment", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, {
      signer: payer,
      policy: { assets: [{ ...asset, maxAmountPerRequest: 999n }] },
      channelPayer,
    });
    await assert.rejects(
      pay(`${server.url}/data`),
      (error: unknown) =>
        error instanceof PaymentRefusedError && error.rejections[0]?.reason === "amount_exceeds_limit",
    );
    assert.equal(receiver.payloads.length, 0);
  });

  for (const [name, policy, extra, deposit] of [
    ["maxDeposit", { assets: [{ ...asset, maxDeposit: 3000n }] }, {}, 3000n],
    ["a budget's room", { assets: [{ ...asset, budgets: [{ amount: 3000n, windowSeconds: 60 }] }] }, {}, 3000n],
    ["5 × maxAmountPerRequest", { assets: [{ ...asset, maxAmountPerRequest: 1000n }] }, { minDeposit: "50000" }, 5000n],
  ] as const) {
    test(`behavior: a deposit is kept within ${name}`, async () => {
      const { server } = await channelPaywall([
        batchSettlementRequirements({ extra: { ...requirements.extra, ...extra } }),
      ]);
      const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
      const pay = wrapFetchWithPayment(fetch, { signer: payer, policy, channelPayer });
      const result = getPaymentResult({ response: await pay(`${server.url}/data`) });
      assert.equal(result?.status, "settled");
      assert.equal(result?.channel?.depositAmount, deposit);
    });
  }

  test("behavior: a deposit the voucher needs above maxDeposit is refused, nothing signed or counted", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const ledger = createSpendLedger();
    const policy = { assets: [{ ...asset, maxDeposit: 999n }] };
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy, channelPayer, ledger });
    await assert.rejects(pay(`${server.url}/data`), (error: unknown) => {
      assert.ok(error instanceof PaymentRefusedError);
      assert.deepEqual(
        error.rejections.map(({ index, reason }) => [index, reason]),
        [[0, "deposit_exceeds_limit"]],
      );
      return true;
    });
    assert.equal(receiver.payloads.length, 0);
    assert.equal(ledger.spent(`eip155:84532:${baseSepoliaUsdc.address.toLowerCase()}`, 60, Date.now()), 0n);
  });

  test("behavior: a budget caps the deposit and the vouchers drawn on it", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const policy = { assets: [{ ...asset, budgets: [{ amount: 3000n, windowSeconds: 3600 }] }] };
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy, channelPayer });
    for (let i = 0; i < 3; i++) assert.equal((await pay(`${server.url}/data`)).status, 200);
    await assert.rejects(
      pay(`${server.url}/data`),
      (error: unknown) => error instanceof PaymentRefusedError && error.rejections[0]?.reason === "budget_exceeded",
    );
    assert.equal(receiver.balance, 3000n);
    assert.equal(receiver.charged, 3000n);
  });

  test("behavior: without a channel payer, batch-settlement is unsupported and exact is picked instead", async () => {
    const exact = buildRequirementsV2();
    const { server } = await channelPaywall([requirements, exact]);
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] } });
    const response = await pay(`${server.url}/data`);
    // The paywall only takes batch-settlement: the exact payment is refused with a 402.
    assert.equal(response.status, 402);
    assert.equal(getPaymentResult({ response })?.option.scheme, "exact");
    const { server: only } = await channelPaywall([requirements]);
    await assert.rejects(pay(`${only.url}/data`), (error: unknown) => {
      assert.ok(error instanceof PaymentRefusedError);
      assert.deepEqual(
        error.rejections.map(({ reason, message }) => [reason, message]),
        [["unsupported_scheme", 'scheme "batch-settlement" is not "exact"']],
      );
      return true;
    });
  });

  test("behavior: a refused voucher is not recorded as charged", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    assert.equal((await pay(`${server.url}/data`)).status, 200);
    const channel = [...receiver.channels.values()][0];
    assert.ok(channel);
    channel.balance = 1000n; // the receiver now finds the balance short: the next voucher is refused
    const refused = await pay(`${server.url}/data`);
    assert.equal(refused.status, 402);
    const result = getPaymentResult({ response: refused });
    assert.equal(result?.status, "failed");
    assert.equal(result?.channelRecovery, undefined, "not a corrective 402");
    assert.deepEqual(await channelPayer.getChannel(result?.channel?.channelId ?? "0x"), {
      signedMaxClaimable: "2000",
      salt: DEFAULT_CHANNEL_SALT,
      chargedCumulativeAmount: "1000",
      balance: "5000",
    });
  });

  test("behavior: after a voucher the receiver never got, the channel is retired and the next payment opens a new one", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    const first = getPaymentResult({ response: await pay(`${server.url}/data`) });
    // Signed and recorded, then lost (a crash before sending): the receiver still expects 2000.
    const lost = await channelPayer.pay({ requirements });
    assert.equal(lost.maxClaimableAmount, 2000n);
    const refused = await pay(`${server.url}/data`);
    assert.equal(refused.status, 402);
    const result = getPaymentResult({ response: refused });
    assert.equal(result?.channel?.maxClaimableAmount, 3000n);
    assert.equal(result?.channelRecovery, "reopened");
    const retired = await channelPayer.getChannel(first?.channel?.channelId ?? "0x");
    assert.match(retired?.successorSalt ?? "", /^0x[0-9a-f]{64}$/);
    // The next payment: a deposit into a new channel (another salt), and it is paid.
    const next = await pay(`${server.url}/data`);
    assert.equal(next.status, 200);
    const opened = getPaymentResult({ response: next })?.channel;
    assert.equal(opened?.payload.type, "deposit");
    assert.equal(opened?.channelConfig.salt, retired?.successorSalt);
    assert.notEqual(opened?.channelId, first?.channel?.channelId);
    assert.equal(opened?.maxClaimableAmount, 1000n);
    assert.equal(receiver.channels.size, 2);
    // The retired channel can still be refunded at what its receiver charged.
    const refund = await channelPayer.refund({ requirements, channelId: first?.channel?.channelId });
    assert.equal(refund.payload.voucher.maxClaimableAmount, "1000");
    assert.deepEqual(refund.payload.voucher, first?.channel?.payload.voucher);
  });

  test("behavior: a receiver ahead of a forgetful store is adopted when it proves it with our voucher", async () => {
    const { server } = await channelPaywall();
    const before = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const payBefore = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer: before });
    for (let i = 0; i < 2; i++) assert.equal((await payBefore(`${server.url}/data`)).status, 200);
    // Restarted with an empty memory store: the first voucher (1000) is below the receiver's 2000.
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    const refused = await pay(`${server.url}/data`);
    assert.equal(refused.status, 402);
    assert.equal(getPaymentResult({ response: refused })?.channelRecovery, "resynced");
    const next = getPaymentResult({ response: await pay(`${server.url}/data`) });
    assert.equal(next?.status, "settled");
    assert.deepEqual([next?.channel?.payload.type, next?.channel?.maxClaimableAmount], ["voucher", 3000n]);
  });

  test("behavior: a receiver's state without a valid voucher of ours is not adopted", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    assert.equal((await pay(`${server.url}/data`)).status, 200);
    const channel = [...receiver.channels.values()][0];
    assert.ok(channel?.voucher);
    // The receiver claims more was charged, with a voucher signed by someone else.
    channel.charged = 50_000n;
    channel.voucher = { maxClaimableAmount: "50000", signature: `0x${"11".repeat(65)}` };
    const refused = await pay(`${server.url}/data`);
    assert.equal(getPaymentResult({ response: refused })?.channelRecovery, "reopened");
    const next = getPaymentResult({ response: await pay(`${server.url}/data`) });
    assert.deepEqual([next?.channel?.payload.type, next?.channel?.maxClaimableAmount], ["deposit", 1000n]);
  });

  test("behavior: refundChannel asks for the unclaimed rest back and records it", async () => {
    const { server, receiver } = await channelPaywall();
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const pay = wrapFetchWithPayment(fetch, { signer: payer, policy: { assets: [asset] }, channelPayer });
    for (let i = 0; i < 3; i++) assert.equal((await pay(`${server.url}/data`)).status, 200);
    const partial = await refundChannel(fetch, { url: `${server.url}/data`, channelPayer, amount: 500n });
    assert.equal(partial.status, "refunded");
    assert.equal(receiver.balance, 4500n);
    const full = await refundChannel(fetch, { url: `${server.url}/data`, channelPayer });
    assert.equal(full.status, "refunded");
    assert.equal(full.settlement?.amount, "1500");
    assert.equal(receiver.balance, 3000n);
    const last = receiver.payloads.at(-1);
    assert.deepEqual([last?.type, last?.voucher.maxClaimableAmount], ["refund", "3000"]);
    assert.deepEqual(await channelPayer.getChannel(full.channelId), {
      signedMaxClaimable: "3000",
      salt: DEFAULT_CHANNEL_SALT,
      chargedCumulativeAmount: "3000",
      balance: "3000",
    });
    // Nothing left: the receiver refuses, as data; the record is unchanged.
    const again = await refundChannel(fetch, { url: `${server.url}/data`, channelPayer });
    assert.equal(again.status, "failed");
    assert.equal(again.response.status, 402);
    // The next payment deposits again, above every voucher signed.
    const next = getPaymentResult({ response: await pay(`${server.url}/data`) });
    assert.deepEqual([next?.channel?.payload.type, next?.channel?.maxClaimableAmount], ["deposit", 4000n]);
  });

  test("behavior: refundChannel refuses a route without batch-settlement", async () => {
    const { server } = await channelPaywall([buildRequirementsV2()]);
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    await assert.rejects(refundChannel(fetch, { url: server.url, channelPayer }), (error: unknown) => {
      assert.ok(error instanceof PaymentRefusedError);
      assert.equal(error.rejections[0]?.reason, "not_offered");
      return true;
    });
  });
});
