import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BATCH_SETTLEMENT_ADDRESS, PERMIT2_ADDRESS, toClientEvmSigner, toFacilitatorEvmSigner } from "@x402/evm";
import {
  BatchSettlementEvmScheme as BatchSettlementClientScheme,
  computeChannelId,
  signVoucher,
} from "@x402/evm/batch-settlement/client";
import { BatchSettlementEvmScheme as BatchSettlementFacilitatorScheme } from "@x402/evm/batch-settlement/facilitator";
import { network } from "hardhat";
import type { Hex, LocalAccount } from "viem";
import { getAddress, keccak256, maxUint256, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ensureMulticall3 } from "../../../packages/bindings/src/multicall3.js";
import { ensurePermit2 } from "../../../packages/bindings/src/permit2.js";
import type { OfficialChannelConfig } from "../../helpers/x402Official.js";
import { loadOfficialExport, loadOfficialInternals } from "../../helpers/x402Official.js";

/**
 * Wire compatibility of x402kit's Permit2DepositCollector with the official x402 `batch-settlement` SDK
 * (`@x402/evm` 2.27): X402BatchSettlement and Permit2DepositCollector at the official addresses (`hardhat_setCode`),
 * Permit2 at its canonical address (`ensurePermit2` of the bindings), TestUSDC used as a plain ERC-20 (the payer
 * approves Permit2 once). The OFFICIAL client scheme signs the deposit (requirements with
 * `extra.assetTransferMethod: "permit2"`), the OFFICIAL facilitator scheme verifies and settles it, then a voucher
 * and a claim on the channel; and the official facilitator's refusal when the Permit2 allowance is missing.
 */
const official = await loadOfficialInternals();
/** The official constant (not re-exported by `@x402/evm`'s entry points). */
const PERMIT2_DEPOSIT_COLLECTOR_ADDRESS = (await loadOfficialExport("PERMIT2_DEPOSIT_COLLECTOR_ADDRESS")) as Hex;
const payer = privateKeyToAccount(keccak256(toHex("permit2 deposit payer")));
const unapprovedPayer = privateKeyToAccount(keccak256(toHex("permit2 deposit payer without allowance")));
const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("permit2 deposit receiver authorizer")));
const INITIAL_BALANCE = 1_000_000_000n;
const DEPOSIT = 1_000_000n;
const PRICE = 10_000n;
const WITHDRAW_DELAY = 900;

type Permit2DepositPayload = {
  type: "deposit";
  channelConfig: OfficialChannelConfig;
  voucher: { channelId: Hex; maxClaimableAmount: string; signature: Hex };
  deposit: {
    amount: string;
    authorization: {
      permit2Authorization: { spender: Hex; nonce: string; deadline: string; witness: { channelId: Hex } };
    };
  };
};

