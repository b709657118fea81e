/**
 * `pnpm start --token erc20`: the demo API's `exact` routes ask for Permit2, the demo agent pays them with x402kit's
 * fetch (`permit2: true`), and x402kit's facilitator settles each through the `x402ExactPermit2Proxy` at the official
 * address (alone, or with others in one Multicall3 transaction); the agent's wallet gets exactly the sum paid, read
 * from the chain.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { MULTICALL3_ADDRESS, x402ExactPermit2ProxyAbi } from "@x402kit/bindings";
import { createPublicClient, getAddress, http, parseEventLogs } from "viem";
import { type Devnet, runDemoAgent, startDevnet } from "../src/index.js";

describe("the demo on TestERC20, paid through Permit2 and x402kit's facilitator", () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await startDevnet({ accounts: 2, demo: true, token: "erc20" });
  });
  after(async () => {
    await devnet?.stop();
  });

  test("default: every demo call settles through the exact Permit2 proxy; the payee gets the sum", async () => {
    assert.ok(devnet.demoApiUrl, "the demo API runs on TestERC20");
    assert.equal(devnet.demoChannels, undefined, "no batch-settlement route: its deposits are ERC-3009");
    const report = await runDemoAgent(devnet, { calls: 4, feedback: false });
    assert.deepEqual(report.failures, []);
    assert.equal(report.payments.length, 4);
    assert.equal(report.after.agentWallet - report.before.agentWallet, report.totalPaid);
    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    // Payments of different payers that reach the facilitator together share one Multicall3 transaction.
    let settledEvents = 0;
    for (const hash of new Set(report.transactions.map((t) => t.hash))) {
      const receipt = await client.getTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      assert.ok(
        [devnet.contracts.exactPermit2Proxy, getAddress(MULTICALL3_ADDRESS)].includes(getAddress(receipt.to ?? "0x")),
        "through the proxy, alone or in a Multicall3 batch",
      );
      const settled = parseEventLogs({ abi: x402ExactPermit2ProxyAbi, logs: receipt.logs, eventName: "Settled" });
      assert.ok(settled.length >= 1);
      for (const log of settled) assert.equal(getAddress(log.address), devnet.contracts.exactPermit2Proxy);
      settledEvents += settled.length;
    }
    assert.equal(settledEvents, report.payments.length, "one proxy settlement per payment");
  });
});
