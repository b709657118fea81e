/**
 * `startDevnet({ smartWalletPayers: true })`: each payer owns a counterfactual smart wallet (ERC-6492), funded before
 * it exists; the demo agent pays from those wallets, the facilitator deploys each with its first payment, and every
 * payment settles from the wallet's balance.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { testUsdcAbi } from "@x402kit/bindings";
import { type Address, createPublicClient, http } from "viem";
import { type Devnet, PAYER_USDC, runDemoAgent, startDevnet } from "../src/index.js";

let devnet: Devnet;
let client: ReturnType<typeof createPublicClient>;

before(async () => {
  devnet = await startDevnet({ smartWalletPayers: true, demo: true, accounts: 2 });
  client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
});
after(async () => {
  await devnet?.stop();
});

const usdcOf = (address: Address) =>
  client.readContract({
    address: devnet.contracts.token.address,
    abi: testUsdcAbi,
    functionName: "balanceOf",
    args: [address],
  });
const deployed = async (address: Address) => ((await client.getCode({ address })) ?? "0x") !== "0x";

describe("smart-wallet payers (--smart-wallet-payers)", () => {
  test("default: one counterfactual wallet per payer, funded, not deployed; listed in devnet.env", async () => {
    const smart = devnet.smartWallets;
    assert.ok(smart);
    assert.equal(smart.wallets.length, 2);
    assert.equal(await deployed(smart.factory), true);
    for (const [i, wallet] of smart.wallets.entries()) {
      assert.equal(wallet.owner, devnet.accounts.payers[i]?.address);
      assert.notEqual(wallet.address, wallet.owner);
      assert.equal(await deployed(wallet.address), false);
      assert.equal(await usdcOf(wallet.address), PAYER_USDC);
      assert.equal(devnet.env[`PAYER_${i + 1}_WALLET_ADDRESS`], wallet.address);
    }
    assert.equal(devnet.env.SMART_WALLET_FACTORY_ADDRESS, smart.factory);
    assert.match(readFileSync(devnet.envFile, "utf8"), /^SMART_WALLET_FACTORY_ADDRESS=0x[0-9a-fA-F]{40}$/m);
  });

  test("behavior: the demo agent pays from the wallets; the first payment of each deploys it", async () => {
    const smart = devnet.smartWallets;
    assert.ok(smart);
    const report = await runDemoAgent(devnet, { calls: 6, concurrency: 2 });
    assert.equal(report.payments.length, 6, JSON.stringify(report.failures));
    const wallets = smart.wallets.map((wallet) => wallet.address);
    assert.deepEqual([...new Set(report.payments.map((payment) => payment.payer))].sort(), [...wallets].sort());
    for (const wallet of smart.wallets) {
      assert.equal(await deployed(wallet.address), true);
      const paid = report.payments.filter((p) => p.payer === wallet.address).reduce((sum, p) => sum + p.amount, 0n);
      assert.equal(await usdcOf(wallet.address), PAYER_USDC - paid);
      // The owners' own balances are untouched.
      assert.equal(await usdcOf(wallet.owner), PAYER_USDC);
    }
    // Feedback still comes from the first payer's key, with the proof of a payment its wallet made.
    assert.ok(report.feedback, report.feedbackError);
    assert.equal(report.feedback.clientAddress, smart.wallets[0]?.owner);
  });
});
