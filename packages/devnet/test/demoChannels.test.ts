/**
 * The devnet's `batch-settlement` demo: the official `@x402/evm` batch-settlement client behind `@x402/fetch` pays the
 * demo API's `/stream` route (an official `@x402/hono` server) over one channel, on `pnpm start`'s chain, whose
 * facilitator is x402kit's: a deposit sent by our facilitator's batch-settlement sender, vouchers without a
 * transaction, then x402kit's claim scheduler claims and sweeps, and the payee's balance moves by exactly the sum paid.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { createPublicClient, decodeFunctionData, http } from "viem";
import { DEMO_CHANNEL_ROUTE, type Devnet, runDemoAgent, startDevnet } from "../src/index.js";

describe("the devnet's batch-settlement demo route, paid through x402kit's facilitator", () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await startDevnet({ accounts: 2, demo: true, dashboard: false });
  });
  after(async () => {
    await devnet?.stop();
  });

  test("default: deposit, vouchers, claim and sweep; the payee gets exactly the sum paid", async () => {
    assert.ok(devnet.demoChannels, "the demo API serves the channel route");
    const calls = 12;
    const report = await runDemoAgent(devnet, { calls: 1, channelCalls: calls, feedback: false });
    const channels = report.channels;
    assert.ok(channels, "the channel part ran");
    assert.equal(channels.failed, 0, channels.firstError);
    assert.equal(channels.paid, calls);
    assert.equal(channels.charged, BigInt(calls) * DEMO_CHANNEL_ROUTE.price);
    assert.equal(channels.payeeDelta, channels.charged, "the payee got exactly the sum paid");
    assert.equal(channels.deposits.length, 1, "one deposit: the route's minimum deposit covers every call");
    assert.equal(channels.vouchers, calls - 1);
    assert.ok(channels.claims.length >= 1 && channels.sweep, "claimed and swept");

    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    const deposit = await client.getTransaction({ hash: channels.deposits[0]!.hash });
    assert.equal(deposit.from.toLowerCase(), devnet.accounts.channelSender.address.toLowerCase(), "sent by ours");
    assert.equal(deposit.to?.toLowerCase(), devnet.contracts.batchSettlement.toLowerCase());
    assert.equal(decodeFunctionData({ abi: x402BatchSettlementAbi, data: deposit.input }).functionName, "deposit");
    for (const t of [...channels.claims, channels.sweep!]) {
      const receipt = await client.getTransactionReceipt({ hash: t.hash });
      assert.equal(receipt.status, "success");
      assert.equal(receipt.to?.toLowerCase(), devnet.contracts.batchSettlement.toLowerCase());
    }
    assert.equal(
      channels.gasUsed,
      [...channels.deposits, ...channels.claims, channels.sweep!].reduce((sum, t) => sum + t.gasUsed, 0n),
    );
  });
});
