import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BATCH_SETTLEMENT_ADDRESS,
  BATCH_SETTLEMENT_DOMAIN,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  voucherTypes,
} from "@x402/evm";
import {
  computeChannelId,
  createBatchSettlementEIP3009DepositPayload,
  signVoucher,
} from "@x402/evm/batch-settlement/client";
import { network } from "hardhat";
import type { Address, Hex, LocalAccount } from "viem";
import { getAddress, hashTypedData, keccak256, parseEventLogs, toHex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { OfficialChannelConfig, OfficialClaim } from "../../helpers/x402Official.js";
import { loadOfficialInternals } from "../../helpers/x402Official.js";

/**
 * Wire compatibility with the official x402 `batch-settlement` SDK (`@x402/evm` 2.27): our X402BatchSettlement
 * and ERC3009DepositCollector are placed at the official addresses with `hardhat_setCode` (their runtime code
 * has no immutables), the payer signs deposits and vouchers with the official client functions, and every call
 * is encoded with the official facilitator's own ABI, collector-data encoder and receiver-authorizer signers.
 */
const official = await loadOfficialInternals();
const payers: LocalAccount[] = Array.from({ length: 3 }, (_, i) =>
  privateKeyToAccount(keccak256(toHex(`batch-settlement flows payer ${i}`))),
);
const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("batch-settlement flows receiver authorizer")));
const INITIAL_BALANCE = 1_000_000_000n;
const DEPOSIT = 1_000_000n; // 1 USDC
const PRICE = 10_000n; // 0.01 USDC per request
const WITHDRAW_DELAY = 900;

type DepositPayload = {
  channelConfig: OfficialChannelConfig;
  voucher: { channelId: Hex; maxClaimableAmount: string; signature: Hex };
  deposit: {
    amount: string;
    authorization: { erc3009Authorization: { validAfter: string; validBefore: string; salt: Hex; signature: Hex } };
  };
};

