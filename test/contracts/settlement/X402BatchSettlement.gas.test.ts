import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BATCH_SETTLEMENT_ADDRESS, ERC3009_DEPOSIT_COLLECTOR_ADDRESS } from "@x402/evm";
import {
  computeChannelId,
  createBatchSettlementEIP3009DepositPayload,
  signVoucher,
} from "@x402/evm/batch-settlement/client";
import { network } from "hardhat";
import type { Hex } from "viem";
import { getAddress, keccak256, toHex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { OfficialChannelConfig, OfficialClaim } from "../../helpers/x402Official.js";
import { loadOfficialInternals } from "../../helpers/x402Official.js";

/**
 * Gas of the channel contract as the official facilitator drives it (transaction gas from receipts: intrinsic
 * cost and calldata included): a deposit through the ERC-3009 collector, claimWithSignature over 1, 10 and 100
 * channels (one voucher each, distinct channels of one receiver), settle, refund and refundWithSignature. The
 * figures are printed as test diagnostics; the assertions are budgets, and that batching amortizes.
 */
const official = await loadOfficialInternals();
const payer = privateKeyToAccount(keccak256(toHex("batch-settlement gas payer")));
const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("batch-settlement gas receiver authorizer")));
const CHANNELS = 100;
const DEPOSIT = 1_000_000n;
const PRICE = 10_000n;

