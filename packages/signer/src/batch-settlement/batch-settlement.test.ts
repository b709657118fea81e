/**
 * Batch-settlement payloads signed by @x402kit/signer are the official `@x402/evm` client's byte for byte (the
 * deposit with the same salt and clock, the following voucher), channel ids and constants are the official ones,
 * vouchers verify, and the payer's cumulative ceiling only grows.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toClientEvmSigner } from "@x402/evm";
import {
  BatchSettlementEvmScheme,
  InMemoryClientChannelStorage,
  computeChannelId as officialChannelId,
} from "@x402/evm/batch-settlement/client";
import { privateKeyToAccount } from "viem/accounts";
import { SchemaValidationError } from "../errors/wire.js";
import {
  type BatchSettlementDepositPayload,
  BatchSettlementPayloadSchema,
  buildChannelConfig,
  computeChannelId,
  createChannelPayer,
  createDepositPayload,
  createMemoryChannelStore,
  createVoucherPayload,
  DEFAULT_CHANNEL_SALT,
  DepositLimitExceededError,
  InvalidChannelConfigError,
  verifyVoucherSignature,
} from "./index.js";

const payer = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const requirements = {
  scheme: "batch-settlement",
  network: "eip155:84532",
  amount: "1000",
  asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
  maxTimeoutSeconds: 300,
  extra: { name: "USDC", version: "2", receiverAuthorizer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
};

describe("batch-settlement", () => {
  test("deposit then voucher: the official client's payloads, byte for byte", async () => {
    const storage = new InMemoryClientChannelStorage();
    const official = new BatchSettlementEvmScheme(toClientEvmSigner(payer), { storage });
    const first = (await official.createPaymentPayload(2, requirements as never))
      .payload as BatchSettlementDepositPayload;
    const { salt, validBefore } = first.deposit.authorization.erc3009Authorization;
    const ours = await createDepositPayload({
      signer: payer,
      requirements,
      depositAmount: first.deposit.amount,
      maxClaimableAmount: "1000",
      depositSalt: salt,
      now: BigInt(validBefore) - 300n,
    });
    assert.equal(JSON.stringify(ours.payload), JSON.stringify(first));
    assert.equal(first.deposit.amount, "5000");

    // The official client learns balance and charge from the settle response; simulate it.
    const key = ours.channelId.toLowerCase();
    await storage.set(key, { balance: "5000", chargedCumulativeAmount: "1000" });
    const second = (await official.createPaymentPayload(2, requirements as never)).payload;
    const config = buildChannelConfig({ payer: payer.address, requirements });
    const voucher = await createVoucherPayload({
      signer: payer,
      channelConfig: config,
      network: requirements.network,
      maxClaimableAmount: 2000n,
    });
    assert.equal(JSON.stringify(voucher.payload), JSON.stringify(second));
    assert.equal(computeChannelId(config, "eip155:84532"), officialChannelId(config as never, "eip155:84532"));
    assert.ok(BatchSettlementPayloadSchema.safeParse(second).success);
    assert.ok(BatchSettlementPayloadSchema.safeParse(first).success);
    assert.ok(
      await verifyVoucherSignature({ voucher: voucher.payload.voucher, signer: payer.address, network: 84532 }),
    );
    assert.ok(
      !(await verifyVoucherSignature({
        voucher: { ...voucher.payload.voucher, maxClaimableAmount: "2001" },
        signer: payer.address,
        network: 84532,
      })),
    );
  });

  test("refuses a requirement without a receiverAuthorizer", () => {
    assert.throws(
      () => buildChannelConfig({ payer: payer.address, requirements: { ...requirements, extra: {} } }),
      SchemaValidationError,
    );
  });

  test("the payer deposits first, then signs strictly increasing vouchers", async () => {
    const store = createMemoryChannelStore();
    const channelPayer = createChannelPayer({ signer: payer, store });
    const a = await channelPayer.pay({ requirements });
    assert.equal(a.payload.type, "deposit");
    await channelPayer.recordSettlement({ channelId: a.channelId, chargedCumulativeAmount: 1000n, balance: 5000n });
    const [b, c] = await Promise.all([channelPayer.pay({ requirements }), channelPayer.pay({ requirements })]);
    assert.equal(b.payload.type, "voucher");
    assert.deepEqual([a.maxClaimableAmount, b.maxClaimableAmount, c.maxClaimableAmount], [1000n, 2000n, 3000n]);
  });

  test("behavior: a default deposit above maxDepositAmount is lowered to it", async () => {
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const payment = await channelPayer.pay({ requirements, maxDepositAmount: 4999n });
    assert.equal(payment.depositAmount, 4999n);
    assert.equal(payment.payload.type === "deposit" && payment.payload.deposit.amount, "4999");
  });

  test("behavior: a deposit the voucher needs above maxDepositAmount is refused, nothing signed or recorded", async () => {
    const store = createMemoryChannelStore();
    const channelPayer = createChannelPayer({ signer: payer, store });
    for (const attempt of [{ maxDepositAmount: 999n }, { maxDepositAmount: 4999n, depositAmount: 5000n }]) {
      await assert.rejects(channelPayer.pay({ requirements, ...attempt }), (error: unknown) => {
        assert.ok(error instanceof DepositLimitExceededError);
        assert.equal(error.limit, attempt.maxDepositAmount);
        return true;
      });
    }
    const config = buildChannelConfig({ payer: payer.address, requirements });
    assert.equal(await store.get(computeChannelId(config, requirements.network)), undefined);
  });

  test("behavior: refund signs the charged voucher again, and the record is kept so vouchers stay above it", async () => {
    const channelPayer = createChannelPayer({ signer: payer, store: createMemoryChannelStore() });
    const a = await channelPayer.pay({ requirements });
    await assert.rejects(
      channelPayer.refund({ requirements: { ...requirements, payTo: payer.address } }),
      InvalidChannelConfigError,
      "no channel to that payee",
    );
    await channelPayer.recordSettlement({ channelId: a.channelId, chargedCumulativeAmount: 1000n, deposited: 5000n });
    const b = await channelPayer.pay({ requirements });
    await channelPayer.recordSettlement({ channelId: a.channelId, chargedCumulativeAmount: 2000n });
    const refund = await channelPayer.refund({ requirements });
    assert.equal(refund.payload.type, "refund");
    assert.equal(refund.payload.amount, undefined);
    // The receiver's latest voucher, byte for byte (deterministic ECDSA): the official server requires it.
    assert.deepEqual(refund.payload.voucher, b.payload.voucher);
    const partial = await channelPayer.refund({ requirements, amount: 1000n });
    assert.equal(partial.payload.amount, "1000");
    await channelPayer.recordRefund({ channelId: a.channelId });
    assert.deepEqual(await channelPayer.getChannel(a.channelId), {
      signedMaxClaimable: "2000",
      salt: DEFAULT_CHANNEL_SALT,
      chargedCumulativeAmount: "2000",
      balance: "2000",
    });
    const c = await channelPayer.pay({ requirements });
    assert.equal(c.payload.type, "deposit", "the refunded channel is funded again");
    assert.equal(c.maxClaimableAmount, 3000n);
  });
});
