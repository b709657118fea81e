import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import {
  startEmbeddedPostgres as startPostgres,
  type EmbeddedPostgresServer as TestPostgres,
} from "@x402kit/hardhat-node/postgres";
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
    const child = await spawnFacilitator({ ...env(), ...extra });
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
      // The standby serves at once and waits for the writer lock.
      const standby = await spawn({ X402KIT_STANDBY: "1" });
      await until(async () => ((await writerSessions()) === 2 ? true : undefined), "the standby waiting", 20_000);
      assert.equal(((await (await fetch(`${standby.url}/health`)).json()) as { role?: string }).role, "standby");
      assert.equal(((await (await fetch(`${writer.url}/health`)).json()) as { role?: string }).role, "writer");
      const sentBefore = await pendingNonce();

      const first = await Promise.allSettled(payments.map((p) => post(writer.url, p.body)));
      assert.ok(
        first.every((r) => r.status === "rejected"),
        "every caller lost its connection with the writer",
      );
      assert.equal(await writer.exited, "SIGKILL");
      assert.equal(await pendingNonce(), sentBefore + 1, "the batch is in the mempool, unwatched");

      const taken = standby;
      await until(
        async () => (/this facilitator is now the journal's writer/.test(taken.output()) ? true : undefined),
        "the standby taking over",
        20_000,
      );
      assert.equal(((await (await fetch(`${taken.url}/health`)).json()) as { role?: string }).role, "writer");
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
  test("behavior: a standby admits for the writer and answers from the journal; one payment sent to both settles once", async () => {
    const database = await server.database();
    const shared = { DATABASE_URL: database, X402KIT_BATCH_MAX_WAIT_MS: "0" };
    const writer = await spawn(shared);
    const standby = await spawn({ ...shared, X402KIT_STANDBY: "1" });
    const sign = async (i: number) => {
      const p = payers[i % payers.length]!;
      const value = 900n + BigInt(i);
      const payload = await signPayment({ token, payer: p, payTo, value });
      return { payload, from: p.address, value, body: v2Body(token, payload, payTo, value) };
    };
    const before = await balanceOf(token, payTo);
    // Admitted by the standby, sent by the writer, answered by the standby from the journal.
    const viaStandby = await sign(0);
    const answer = (await (await post(standby.url, viaStandby.body)).json()) as { success: boolean; transaction: Hex };
    assert.equal(answer.success, true, JSON.stringify(answer));
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: answer.transaction });
    assert.equal(receipt.from.toLowerCase(), signer.toLowerCase(), "the writer's signer sent it");
    // The same payment to both processes at once: one settlement, the same answer to both callers.
    const both = await sign(1);
    const answers = (await Promise.all(
      [post(writer.url, both.body), post(standby.url, both.body)].map(async (r) => (await r).json()),
    )) as { success: boolean; transaction: Hex }[];
    for (const a of answers) assert.equal(a.success, true, JSON.stringify(a));
    assert.equal(answers[0]!.transaction, answers[1]!.transaction, "both callers got the one transaction");
    for (const p of [viaStandby, both]) assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1);
    assert.equal(await balanceOf(token, payTo), before + viaStandby.value + both.value);
    for (const child of [standby, writer]) {
      child.child.kill("SIGTERM");
      assert.equal(await child.exited, 0, child.output());
    }
  });
  test("behavior: under load, the writer and then its successor are SIGKILLed in turn; every payment settles once", async () => {
    const database = await server.database();
    const shared = { DATABASE_URL: database, X402KIT_BATCH_MAX_WAIT_MS: "0", X402KIT_BATCH_MAX_ITEMS: "4" };
    const payments = await Promise.all(
      Array.from({ length: 36 }, async (_, i) => {
        const p = payers[i % payers.length]!;
        const value = 1_000n + BigInt(i);
        const payload = await signPayment({ token, payer: p, payTo, value });
        return { payload, from: p.address, value, body: v2Body(token, payload, payTo, value) };
      }),
    );
    const before = await balanceOf(token, payTo);
    type Answer = { success?: boolean; transaction?: Hex; errorReason?: string };
    const answered: { index: number; answer: Answer }[] = [];
    const send = async (base: string, index: number) => {
      try {
        const response = await post(base, payments[index]!.body);
        answered.push({ index, answer: (await response.json()) as Answer });
      } catch {
        // The connection died with its process: the payment's fate is read from the chain below.
      }
    };
    // Two blocks a second, as on a real chain, so transactions are in flight when a process dies.
    await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [500] as never });
    await setAutomine(false);
    try {
      const a = await spawn(shared);
      const b = await spawn({ ...shared, X402KIT_STANDBY: "1" });
      const round = (instances: { url: string }[], from: number, count: number) =>
        Promise.all(Array.from({ length: count }, (_, k) => send(instances[k % instances.length]!.url, from + k)));
      // Round 1: both serve; the writer is killed while its payments are in flight.
      const first = round([a, b], 0, 12);
      await new Promise((resolve) => setTimeout(resolve, 300));
      a.child.kill("SIGKILL");
      await first;
      await until(async () => (/now the journal's writer/.test(b.output()) ? true : undefined), "b takes over", 20_000);
      // Round 2: b writes, c stands by; b is killed under load in turn.
      const c = await spawn({ ...shared, X402KIT_STANDBY: "1" });
      const second = round([b, c], 12, 12);
      await new Promise((resolve) => setTimeout(resolve, 300));
      b.child.kill("SIGKILL");
      await second;
      await until(async () => (/now the journal's writer/.test(c.output()) ? true : undefined), "c takes over", 20_000);
      // Round 3: c alone; then every payment is sent again to c (a retry is idempotent).
      await round([c], 24, 12);
      const retries = (await Promise.all(payments.map(async (p) => (await post(c.url, p.body)).json()))) as Answer[];
      for (const [i, r] of retries.entries()) assert.equal(r.success, true, `payment ${i}: ${JSON.stringify(r)}`);
      // On chain: each authorization used exactly once, by the transaction its answers name.
      for (const [i, p] of payments.entries()) {
        assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1, `payment ${i} used once`);
      }
      for (const { index, answer } of answered) {
        if (answer.success !== true) continue;
        assert.equal(answer.transaction, retries[index]!.transaction, `payment ${index}: one transaction`);
        const receipt = await chain.publicClient.getTransactionReceipt({ hash: answer.transaction as Hex });
        assert.equal(receipt.status, "success", "no caller got success for a payment that did not settle");
      }
      // A standby's callers kept their connections through the writer's death: each was answered, with success.
      for (const index of [
        ...Array.from({ length: 6 }, (_, k) => 1 + 2 * k),
        ...Array.from({ length: 6 }, (_, k) => 13 + 2 * k),
      ]) {
        const got = answered.find((x) => x.index === index)?.answer;
        assert.equal(got?.success, true, `payment ${index}, sent to a standby: ${JSON.stringify(got)}`);
      }
      const sum = payments.reduce((total, p) => total + p.value, 0n);
      assert.equal(await balanceOf(token, payTo), before + sum, "the payee got exactly the sum of the payments");
      assert.ok(answered.filter((x) => x.answer.success === true).length > 0, "some callers were answered");
      c.child.kill("SIGTERM");
      assert.equal(await c.exited, 0, c.output());
    } finally {
      await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [0] as never });
      await setAutomine(true);
    }
  });
  test("behavior: instances all started as standbys elect one writer, and the next takes over when it stops", async () => {
    const shared = { DATABASE_URL: await server.database(), X402KIT_STANDBY: "1", X402KIT_BATCH_MAX_WAIT_MS: "0" };
    const role = async (child: { url: string }) =>
      ((await (await fetch(`${child.url}/health`)).json()) as { role?: string }).role;
    const [a, b] = [await spawn(shared), await spawn(shared)];
    const roles = async () => [await role(a), await role(b)].sort();
    await until(
      async () => ((await roles()).join() === "standby,writer" ? true : undefined),
      "one of two standbys becomes the writer",
      20_000,
    );
    const [writer, other] = (await role(a)) === "writer" ? [a, b] : [b, a];
    writer.child.kill("SIGTERM");
    assert.equal(await writer.exited, 0, writer.output());
    await until(async () => ((await role(other)) === "writer" ? true : undefined), "the other takes over", 20_000);
    other.child.kill("SIGTERM");
    assert.equal(await other.exited, 0, other.output());
  });
});