describe("X402BatchSettlement gas", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  const caip2 = `eip155:${chainId}`;
  const settlementAddress = getAddress(BATCH_SETTLEMENT_ADDRESS);
  const collectorAddress = getAddress(ERC3009_DEPOSIT_COLLECTOR_ADDRESS);
  const [admin, facilitator, receiverWallet] = await viem.getWalletClients();
  if (!admin || !facilitator || !receiverWallet) throw new Error("need 3 accounts");
  const receiver = receiverWallet.account.address;

  async function gasOf(hash: Promise<Hex>): Promise<bigint> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    assert.equal(receipt.status, "success");
    return receipt.gasUsed;
  }

  const write = (functionName: string, args: readonly unknown[]) =>
    facilitator.writeContract({
      address: settlementAddress,
      abi: official.batchSettlementABI,
      functionName,
      args,
      account: facilitator.account,
      chain: facilitator.chain,
    });

  async function depositInto(config: OfficialChannelConfig): Promise<bigint> {
    const requirements = {
      scheme: "batch-settlement",
      network: caip2,
      asset: config.token,
      amount: PRICE.toString(),
      payTo: config.receiver,
      maxTimeoutSeconds: 3600,
      extra: { name: "USDC", version: "2", receiverAuthorizer: config.receiverAuthorizer },
    } as Parameters<typeof createBatchSettlementEIP3009DepositPayload>[2];
    const { payload } = await createBatchSettlementEIP3009DepositPayload(
      payer,
      2,
      requirements,
      config,
      DEPOSIT.toString(),
      PRICE.toString(),
    );
    const auth = (
      payload as unknown as {
        deposit: {
          authorization: {
            erc3009Authorization: { validAfter: string; validBefore: string; salt: Hex; signature: Hex };
          };
        };
      }
    ).deposit.authorization.erc3009Authorization;
    return gasOf(
      write("deposit", [
        official.toContractChannelConfig(config),
        DEPOSIT,
        collectorAddress,
        official.buildErc3009CollectorData(auth.validAfter, auth.validBefore, auth.salt, auth.signature),
      ]),
    );
  }

  async function hundredChannelsFixture() {
    const usdc = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin!.account.address]);
    await usdc.write.configureMinter([admin!.account.address, 2n ** 255n]);
    await usdc.write.mint([payer.address, DEPOSIT * BigInt(CHANNELS + 1)]);
    for (const [contract, at] of [
      ["X402BatchSettlement", settlementAddress],
      ["ERC3009DepositCollector", collectorAddress],
    ] as const) {
      const deployed = await viem.deployContract(contract);
      const code = await publicClient.getCode({ address: deployed.address });
      if (code === undefined) throw new Error(`no code for ${contract}`);
      await networkHelpers.setCode(at, code);
    }
    const configs: OfficialChannelConfig[] = Array.from({ length: CHANNELS }, (_, i) => ({
      payer: payer.address,
      payerAuthorizer: zeroAddress,
      receiver,
      receiverAuthorizer: receiverAuthorizer.address,
      token: usdc.address,
      withdrawDelay: 900,
      salt: keccak256(toHex(`gas channel ${i}`)),
    }));
    const depositGas: bigint[] = [];
    for (const config of configs) depositGas.push(await depositInto(config));
    const claims: OfficialClaim[] = [];
    for (const config of configs) {
      const voucher = await signVoucher(payer, computeChannelId(config, caip2), (PRICE * 3n).toString(), caip2);
      claims.push({
        voucher: { channel: config, maxClaimableAmount: voucher.maxClaimableAmount },
        signature: voucher.signature,
        totalClaimed: voucher.maxClaimableAmount,
      });
    }
    return { usdc, configs, claims, depositGas };
  }

  async function claimGas(claims: OfficialClaim[]): Promise<bigint> {
    const signature = await official.signClaimBatch(receiverAuthorizer, claims, caip2);
    const args = claims.map((c) => ({
      voucher: {
        channel: official.toContractChannelConfig(c.voucher.channel),
        maxClaimableAmount: BigInt(c.voucher.maxClaimableAmount),
      },
      signature: c.signature,
      totalClaimed: BigInt(c.totalClaimed),
    }));
    return gasOf(write("claimWithSignature", [args, signature]));
  }

  it("deposit through the ERC-3009 collector", async (t) => {
    const { depositGas, configs } = await networkHelpers.loadFixture(hundredChannelsFixture);
    const first = depositGas[0]!;
    const topUp = await depositInto(configs[0]!);
    t.diagnostic(`deposit (new channel): ${first} gas; top-up: ${topUp} gas`);
    assert.ok(first < 150_000n, `deposit: ${first}`);
    assert.ok(topUp < first, "a top-up skips the zero-to-nonzero balance write");
  });

  it("claimWithSignature amortizes over 1, 10 and 100 vouchers", async (t) => {
    const perVoucher: bigint[] = [];
    for (const n of [1, 10, 100]) {
      const { claims } = await networkHelpers.loadFixture(hundredChannelsFixture);
      const gas = await claimGas(claims.slice(0, n));
      perVoucher.push(gas / BigInt(n));
      t.diagnostic(`claimWithSignature with ${n} vouchers: ${gas} gas, ${gas / BigInt(n)} per voucher`);
    }
    assert.ok(perVoucher[1]! < perVoucher[0]! && perVoucher[2]! < perVoucher[1]!, "batching amortizes");
    assert.ok(perVoucher[2]! < 30_000n, `per voucher at 100: ${perVoucher[2]}`);
  });

  it("settle, refund and refundWithSignature after a claim", async (t) => {
    const { claims, configs, usdc } = await networkHelpers.loadFixture(hundredChannelsFixture);
    await claimGas(claims);
    const settle = await gasOf(write("settle", [receiver, usdc.address]));
    assert.equal(await usdc.read.balanceOf([receiver]), PRICE * 3n * BigInt(CHANNELS));
    const asReceiverAuthorizer = await viem.getContractAt("X402BatchSettlement", settlementAddress);
    await networkHelpers.impersonateAccount(receiverAuthorizer.address);
    await networkHelpers.setBalance(receiverAuthorizer.address, 10n ** 18n);
    const refund = await gasOf(
      asReceiverAuthorizer.write.refund([official.toContractChannelConfig(configs[0]!), PRICE], {
        account: receiverAuthorizer.address,
      }),
    );
    const channelId = computeChannelId(configs[1]!, caip2);
    const signature = await official.signRefund(receiverAuthorizer, channelId, PRICE.toString(), "0", caip2);
    const refundWithSignature = await gasOf(
      write("refundWithSignature", [official.toContractChannelConfig(configs[1]!), PRICE, 0n, signature]),
    );
    t.diagnostic(`settle: ${settle} gas; refund: ${refund} gas; refundWithSignature: ${refundWithSignature} gas`);
    assert.ok(settle < 80_000n, `settle: ${settle}`);
    assert.ok(refund < 80_000n, `refund: ${refund}`);
    assert.ok(refundWithSignature < 90_000n, `refundWithSignature: ${refundWithSignature}`);
  });
});
