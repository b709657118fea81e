import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import pg from "pg";
import { type Address, getAbiItem, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eip3009Abi } from "../src/chain/eip3009Abi.js";
import {
  balanceOf,
  deployRouter,
  deployTestUsdc,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { type ChildFacilitator, spawnFacilitator } from "./helpers/facilitatorHarness.js";
import { startPostgres, type TestPostgres } from "./helpers/postgres.js";
import { until } from "./helpers/until.js";

const payers = [HARDHAT_KEYS[5], HARDHAT_KEYS[7], HARDHAT_KEYS[8], HARDHAT_KEYS[9]].map((k) => privateKeyToAccount(k));
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const signer = privateKeyToAccount(HARDHAT_KEYS[2]).address;

/**
 * Two facilitator processes on one Postgres journal: one writes, the other is a standby waiting for the journal's
 * writer lock. The writer is SIGKILLed between a batch's broadcast and its receipt; the standby takes over, finds
 * the persisted batch, and every payment settles exactly once, from that one transaction.
 */
describe("two facilitator processes on one Postgres journal (writer + standby, SIGKILL mid-batch)", () => {
  let server: TestPostgres;
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let router: Address;
  let url: string;
  const children: ChildFacilitator[] = [];
  const env = (extra: Record<string, string> = {}) => ({
    PORT: "0",
    EVM_PRIVATE_KEY: HARDHAT_KEYS[2],
    EVM_NETWORK: "eip155:31337",
    EVM_RPC_URL: node.rpcUrl,
    DATABASE_URL: url,
    X402KIT_MODE: "batched",
    X402KIT_ROUTER: router,
    X402KIT_BATCH_MAX_ITEMS: "5",
    X402KIT_BATCH_MAX_WAIT_MS: "5000",
    ...extra,
  });
  const spawn = async (extra: Record<string, string> = {}) => {
    const child = await spawnFacilitator(env(extra));
    children.push(child);
    return child;
  };
  const post = (base: string, body: unknown) =>
    fetch(`${base}/settle`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const usesOf = async (from: Address, nonce: Hex) =>
    (
      await chain.publicClient.getLogs({
        address: token.address,
        event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
        args: { authorizer: from, nonce },
        fromBlock: 0n,
      })
    ).length;
  /** Sessions waiting for or holding the writer lock (each facilitator process has one). */
  const writerSessions = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'x402kit-facilitator writer lock'",
      );
      return rows[0].n as number;
    } finally {
      await client.end();
    }
  };
  const pendingNonce = () => chain.publicClient.getTransactionCount({ address: signer, blockTag: "pending" });
  const setAutomine = (on: boolean) =>
    chain.publicClient.request({ method: "evm_setAutomine" as never, params: [on] as never });

  before(async () => {
    server = await startPostgres();
    url = await server.database();
    node = await startHardhatNode();
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployTestUsdc(
      chain,
      payers.map((p) => p.address),
    );
    router = await deployRouter(chain);
  });
  after(async () => {
    for (const child of children) child.child.kill("SIGKILL");
    await Promise.all(children.map((c) => c.exited));
    await node?.stop();
    await server?.stop();
  });

  test("behavior: a second writer is refused; a standby takes over from a killed writer; 0 lost, 0 paid twice", async () => {
    const payments = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const p = payers[i % payers.length]!;
        const value = 700n + BigInt(i);
        const payload = await signPayment({ token, payer: p, payTo, value });
        return { payload, from: p.address, body: v2Body(token, payload, payTo, value) };
      }),
    );
    const before = await balanceOf(token, payTo);
    try {
      await setAutomine(false);
      const writer = await spawn({ X402KIT_FAULT: "crash-after-batch-broadcast" });
      // A second writer on the same journal fails at start-up instead of sharing the signer's nonces.
      const second = await spawnFacilitator(env()).then(
        () => assert.fail("a second writer started"),
        (error: Error) => error.message,
      );
      assert.match(second, /in use by another facilitator process/);
      // The standby waits for the writer lock (it does not listen until it holds it).
      const standby = spawn({ X402KIT_STANDBY: "1" });
      standby.catch(() => {});
      await until(async () => ((await writerSessions()) === 2 ? true : undefined), "the standby waiting", 20_000);
      const sentBefore = await pendingNonce();

      const first = await Promise.allSettled(payments.map((p) => post(writer.url, p.body)));
      assert.ok(
        first.every((r) => r.status === "rejected"),
        "every caller lost its connection with the writer",
      );
      assert.equal(await writer.exited, "SIGKILL");
      assert.equal(await pendingNonce(), sentBefore + 1, "the batch is in the mempool, unwatched");

      const taken = await standby;
      assert.match(taken.output(), /this facilitator is now the journal's writer/);
      const answers = Promise.all(payments.map((p) => post(taken.url, p.body).then((r) => r.json())));
      await chain.publicClient.request({ method: "evm_mine" as never });
      const settled = (await answers) as { success: boolean; transaction: Hex }[];
      for (const a of settled) assert.equal(a.success, true, JSON.stringify(a));
      assert.equal(new Set(settled.map((a) => a.transaction)).size, 1, "one batch, the one the writer persisted");
      assert.equal(await chain.publicClient.getTransactionCount({ address: signer }), sentBefore + 1);
      for (const p of payments) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
      assert.equal(await balanceOf(token, payTo), before + 5n * 700n + 10n);
      taken.child.kill("SIGTERM");
      assert.equal(await taken.exited, 0, taken.output());
    } finally {
      await setAutomine(true);
    }
  });
});