describe("Permit2DepositCollector (wire compatibility with @x402/evm 2.27)", async () => {
  const { viem, networkHelpers, provider } = await network.create();
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  const caip2 = `eip155:${chainId}` as const;
  const settlementAddress = getAddress(BATCH_SETTLEMENT_ADDRESS);
  const collectorAddress = getAddress(PERMIT2_DEPOSIT_COLLECTOR_ADDRESS);

  async function permit2DepositFixture() {
    const [admin, facilitatorWallet, receiverWallet] = await viem.getWalletClients();
    if (!admin || !facilitatorWallet || !receiverWallet) throw new Error("need 3 accounts");
    await ensurePermit2({ provider });
    await ensureMulticall3({ provider }); // the official facilitator batches its reads through Multicall3
    const usdc = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
    await usdc.write.configureMinter([admin.account.address, 2n ** 255n]);
    for (const account of [payer, unapprovedPayer]) {
      await usdc.write.mint([account.address, INITIAL_BALANCE]);
      await networkHelpers.setBalance(account.address, parseEther("1"));
    }
    for (const [contract, at] of [
      ["X402BatchSettlement", settlementAddress],
      ["Permit2DepositCollector", collectorAddress],
    ] as const) {
      const deployed = await viem.deployContract(contract);
      const code = await publicClient.getCode({ address: deployed.address });
      if (code === undefined) throw new Error(`no code for ${contract}`);
      await networkHelpers.setCode(at, code);
    }
    // The payer's one-time Permit2 approval (TestUSDC as a plain ERC-20: no EIP-2612 extension is sent).
    const payerUsdc = await viem.getContractAt("TestUSDC", usdc.address, {
      client: { wallet: await viem.getWalletClient(payer.address) },
    });
    await networkHelpers.impersonateAccount(payer.address);
    await payerUsdc.write.approve([PERMIT2_ADDRESS, maxUint256], { account: payer.address });

    const signer = toFacilitatorEvmSigner({
      address: facilitatorWallet.account.address,
      getCode: (args) => publicClient.getCode(args),
      readContract: (args) => publicClient.readContract({ ...args, args: args.args ?? [] } as never),
      verifyTypedData: (args) => publicClient.verifyTypedData(args as never),
      writeContract: (args) =>
        facilitatorWallet.writeContract({ ...args, args: args.args ?? [] } as never) as Promise<Hex>,
      sendTransaction: (args) => facilitatorWallet.sendTransaction(args as never),
      waitForTransactionReceipt: (args) => publicClient.waitForTransactionReceipt(args),
    });
    const facilitator = new BatchSettlementFacilitatorScheme(signer, receiverAuthorizer);
    const settlement = await viem.getContractAt("X402BatchSettlement", settlementAddress);
    return { usdc, settlement, facilitator, receiver: receiverWallet.account.address };
  }

  const requirementsFor = (asset: Hex, payTo: Hex) => ({
    scheme: "batch-settlement",
    network: caip2,
    asset,
    amount: PRICE.toString(),
    payTo,
    maxTimeoutSeconds: 300,
    extra: {
      name: "USDC",
      version: "2",
      receiverAuthorizer: receiverAuthorizer.address,
      withdrawDelay: WITHDRAW_DELAY,
      assetTransferMethod: "permit2",
      minDeposit: DEPOSIT.toString(),
    },
  });

  /** The official client's first payment on a new channel: a Permit2 deposit plus the first voucher. */
  async function officialDeposit(account: LocalAccount, requirements: ReturnType<typeof requirementsFor>) {
    const client = new BatchSettlementClientScheme(toClientEvmSigner(account, publicClient as never), {
      depositPolicy: { depositMultiplier: Number(DEPOSIT / PRICE) },
    });
    const result = await client.createPaymentPayload(2, requirements as never);
    const payload = result.payload as unknown as Permit2DepositPayload;
    return { client, payload, envelope: { x402Version: 2, accepted: requirements, payload } as never };
  }

  it("is signed by the official client, verified and settled by the official facilitator", async () => {
    const { usdc, facilitator, receiver } = await networkHelpers.loadFixture(permit2DepositFixture);
    const requirements = requirementsFor(usdc.address, receiver);
    const { payload, envelope } = await officialDeposit(payer, requirements);
    assert.equal(payload.type, "deposit");
    const auth = payload.deposit.authorization.permit2Authorization;
    assert.equal(getAddress(auth.spender), collectorAddress, "the collector is the Permit2 spender");
    const channelId = computeChannelId(payload.channelConfig, caip2);
    assert.equal(auth.witness.channelId, channelId, "the witness is the channel id");
    const amount = BigInt(payload.deposit.amount);
    assert.equal(amount, DEPOSIT);

    const verified = await facilitator.verify(envelope, requirements as never);
    assert.deepEqual([verified.isValid, verified.invalidReason], [true, undefined]);
    const settled = await facilitator.settle(envelope, requirements as never);
    assert.equal(settled.success, true, JSON.stringify(settled));
    assert.deepEqual(await readChannel(channelId), [DEPOSIT, 0n]);
    assert.equal(await usdc.read.balanceOf([settlementAddress]), DEPOSIT);
    assert.equal(await usdc.read.balanceOf([payer.address]), INITIAL_BALANCE - DEPOSIT);
    assert.equal(await usdc.read.balanceOf([collectorAddress]), 0n);
    assert.equal(await usdc.read.allowance([payer.address, PERMIT2_ADDRESS]), maxUint256 - DEPOSIT);

    // The same authorization again: Permit2's nonce is spent.
    const replay = await facilitator.settle(envelope, requirements as never);
    assert.equal(replay.success, false, "a replayed Permit2 deposit does not settle twice");
    assert.deepEqual(await readChannel(channelId), [DEPOSIT, 0n]);

    // A voucher on the channel, then the official claim (the facilitator signs as receiverAuthorizer).
    const voucher = await signVoucher(payer, channelId, (PRICE * 3n).toString(), caip2);
    const voucherEnvelope = {
      x402Version: 2,
      accepted: requirements,
      payload: { type: "voucher", channelConfig: payload.channelConfig, voucher },
    } as never;
    const voucherVerified = await facilitator.verify(voucherEnvelope, requirements as never);
    assert.deepEqual([voucherVerified.isValid, voucherVerified.invalidReason], [true, undefined]);
    const claimEnvelope = {
      x402Version: 2,
      accepted: requirements,
      payload: {
        type: "claim",
        claims: [
          {
            voucher: { channel: payload.channelConfig, maxClaimableAmount: voucher.maxClaimableAmount },
            signature: voucher.signature,
            totalClaimed: voucher.maxClaimableAmount,
          },
        ],
      },
    } as never;
    const claimed = await facilitator.settle(claimEnvelope, requirements as never);
    assert.equal(claimed.success, true, JSON.stringify(claimed));
    assert.deepEqual(await readChannel(channelId), [DEPOSIT, PRICE * 3n]);
  });

  it("is refused by the official facilitator when the payer has no Permit2 allowance", async () => {
    const { usdc, facilitator, receiver } = await networkHelpers.loadFixture(permit2DepositFixture);
    const requirements = requirementsFor(usdc.address, receiver);
    const { payload, envelope } = await officialDeposit(unapprovedPayer, requirements);
    const verified = await facilitator.verify(envelope, requirements as never);
    assert.deepEqual(
      [verified.isValid, verified.invalidReason],
      [false, "invalid_batch_settlement_evm_permit2_allowance_required"],
    );
    const settled = await facilitator.settle(envelope, requirements as never);
    assert.deepEqual(
      [settled.success, settled.errorReason],
      [false, "invalid_batch_settlement_evm_permit2_allowance_required"],
    );
    assert.deepEqual(await readChannel(computeChannelId(payload.channelConfig, caip2)), [0n, 0n]);
    assert.equal(await usdc.read.balanceOf([unapprovedPayer.address]), INITIAL_BALANCE, "nothing moved");
  });

  const readChannel = async (channelId: Hex) =>
    (await publicClient.readContract({
      address: settlementAddress,
      abi: official.batchSettlementABI,
      functionName: "channels",
      args: [channelId],
    })) as readonly [bigint, bigint];
});
