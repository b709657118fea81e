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
import { type ChildFacilitator, spawnFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { until } from "./helpers/until.js";

const payers = [HARDHAT_KEYS[5], HARDHAT_KEYS[7], HARDHAT_KEYS[8], HARDHAT_KEYS[9]].map((k) => privateKeyToAccount(k));
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const [keyA, keyB] = [HARDHAT_KEYS[2], HARDHAT_KEYS[3]];
const signerA = privateKeyToAccount(keyA).address;
const signerB = privateKeyToAccount(keyB).address;
/** Short by default, to keep the test quick; `X402KIT_TEST_LEASE_TTL_MS=10000` measures the default TTL. */
const TTL_MS = Number(process.env.X402KIT_TEST_LEASE_TTL_MS ?? 3_000);

type Health = { status: string; leases?: { signer: Address; token: string; expiresAt: number }[] };
type Answer = { success?: boolean; transaction?: Hex; errorReason?: string };

/**
 * Facilitator processes on one Postgres journal with signer leases: each signs for the keys whose leases it holds.
 * One holder is SIGKILLed with its transactions in the mempool; after its lease expires a survivor takes the signer
 * over, reconciles its in-flight transactions and every payment settles exactly once.
 */
describe("signer leases: instances on one Postgres journal, each signing for its own keys", () => {
  let server: TestPostgres;
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let url: string;
  let router: Address;
  let mode: Record<string, string> = {};
  const children: ChildFacilitator[] = [];
  const spawn = async (keys: Hex[], extra: Record<string, string> = {}) => {
    const child = await spawnFacilitator({
      PORT: "0",
      EVM_PRIVATE_KEYS: keys.join(","),
      EVM_NETWORK: "eip155:31337",
      EVM_RPC_URL: node.rpcUrl,
      DATABASE_URL: url,
      X402KIT_SIGNER_LEASES: "1",
      X402KIT_LEASE_TTL_MS: String(TTL_MS),
      ...mode,
      ...extra,
    });
    children.push(child);
    return child;
  };
  const post = async (base: string, body: unknown): Promise<Answer> =>
    (await fetch(`${base}/settle`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as Answer;
  const leasesOf = async (child: { url: string }) =>
    (((await (await fetch(`${child.url}/health`)).json()) as Health).leases ?? []).map((l) => l.signer.toLowerCase());
  const usesOf = async (from: Address, nonce: Hex) =>
    (
      await chain.publicClient.getLogs({
        address: token.address,
        event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
        args: { authorizer: from, nonce },
        fromBlock: 0n,
      })
    ).length;
  const leaseRow = async (signer: Address) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT holder, token, expires_at FROM signer_leases WHERE signer = $1", [
        signer.toLowerCase(),
      ]);
      const row = rows[0] as { holder: string; token: string; expires_at: string } | undefined;
      return row ? { holder: row.holder, token: BigInt(row.token), expiresAt: Number(row.expires_at) } : undefined;
    } finally {
      await client.end();
    }
  };
  const pendingNonce = (address: Address) => chain.publicClient.getTransactionCount({ address, blockTag: "pending" });
  const setAutomine = (on: boolean) =>
    chain.publicClient.request({ method: "evm_setAutomine" as never, params: [on] as never });
  let paymentIndex = 0;
  const sign = async () => {
    const i = paymentIndex++;
    const p = payers[i % payers.length] as (typeof payers)[number];
    const value = 500n + BigInt(i);
    const payload = await signPayment({ token, payer: p, payTo, value });
    return { payload, from: p.address, value, body: v2Body(token, payload, payTo, value) };
  };

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

  for (const batched of [false, true]) {
    test(`behavior: ${batched ? "batched" : "direct"}: two holders both send; one is SIGKILLed mid-flight, the other takes its signer over; 0 lost, 0 paid twice`, async () => {
      url = await server.database();
      mode = batched
        ? {
            X402KIT_MODE: "batched",
            X402KIT_ROUTER: router,
            X402KIT_BATCH_MAX_ITEMS: "5",
            X402KIT_BATCH_MAX_WAIT_MS: "0",
          }
        : {};
      const before = await balanceOf(token, payTo);
      // a signs for A only; b is configured with both keys and gets B (A is a's).
      const a = await spawn([keyA]);
      await until(async () => ((await leasesOf(a)).join() === signerA.toLowerCase() ? true : undefined), "a holds A");
      const b = await spawn([keyB, keyA]);
      await until(async () => ((await leasesOf(b)).join() === signerB.toLowerCase() ? true : undefined), "b holds B");

      // Both send, each with its own signer.
      const [viaA, viaB] = [await sign(), await sign()];
      const [answerA, answerB] = await Promise.all([post(a.url, viaA.body), post(b.url, viaB.body)]);
      assert.equal(answerA.success, true, JSON.stringify(answerA));
      assert.equal(answerB.success, true, JSON.stringify(answerB));
      const fromOf = async (hash: Hex) =>
        (await chain.publicClient.getTransactionReceipt({ hash })).from.toLowerCase() as Address;
      assert.equal(await fromOf(answerA.transaction as Hex), signerA.toLowerCase());
      assert.equal(await fromOf(answerB.transaction as Hex), signerB.toLowerCase());

      // a's transactions wait in the mempool when it is killed; b's callers keep going meanwhile.
      const inFlight = await Promise.all([sign(), sign(), sign()]);
      const alsoB = await Promise.all([sign(), sign()]);
      const everything = [viaA, viaB, ...inFlight, ...alsoB];
      try {
        await setAutomine(false);
        const sentBefore = await pendingNonce(signerA);
        const lost = Promise.allSettled(inFlight.map((p) => post(a.url, p.body)));
        // Direct: three transactions. Batched (group commit): the first goes alone, the other two wait queued in a
        // for a free lane; after a's death the new holder claims them (queued by an instance without a live lease).
        await until(
          async () => ((await pendingNonce(signerA)) === sentBefore + (batched ? 1 : 3) ? true : undefined),
          "a broadcast its transactions",
        );
        if (batched) await new Promise((resolve) => setTimeout(resolve, 300));
        a.child.kill("SIGKILL");
        const killedAt = Date.now();
        assert.equal(await a.exited, "SIGKILL");
        for (const r of await lost) assert.equal(r.status, "rejected", "a's callers lost their connections");
        const expiresAt = (await leaseRow(signerA))?.expiresAt as number;
        const waitingOnB = Promise.all(alsoB.map((p) => post(b.url, p.body)));

        // b takes A over once its lease expired, reconciles A's in-flight transactions and goes on.
        await until(
          async () => ((await leasesOf(b)).includes(signerA.toLowerCase()) ? true : undefined),
          "b takes A over",
          30_000,
        );
        const tookOverAt = Date.now();
        const takeoverMs = tookOverAt - expiresAt;
        console.log(
          `# ${batched ? "batched" : "direct"} takeover: killed ${killedAt - expiresAt} ms before the lease expired; b signs for A ${takeoverMs} ms after its expiry (ttl ${TTL_MS} ms, rounds every ${Math.min(1_000, TTL_MS / 3)} ms)`,
        );
        assert.ok(tookOverAt >= expiresAt, "never before the lease expired");
        assert.ok(takeoverMs < 5_000, `b resumed A's work within 5 s of the expiry (${takeoverMs} ms)`);
        assert.equal((await leaseRow(signerA))?.token, 2n, "one acquisition after a's: the token rose by one");
        assert.match(b.output(), /took over an expired signer lease/);
        if (!batched) {
          assert.equal(
            await pendingNonce(signerA),
            sentBefore + 3,
            "reconciled by re-sending the same bytes, none new",
          );
        }

        // Blocks again (every 200 ms): a's re-sent transactions and b's own are mined.
        await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [200] as never });
        for (const answer of await waitingOnB) assert.equal(answer.success, true, JSON.stringify(answer));
        // Every payment again, to b: each answered success with the transaction that carried it.
        const retries = await Promise.all(everything.map((p) => post(b.url, p.body)));
        for (const [i, r] of retries.entries()) assert.equal(r.success, true, `payment ${i}: ${JSON.stringify(r)}`);
        if (!batched) {
          for (const i of inFlight.keys()) {
            assert.equal(await fromOf(retries[2 + i]?.transaction as Hex), signerA.toLowerCase(), "a's transaction");
          }
        }
      } finally {
        await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [0] as never });
        await setAutomine(true);
      }
      for (const [i, p] of everything.entries()) {
        assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1, `payment ${i}: authorization used once`);
      }
      const sum = everything.reduce((total, p) => total + p.value, 0n);
      assert.equal(await balanceOf(token, payTo), before + sum, "the payee got exactly the sum of the payments");

      // An instance holding no lease admits for the others and answers from the journal.
      const c = await spawn([keyA]);
      assert.deepEqual(await leasesOf(c), [], "A is b's: c holds nothing");
      const viaC = await sign();
      const answerC = await post(c.url, viaC.body);
      assert.equal(answerC.success, true, JSON.stringify(answerC));
      assert.equal(await usesOf(viaC.from, viaC.payload.authorization.nonce), 1);

      // A graceful stop hands the leases back at once: c takes A well before b's lease would have expired.
      const stoppedAt = Date.now();
      b.child.kill("SIGTERM");
      assert.equal(await b.exited, 0, b.output());
      assert.equal((await leaseRow(signerA))?.holder, "", "handed back");
      await until(async () => ((await leasesOf(c)).includes(signerA.toLowerCase()) ? true : undefined), "c takes A");
      const handOverMs = Date.now() - stoppedAt;
      console.log(`# hand-over after SIGTERM: c signs for A ${handOverMs} ms after b was told to stop`);
      const afterHandOver = await sign();
      const last = await post(c.url, afterHandOver.body);
      assert.equal(last.success, true, JSON.stringify(last));
      assert.equal(await fromOf(last.transaction as Hex), signerA.toLowerCase());
      c.child.kill("SIGTERM");
      assert.equal(await c.exited, 0, c.output());
    });
  }

  test("behavior: three instances share three keys, one each; under load on 2 s blocks two are SIGKILLed in turn; every payment settles once", async () => {
    url = await server.database();
    mode = {
      X402KIT_MODE: "batched",
      X402KIT_ROUTER: router,
      X402KIT_BATCH_MAX_ITEMS: "4",
      X402KIT_BATCH_MAX_WAIT_MS: "0",
    };
    const keys = [keyA, keyB, HARDHAT_KEYS[4]];
    const signers = keys.map((k) => privateKeyToAccount(k).address.toLowerCase());
    const payments = await Promise.all(Array.from({ length: 36 }, () => sign()));
    const before = await balanceOf(token, payTo);
    const answered: { index: number; answer: Answer }[] = [];
    const send = async (base: string, index: number) => {
      try {
        answered.push({ index, answer: await post(base, payments[index]!.body) });
      } catch {
        // The connection died with its process: the payment's fate is read from the chain below.
      }
    };
    const round = (instances: { url: string }[], from: number, count: number) =>
      Promise.all(Array.from({ length: count }, (_, k) => send(instances[k % instances.length]!.url, from + k)));
    const heldBy = async (instances: { url: string }[]) =>
      (await Promise.all(instances.map(leasesOf))).map((l) => l.sort());
    const holdsAll = async (instances: { url: string }[]) =>
      (await heldBy(instances)).flat().sort().join() === [...signers].sort().join() ? true : undefined;
    // Blocks every 2 s, so transactions wait in the mempool when a process dies.
    await setAutomine(false);
    await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [2_000] as never });
    try {
      // Every instance is configured with all three keys; the leases spread one per instance, whoever started first.
      const a = await spawn(keys);
      await until(async () => ((await leasesOf(a)).length === 3 ? true : undefined), "a alone holds every key");
      const b = await spawn(keys);
      const c = await spawn(keys);
      await until(
        async () => ((await heldBy([a, b, c])).every((h) => h.length === 1) ? holdsAll([a, b, c]) : undefined),
        "one key each",
        20_000,
      );
      const [keyOfA, keyOfB] = [(await leasesOf(a))[0], (await leasesOf(b))[0]];

      // Round 1: all three serve; a is killed while its batches wait for a block.
      const first = round([a, b, c], 0, 12);
      await new Promise((resolve) => setTimeout(resolve, 500));
      a.child.kill("SIGKILL");
      await first;
      await until(async () => holdsAll([b, c]), "a's key taken over by b or c", 30_000);
      // Round 2: b and c serve; b is killed in turn.
      const second = round([b, c], 12, 12);
      await new Promise((resolve) => setTimeout(resolve, 500));
      b.child.kill("SIGKILL");
      await second;
      await until(async () => holdsAll([c]), "c holds every key", 30_000);
      assert.ok((await leasesOf(c)).includes(keyOfA as string) && (await leasesOf(c)).includes(keyOfB as string));

      // Round 3: c alone; then every payment is sent again to c (a retry is idempotent).
      await round([c], 24, 12);
      const retries = await Promise.all(payments.map((p) => post(c.url, p.body)));
      for (const [i, r] of retries.entries()) assert.equal(r.success, true, `payment ${i}: ${JSON.stringify(r)}`);
      for (const [i, p] of payments.entries()) {
        assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1, `payment ${i}: authorization used once`);
      }
      for (const { index, answer } of answered) {
        if (answer.success !== true) continue;
        assert.equal(answer.transaction, retries[index]!.transaction, `payment ${index}: one transaction`);
        const receipt = await chain.publicClient.getTransactionReceipt({ hash: answer.transaction as Hex });
        assert.equal(receipt.status, "success", "no caller got success for a payment that did not settle");
      }
      // c's callers kept their connections through both deaths: each was answered, with success.
      for (const index of [2, 5, 8, 11, 13, 15, 17, 19, 21, 23]) {
        const got = answered.find((x) => x.index === index)?.answer;
        assert.equal(got?.success, true, `payment ${index}, sent to c: ${JSON.stringify(got)}`);
      }
      const senders = new Set(
        await Promise.all(
          retries.map(async (r) =>
            (await chain.publicClient.getTransactionReceipt({ hash: r.transaction as Hex })).from.toLowerCase(),
          ),
        ),
      );
      assert.ok(senders.size >= 2, "the payments went out under more than one key");
      // The survivor answers GET /settlements/:id for payments the dead instances admitted.
      for (const index of [0, 3, 12]) {
        const id = (retries[index] as { extensions?: { settlement?: { id?: string } } }).extensions?.settlement?.id;
        assert.ok(id, `payment ${index} names its settlement`);
        const view = (await (await fetch(`${c.url}/settlements/${id}`)).json()) as {
          status?: string;
          transaction?: string;
        };
        assert.deepEqual([view.status, view.transaction], ["confirmed", retries[index]!.transaction]);
      }
      const sum = payments.reduce((total, p) => total + p.value, 0n);
      assert.equal(await balanceOf(token, payTo), before + sum, "the payee got exactly the sum of the payments");
      c.child.kill("SIGTERM");
      assert.equal(await c.exited, 0, c.output());
    } finally {
      await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [0] as never });
      await setAutomine(true);
    }
  });

  test("behavior: an instance joining under load gets a key handed over once its lane is idle; every payment settles once", async () => {
    url = await server.database();
    mode = {
      X402KIT_MODE: "batched",
      X402KIT_ROUTER: router,
      X402KIT_BATCH_MAX_ITEMS: "3",
      X402KIT_BATCH_MAX_WAIT_MS: "0",
    };
    const keys = [keyA, keyB];
    const payments = await Promise.all(Array.from({ length: 24 }, () => sign()));
    const before = await balanceOf(token, payTo);
    await setAutomine(false);
    await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [1_000] as never });
    try {
      const a = await spawn(keys);
      await until(async () => ((await leasesOf(a)).length === 2 ? true : undefined), "a holds both keys");
      // Payments keep going to a while b starts: a hands one key over, its lane drained first.
      const load = (async () => {
        const answers: Answer[] = [];
        for (let i = 0; i < payments.length; i += 4) {
          answers.push(...(await Promise.all(payments.slice(i, i + 4).map((p) => post(a.url, p.body)))));
        }
        return answers;
      })();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const b = await spawn(keys);
      await until(
        async () => ((await leasesOf(a)).length === 1 && (await leasesOf(b)).length === 1 ? true : undefined),
        "one key each",
        20_000,
      );
      const answers = await load;
      for (const [i, r] of answers.entries()) assert.equal(r.success, true, `payment ${i}: ${JSON.stringify(r)}`);
      for (const [i, p] of payments.entries()) {
        assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1, `payment ${i}: authorization used once`);
      }
      const metrics = await (await fetch(`${a.url}/metrics`)).text();
      assert.match(metrics, /x402kit_signer_lease_changes_total\{change="handed_over",takeover="false"\} 1/);
      const sum = payments.reduce((total, p) => total + p.value, 0n);
      assert.equal(await balanceOf(token, payTo), before + sum, "the payee got exactly the sum of the payments");
      for (const child of [b, a]) {
        child.child.kill("SIGTERM");
        assert.equal(await child.exited, 0, child.output());
      }
    } finally {
      await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [0] as never });
      await setAutomine(true);
    }
  });

  test("default: on SQLite the one instance holds every lease; /health lists them, /metrics counts them", async () => {
    const f = await startFacilitator({
      privateKeys: [keyA, keyB],
      networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
      signerLeases: true,
      leaseTtlMs: TTL_MS,
    });
    try {
      const health = (await f.get("/health")).body as Health & { store?: { reachable: boolean } };
      assert.equal(health.status, "ok");
      assert.deepEqual(
        health.leases?.map((l) => l.signer.toLowerCase()).sort(),
        [signerA.toLowerCase(), signerB.toLowerCase()].sort(),
      );
      assert.equal(health.store?.reachable, true);
      const payments = await Promise.all([sign(), sign(), sign()]);
      const answers = await Promise.all(payments.map((p) => f.post("/settle", p.body)));
      for (const a of answers) assert.equal((a.body as Answer).success, true, JSON.stringify(a.body));
      const metrics = (await f.get("/metrics")).text;
      assert.match(metrics, /x402kit_signer_lease_changes_total\{change="acquired",takeover="false"\} 2/);
      assert.match(metrics, /x402kit_signer_leases_held 2/);
      assert.match(metrics, /x402kit_store_latency_seconds_count \d+/);
    } finally {
      await f.close();
    }
  });

  test("behavior: a holder paused past its lease's expiry wakes up fenced off: it signs nothing more for that signer", async () => {
    url = await server.database();
    mode = {};
    const before = await balanceOf(token, payTo);
    const a = await spawn([keyA]);
    await until(async () => ((await leasesOf(a)).join() === signerA.toLowerCase() ? true : undefined), "a holds A");
    const b = await spawn([keyB, keyA]);
    await until(async () => ((await leasesOf(b)).join() === signerB.toLowerCase() ? true : undefined), "b holds B");
    const inFlight = await Promise.all([sign(), sign()]);
    const later = await Promise.all([sign(), sign(), sign()]);
    try {
      await setAutomine(false);
      const sentBefore = await pendingNonce(signerA);
      const waitingOnA = Promise.all(inFlight.map((p) => post(a.url, p.body)));
      await until(
        async () => ((await pendingNonce(signerA)) === sentBefore + 2 ? true : undefined),
        "a broadcast its transactions",
      );
      // a stops (a GC pause, a frozen VM) with its transactions in flight, and stays stopped past its lease.
      a.child.kill("SIGSTOP");
      await until(
        async () => ((await leasesOf(b)).includes(signerA.toLowerCase()) ? true : undefined),
        "b takes A over",
        30_000,
      );
      await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [200] as never });
      // b signs for A now; then a wakes up still believing it holds A.
      const viaB = await Promise.all(later.map((p) => post(b.url, p.body)));
      for (const answer of viaB) assert.equal(answer.success, true, JSON.stringify(answer));
      const sentByB = await pendingNonce(signerA);
      a.child.kill("SIGCONT");
      await until(async () => (/signer lease lost/.test(a.output()) ? true : undefined), "a finds its lease gone");
      assert.deepEqual(await leasesOf(a), [], "a holds nothing");
      // a's callers are answered from the journal, with the transactions that settled their payments.
      for (const answer of await waitingOnA) assert.equal(answer.success, true, JSON.stringify(answer));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(await pendingNonce(signerA), sentByB, "a signed nothing for A after it woke up");
    } finally {
      await chain.publicClient.request({ method: "evm_setIntervalMining" as never, params: [0] as never });
      await setAutomine(true);
    }
    const everything = [...inFlight, ...later];
    for (const [i, p] of everything.entries()) {
      assert.equal(await usesOf(p.from, p.payload.authorization.nonce), 1, `payment ${i}: authorization used once`);
    }
    assert.equal(await balanceOf(token, payTo), before + everything.reduce((total, p) => total + p.value, 0n));
    for (const child of [a, b]) {
      child.child.kill("SIGTERM");
      assert.equal(await child.exited, 0, child.output());
    }
  });
});
