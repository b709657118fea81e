import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { LocalAccount } from "viem";
import { keccak256, parseEventLogs, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { encodeSettlementBatch } from "../../../packages/bindings/src/router/index.js";
import { buildAuthorization, signTransferAuthorization, tokenDomain } from "../../helpers/eip3009.js";

/**
 * The largest standard batch that fits one block, in the worst storage case the benchmark states: a distinct,
 * funded payer per item (cold balance slot), a fresh nonce per item, one existing payee, `itemGasLimit`
 * 150,000. Found by scripts/bench/router-gas.ts; this test pins it: the batch succeeds in a transaction capped
 * at the block's gas, and one more item does not (the router keeps `itemGasLimit * 64/63 + 10,000` gas in hand
 * before each item, so the transaction needs about 120k more gas than it uses).
 */
const LARGEST_IN_30M = 714;
/** EIP-7825 (Osaka) caps a transaction at 2^24 gas, whatever the block limit. */
const LARGEST_IN_TX_CAP = 398;
const TX_GAS_CAP = 16_777_216n;
const BLOCK_GAS = 30_000_000n;
const VALUE = 10_000n;

describe("BatchSettlementRouter largest batch", async () => {
  const { viem } = await network.create({ override: { transactionGasCap: false, blockGasLimit: BLOCK_GAS } });
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const [admin, relayer, payee] = [wallets[0], wallets[1], wallets[2]];
  if (admin === undefined || relayer === undefined || payee === undefined) throw new Error("need 3 accounts");
  const payeeAddress = payee.account.address;
  const chainId = await publicClient.getChainId();
  const router = await viem.deployContract("BatchSettlementRouter");
  const token = await viem.deployContract("TestUSDC", ["USDC", "USDC", "2", admin.account.address]);
  const asRelayer = await viem.getContractAt("BatchSettlementRouter", router.address, { client: { wallet: relayer } });
  await token.write.configureMinter([admin.account.address, 2n ** 255n]);
  await token.write.mint([payeeAddress, 1n]);
  const payers: LocalAccount[] = Array.from({ length: LARGEST_IN_30M + 1 }, (_, i) =>
    privateKeyToAccount(keccak256(toHex(`largest batch payer ${i}`))),
  );
  for (const payer of payers) await token.write.mint([payer.address, 10n * VALUE]);

  async function settleAll(count: number, round: string, limit: bigint) {
    const now = (await publicClient.getBlock()).timestamp;
    const items = await Promise.all(
      payers.slice(0, count).map(async (payer, i) => {
        const nonce = keccak256(toHex(`${round} ${i}`));
        const a = buildAuthorization({ from: payer.address, to: payeeAddress, value: VALUE, nonce }, now);
        return {
          token: token.address,
          ...a,
          signature: await signTransferAuthorization(payer, tokenDomain(token.address, chainId), a),
        };
      }),
    );
    const hash = await asRelayer.write.settle([encodeSettlementBatch(items), 150_000n], { gas: limit });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    const settled = parseEventLogs({ abi: router.abi, logs: receipt.logs, eventName: "AuthorizationSettled" });
    assert.equal(settled.length, count);
    return receipt.gasUsed;
  }

  /** One more item does not fit: the router refuses to start it without its gas (whole-call revert). */
  async function assertTooMany(count: number, round: string, limit: bigint) {
    await assert.rejects(settleAll(count, round, limit), /BatchSettlementInsufficientGas|out of gas/i);
  }

  it(`settles ${LARGEST_IN_TX_CAP} payments within EIP-7825's 2^24 transaction cap`, async () => {
    await assertTooMany(LARGEST_IN_TX_CAP + 1, "cap+1", TX_GAS_CAP);
    const gasUsed = await settleAll(LARGEST_IN_TX_CAP, "cap", TX_GAS_CAP);
    assert.ok(gasUsed <= TX_GAS_CAP, `${gasUsed} > ${TX_GAS_CAP}`);
  });

  it(`settles ${LARGEST_IN_30M} payments within one 30M-gas block`, async () => {
    await assertTooMany(LARGEST_IN_30M + 1, "block+1", BLOCK_GAS);
    const gasUsed = await settleAll(LARGEST_IN_30M, "block", BLOCK_GAS);
    assert.ok(gasUsed <= BLOCK_GAS, `${gasUsed} > ${BLOCK_GAS}`);
  });
});
