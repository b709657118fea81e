/**
 * Two devnets at once in one process: a 31337 chain with a direct-mode facilitator, and a local Base
 * Sepolia twin (84532) in the default batched mode with a block every second; both with the demo API,
 * each with its own node, facilitator and data directory, neither disturbing the other.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { deployments } from "@x402kit/bindings";
import { erc8004TestnetAddresses } from "@x402kit/bindings/erc8004";
import { createPublicClient, http } from "viem";
import { type Devnet, runDemoAgent, startDevnet } from "../src/index.js";
import { assertNothingLeft } from "./helpers/assertStopped.js";
import { eventually } from "./helpers/eventually.js";

let a: Devnet;
let b: Devnet;

before(async () => {
  [a, b] = await Promise.all([
    startDevnet({ accounts: 1, mode: "direct", demo: true }),
    startDevnet({ accounts: 1, chainId: 84532, blockTime: 1, demo: true }),
  ]);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe("two devnets side by side", () => {
  test("default: separate ports, chains, processes and data directories", async () => {
    const ports = [a.rpcUrl, a.facilitatorUrl, b.rpcUrl, b.facilitatorUrl].map((url) => new URL(url).port);
    assert.equal(new Set(ports).size, 4);
    assert.notEqual(a.nodePid, b.nodePid);
    assert.notEqual(a.dataDir, b.dataDir);
    const chainId = (devnet: Devnet) =>
      createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) }).getChainId();
    assert.deepEqual(await Promise.all([chainId(a), chainId(b)]), [31337, 84532]);
    assert.equal(b.network, "eip155:84532");
  });

  test("behavior: CREATE2 gives the same addresses on both chains, the ERC-8004 registries the canonical testnet ones", () => {
    assert.deepEqual(a.contracts, b.contracts);
    assert.deepEqual(b.contracts.addresses, { ...deployments[31337], ...erc8004TestnetAddresses });
  });

  test("behavior: each facilitator serves its own network (84532 also under its v1 name)", async () => {
    const kinds = async (devnet: Devnet) => {
      const body = (await (await fetch(`${devnet.facilitatorUrl}/supported`)).json()) as {
        kinds: { network: string }[];
      };
      return [...new Set(body.kinds.map((kind) => kind.network))].sort();
    };
    assert.deepEqual(await kinds(a), ["eip155:31337"]);
    assert.deepEqual(await kinds(b), ["base-sepolia", "eip155:84532"]);
  });

  test("behavior: modes as asked; a paid demo call settles in direct mode with one transfer", async () => {
    assert.equal(a.mode, "direct");
    assert.equal(b.mode, "batched");
    const report = await runDemoAgent(a, { calls: 1, feedback: false });
    assert.equal(report.payments.length, 1);
    assert.equal(report.transactions.length, 1);
    const receipt = await createPublicClient({ chain: a.chain, transport: http(a.rpcUrl) }).getTransactionReceipt({
      hash: report.payments[0]?.transaction as `0x${string}`,
    });
    // Direct mode calls the token itself, not the router.
    assert.equal(receipt.to?.toLowerCase(), a.contracts.token.address.toLowerCase());
    assert.equal(report.feedback, undefined);
  });

  test("error: feedback that reverts leaves the report of the payments intact, with the reason", async () => {
    // Break the reputation registry (its proxy now reverts every call): the paid call still settles.
    const client = createPublicClient({ chain: a.chain, transport: http(a.rpcUrl) });
    await client.request({
      method: "hardhat_setCode" as never,
      params: [a.contracts.reputationRegistry, "0x60006000fd"] as never,
    });
    const report = await runDemoAgent(a, { calls: 1 });
    assert.equal(report.payments.length, 1, JSON.stringify(report.failures));
    assert.equal(report.feedback, undefined);
    assert.match(report.feedbackError ?? "", /\S/);
  });

  test("behavior: with --block-time, blocks come on an interval and payments settle in them", async () => {
    const client = createPublicClient({ chain: b.chain, transport: http(b.rpcUrl) });
    const start = await client.getBlockNumber();
    assert.equal(
      await eventually(async () => (await client.getBlockNumber()) >= start + 2n),
      true,
      "no interval blocks",
    );
    const report = await runDemoAgent(b, { calls: 2, feedback: false });
    assert.equal(report.payments.length, 2, JSON.stringify(report.failures));
    for (const transaction of report.transactions) {
      const receipt = await client.getTransactionReceipt({ hash: transaction.hash });
      assert.equal(receipt.to?.toLowerCase(), b.contracts.router.toLowerCase());
    }
  });

  test("behavior: stopping one leaves the other running; stopping both leaves nothing", async () => {
    await a.stop();
    await assertNothingLeft({ nodePid: a.nodePid, urls: [a.rpcUrl, a.facilitatorUrl, a.demoApiUrl as string] });
    const client = createPublicClient({ chain: b.chain, transport: http(b.rpcUrl) });
    assert.equal(await client.getChainId(), 84532);
    assert.equal((await fetch(`${b.facilitatorUrl}/health`)).status, 200);
    await b.stop();
    await assertNothingLeft({ nodePid: b.nodePid, urls: [b.rpcUrl, b.facilitatorUrl, b.demoApiUrl as string] });
  });
});
