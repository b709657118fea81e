/**
 * The dashboard's JSON side against a devnet in direct mode (one `transferWithAuthorization` per payment): the
 * transaction view decodes the token call, and the snapshot carries the lanes, the balances and the agent.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DashboardSnapshot, TransactionView } from "@x402kit/dashboard/protocol";
import { createPublicClient, http } from "viem";
import { type DemoReport, type Devnet, runDemoAgent, startDevnet } from "../src/index.js";

describe("dashboard API (direct mode)", { timeout: 120_000 }, () => {
  let devnet: Devnet;
  let report: DemoReport;

  before(async () => {
    devnet = await startDevnet({ demo: true, dashboard: true, mode: "direct", accounts: 2 });
    report = await runDemoAgent(devnet, { calls: 2 });
    assert.equal(report.payments.length, 2, JSON.stringify(report.failures));
  });
  after(() => devnet?.stop());

  test("default: the transaction view decodes a direct transferWithAuthorization from the chain", async () => {
    const payment = report.payments[0] as DemoReport["payments"][number];
    const response = await fetch(`${devnet.dashboardUrl}/api/tx/${payment.transaction}`);
    assert.equal(response.status, 200);
    const view = TransactionView.parse(await response.json());
    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    const receipt = await client.getTransactionReceipt({ hash: payment.transaction });
    assert.equal(view.target, "token");
    assert.equal(view.call?.functionName, "transferWithAuthorization");
    assert.equal(view.gas.used, receipt.gasUsed.toString());
    assert.equal(view.blockNumber, receipt.blockNumber.toString());
    assert.equal(view.from, devnet.accounts.facilitator.address);
    assert.deepEqual(
      view.authorizations.map((a) => [a.status, a.from, a.to, a.value]),
      [["settled", payment.payer, devnet.agent.wallet, payment.amount.toString()]],
    );
    assert.ok(view.logs.some((log) => log.name === "Token.AuthorizationUsed" && log.args.authorizer === payment.payer));
  });

  test("behavior: the snapshot has the signer lane, the balances read from the chain and the agent", async () => {
    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    const nonce = await client.getTransactionCount({ address: devnet.accounts.facilitator.address });
    // The dashboard follows the chain block by block: wait (bounded) until it has read the newest one.
    const read = async () => DashboardSnapshot.parse(await (await fetch(`${devnet.dashboardUrl}/api/snapshot`)).json());
    let snapshot = await read();
    const fresh = (s: DashboardSnapshot) =>
      s.lanes[0]?.nonce === nonce &&
      s.agents.length > 0 &&
      s.balances.find((b) => b.label === "agentWallet")?.token === report.after.agentWallet.toString();
    for (let i = 0; i < 50 && !fresh(snapshot); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      snapshot = await read();
    }
    assert.deepEqual(
      snapshot.lanes.map((lane) => lane.address),
      [devnet.accounts.facilitator.address],
    );
    assert.equal(snapshot.lanes[0]?.nonce, nonce);
    assert.ok(nonce >= 2, "two direct settlements were sent by the facilitator's signer");
    const wallet = snapshot.balances.find((b) => b.label === "agentWallet");
    assert.equal(wallet?.token, report.after.agentWallet.toString());
    assert.deepEqual(
      snapshot.balances.map((b) => b.label),
      ["faucet", "facilitator", "agentOwner", "agentWallet", "channelSender", "PAYER_1", "PAYER_2"],
    );
    const agent = snapshot.agents[0];
    assert.equal(agent?.agentId, devnet.agent.agentId.toString());
    assert.equal(agent?.wallet, devnet.agent.wallet);
    assert.equal(agent?.card?.x402Support, true);
  });
});