describe("X402BatchSettlement (wire compatibility with @x402/evm 2.27)", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  const caip2 = `eip155:${chainId}`;
  const settlementAddress = getAddress(BATCH_SETTLEMENT_ADDRESS);
  const collectorAddress = getAddress(ERC3009_DEPOSIT_COLLECTOR_ADDRESS);

  async function deployAtOfficialAddressesFixture() {
    const [admin, facilitator, receiver] = await viem.getWalletClients();
    if (!admin || !facilitator || !receiver) throw new Error("need 3 accounts");
    const usdc = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
    await usdc.write.configureMinter([admin.account.address, 2n ** 255n]);
    for (const payer of payers) await usdc.write.mint([payer.address, INITIAL_BALANCE]);
    const deployed = await viem.deployContract("X402BatchSettlement");
    const deployedCollector = await viem.deployContract("ERC3009DepositCollector");
    for (const [from, to] of [
      [deployed.address, settlementAddress],
      [deployedCollector.address, collectorAddress],
    ] as const) {
      const code = await publicClient.getCode({ address: from });
      if (code === undefined) throw new Error(`no code at ${from}`);
      await networkHelpers.setCode(to, code);
    }
    const settlement = await viem.getContractAt("X402BatchSettlement", settlementAddress);
    return { usdc, settlement, facilitator, receiver: receiver.account.address };
  }

  const channelOf = (payer: LocalAccount, receiver: Address, token: Address, salt: Hex): OfficialChannelConfig => ({
    payer: payer.address,
    payerAuthorizer: zeroAddress,
    receiver,
    receiverAuthorizer: receiverAuthorizer.address,
    token,
    withdrawDelay: WITHDRAW_DELAY,
    salt,
  });

  /** The official client's deposit payload, submitted the way the official facilitator submits it. */
  async function depositAsTheOfficialSdk(
    facilitator: Awaited<ReturnType<typeof deployAtOfficialAddressesFixture>>["facilitator"],
    payer: LocalAccount,
    config: OfficialChannelConfig,
  ): Promise<DepositPayload> {
    const requirements = {
      scheme: "batch-settlement",
      network: caip2,
      asset: config.token,
      amount: PRICE.toString(),
      payTo: config.receiver,
      maxTimeoutSeconds: 300,
      extra: {
        name: "USDC",
        version: "2",
        receiverAuthorizer: config.receiverAuthorizer,
        withdrawDelay: config.withdrawDelay,
      },
    } as Parameters<typeof createBatchSettlementEIP3009DepositPayload>[2];
    const result = await createBatchSettlementEIP3009DepositPayload(
      payer,
      2,
      requirements,
      config,
      DEPOSIT.toString(),
      PRICE.toString(),
    );
    const payload = result.payload as unknown as DepositPayload;
    const auth = payload.deposit.authorization.erc3009Authorization;
    const hash = await facilitator.writeContract({
      address: settlementAddress,
      abi: official.batchSettlementABI,
      functionName: "deposit",
      args: [
        official.toContractChannelConfig(payload.channelConfig),
        BigInt(payload.deposit.amount),
        collectorAddress,
        official.buildErc3009CollectorData(auth.validAfter, auth.validBefore, auth.salt, auth.signature),
      ],
      account: facilitator.account,
      chain: facilitator.chain,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    return payload;
  }

  const readChannel = async (channelId: Hex) =>
    (await publicClient.readContract({
      address: settlementAddress,
      abi: official.batchSettlementABI,
      functionName: "channels",
      args: [channelId],
    })) as readonly [bigint, bigint];

  describe("deposit", () => {
    it("accepts the official client's ERC-3009 deposit through the official collector address", async () => {
      const { usdc, settlement, facilitator, receiver } = await networkHelpers.loadFixture(
        deployAtOfficialAddressesFixture,
      );
      const config = channelOf(payers[0]!, receiver, usdc.address, keccak256(toHex("deposit")));
      const payload = await depositAsTheOfficialSdk(facilitator, payers[0]!, config);
      const channelId = computeChannelId(config, caip2);
      assert.equal(payload.voucher.channelId, channelId);
      assert.equal(await settlement.read.getChannelId([config]), channelId, "our id is the SDK's id");
      assert.deepEqual(await readChannel(channelId), [DEPOSIT, 0n]);
      assert.equal(await usdc.read.balanceOf([settlementAddress]), DEPOSIT);
      assert.equal(await usdc.read.balanceOf([payers[0]!.address]), INITIAL_BALANCE - DEPOSIT);
    });
  });

  describe("claimWithSignature", () => {
    it("claims the latest vouchers of several channels in one transaction, then settles and refunds", async () => {
      const { usdc, settlement, facilitator, receiver } = await networkHelpers.loadFixture(
        deployAtOfficialAddressesFixture,
      );
      const configs = payers.map((payer, i) => channelOf(payer, receiver, usdc.address, keccak256(toHex(`ch ${i}`))));
      for (const [i, config] of configs.entries()) await depositAsTheOfficialSdk(facilitator, payers[i]!, config);

      // Each payer pays i + 2 requests with cumulative vouchers; only the last one of each channel is claimed.
      const claims: OfficialClaim[] = [];
      for (const [i, config] of configs.entries()) {
        const channelId = computeChannelId(config, caip2);
        let last: Awaited<ReturnType<typeof signVoucher>> | undefined;
        for (let request = 1n; request <= BigInt(i + 2); request++) {
          last = await signVoucher(payers[i]!, channelId, (PRICE * request).toString(), caip2);
        }
        if (last === undefined) throw new Error("no voucher");
        // The voucher digest our contract checks is the one the SDK signed.
        assert.equal(
          await settlement.read.getVoucherDigest([channelId, BigInt(last.maxClaimableAmount)]),
          hashTypedData({
            domain: { ...BATCH_SETTLEMENT_DOMAIN, chainId, verifyingContract: settlementAddress },
            types: voucherTypes,
            primaryType: "Voucher",
            message: { channelId, maxClaimableAmount: BigInt(last.maxClaimableAmount) },
          }),
        );
        claims.push({
          voucher: { channel: config, maxClaimableAmount: last.maxClaimableAmount },
          signature: last.signature,
          totalClaimed: last.maxClaimableAmount,
        });
      }
      const authorizerSignature = await official.signClaimBatch(receiverAuthorizer, claims, caip2);
      const claimArgs = claims.map((c) => ({
        voucher: {
          channel: official.toContractChannelConfig(c.voucher.channel),
          maxClaimableAmount: BigInt(c.voucher.maxClaimableAmount),
        },
        signature: c.signature,
        totalClaimed: BigInt(c.totalClaimed),
      }));
      const claimHash = await facilitator.writeContract({
        address: settlementAddress,
        abi: official.batchSettlementABI,
        functionName: "claimWithSignature",
        args: [claimArgs, authorizerSignature],
        account: facilitator.account,
        chain: facilitator.chain,
      });
      const claimReceipt = await publicClient.waitForTransactionReceipt({ hash: claimHash });
      assert.equal(claimReceipt.status, "success");
      const claimed = parseEventLogs({ abi: settlement.abi, eventName: "Claimed", logs: claimReceipt.logs });
      assert.equal(claimed.length, configs.length, "one Claimed per channel, in one transaction");
      let expectedTotal = 0n;
      for (const [i, config] of configs.entries()) {
        const owed = PRICE * BigInt(i + 2);
        expectedTotal += owed;
        assert.deepEqual(await readChannel(computeChannelId(config, caip2)), [DEPOSIT, owed]);
      }

      // settle(receiver, token), read back with the official ABI's Settled event.
      const settleHash = await facilitator.writeContract({
        address: settlementAddress,
        abi: official.batchSettlementABI,
        functionName: "settle",
        args: [receiver, usdc.address],
        account: facilitator.account,
        chain: facilitator.chain,
      });
      const settleReceipt = await publicClient.waitForTransactionReceipt({ hash: settleHash });
      const settled = parseEventLogs({
        abi: official.batchSettlementABI,
        eventName: "Settled",
        logs: settleReceipt.logs,
      });
      assert.equal(settled.length, 1);
      assert.equal((settled[0]!.args as { amount: bigint }).amount, expectedTotal);
      assert.equal(await usdc.read.balanceOf([receiver]), expectedTotal);

      // refundWithSignature of the first channel's unclaimed rest, signed by the official signRefund.
      const first = configs[0]!;
      const firstId = computeChannelId(first, caip2);
      const rest = DEPOSIT - PRICE * 2n;
      const refundSignature = await official.signRefund(receiverAuthorizer, firstId, rest.toString(), "0", caip2);
      const refundHash = await facilitator.writeContract({
        address: settlementAddress,
        abi: official.batchSettlementABI,
        functionName: "refundWithSignature",
        args: [official.toContractChannelConfig(first), rest, 0n, refundSignature],
        account: facilitator.account,
        chain: facilitator.chain,
      });
      assert.equal((await publicClient.waitForTransactionReceipt({ hash: refundHash })).status, "success");
      assert.equal(await usdc.read.balanceOf([payers[0]!.address]), INITIAL_BALANCE - PRICE * 2n);
      assert.equal(await settlement.read.refundNonce([firstId]), 1n);
      assert.deepEqual(await readChannel(firstId), [PRICE * 2n, PRICE * 2n]);
    });

    it("rejects a batch signed by a key that is not the channels' receiverAuthorizer", async () => {
      const { usdc, settlement, facilitator, receiver } = await networkHelpers.loadFixture(
        deployAtOfficialAddressesFixture,
      );
      const config = channelOf(payers[0]!, receiver, usdc.address, keccak256(toHex("wrong authorizer")));
      await depositAsTheOfficialSdk(facilitator, payers[0]!, config);
      const voucher = await signVoucher(payers[0]!, computeChannelId(config, caip2), PRICE.toString(), caip2);
      const claims: OfficialClaim[] = [
        {
          voucher: { channel: config, maxClaimableAmount: voucher.maxClaimableAmount },
          signature: voucher.signature,
          totalClaimed: voucher.maxClaimableAmount,
        },
      ];
      const wrongSignature = await official.signClaimBatch(payers[1]!, claims, caip2);
      const args = [
        [
          {
            voucher: { channel: official.toContractChannelConfig(config), maxClaimableAmount: PRICE },
            signature: voucher.signature,
            totalClaimed: PRICE,
          },
        ],
        wrongSignature,
      ] as const;
      await viem.assertions.revertWithCustomErrorWithArgs(
        settlement.write.claimWithSignature(args, { account: facilitator.account }),
        settlement,
        "ChannelInvalidAuthorizerSignature",
        [getAddress(receiverAuthorizer.address)],
      );
    });
  });
});
