/**
 * `startDevnet({ facilitators: 2 })`: the devnet's facilitator and a second `x402kit-facilitator` process share one
 * embedded Postgres journal and two signer keys under signer leases, one each. A payment sent to the second is sent
 * with its own key; the same payment sent to both afterwards is the one settlement. SIGKILLed, the second's key is
 * taken over by the first once its lease expires, and payments go on. The environment lists both instances, and
 * stopping the devnet stops Postgres.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { isProcessAlive } from "@x402kit/hardhat-node";
import { createPaymentPayload } from "@x402kit/signer";
import { createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, startDevnet } from "../src/index.js";

describe("a devnet with two facilitator instances on one Postgres journal", () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await startDevnet({ accounts: 1, demo: true, facilitators: 2, mode: "direct" });
  });
  after(async () => {
    await devnet?.stop();
  });

  test("default: one signer lease each; each sends with its own key; a SIGKILLed one's key is taken over", async () => {
    const [first, second] = devnet.facilitators;
    assert.ok(first && second);
    assert.deepEqual(
      devnet.facilitators.map((f) => f.role),
      ["leased", "leased"],
    );
    assert.deepEqual(
      devnet.facilitators.map((f) => f.signers.length),
      [1, 1],
    );
    assert.deepEqual(
      devnet.facilitators.flatMap((f) => f.signers).sort(),
      devnet.accounts.facilitatorSigners.map((a) => a.address.toLowerCase()).sort(),
    );
    assert.equal(devnet.env.FACILITATOR_URLS, `${first.url},${second.url}`);
    assert.equal(devnet.env.FACILITATOR_PIDS, `${first.pid},${second.pid}`);
    // The shared signer keys' leases (`/health` lists the batch-settlement sender's lease too, on one of them).
    const keys = new Set(devnet.accounts.facilitatorSigners.map((a) => a.address.toLowerCase()));
    const leasesOf = async (url: string) =>
      ((await (await fetch(`${url}/health`)).json()) as { leases: { signer: string }[] }).leases
        .map((l) => l.signer)
        .filter((s) => keys.has(s));
    assert.deepEqual(await leasesOf(second.url), second.signers);

    // A real 402 of the demo API, paid straight to the second instance.
    const payer = privateKeyToAccount(devnet.accounts.payers[0]!.privateKey);
    const bodyOf = async () => {
      const unpaid = await fetch(`${devnet.demoApiUrl}/weather`);
      assert.equal(unpaid.status, 402);
      const paymentRequired = decodePaymentRequiredHeader(unpaid.headers.get("PAYMENT-REQUIRED") as string);
      const { paymentPayload } = await createPaymentPayload({
        signer: payer,
        paymentRequired: paymentRequired as never,
      });
      return JSON.stringify({
        x402Version: 2,
        paymentPayload,
        paymentRequirements: (paymentPayload as { accepted: unknown }).accepted,
      });
    };
    const settle = async (url: string, body: string) =>
      (await (
        await fetch(`${url}/settle`, { method: "POST", headers: { "content-type": "application/json" }, body })
      ).json()) as { success: boolean; transaction: `0x${string}`; errorReason?: string };
    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    const senderOf = async (hash: `0x${string}`) => {
      const receipt = await client.getTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      return receipt.from.toLowerCase();
    };
    const body = await bodyOf();
    const viaSecond = await settle(second.url, body);
    assert.equal(viaSecond.success, true, JSON.stringify(viaSecond));
    assert.equal(await senderOf(viaSecond.transaction), second.signers[0], "sent with the second instance's own key");
    // The same payment again, to both: the one settlement's answer.
    const again = await Promise.all([settle(first.url, body), settle(second.url, body)]);
    for (const answer of again) assert.deepEqual([answer.success, answer.transaction], [true, viaSecond.transaction]);

    // A new payment sent to both instances at once: one settlement, and both callers get its one transaction.
    const fresh = await bodyOf();
    const both = await Promise.all([settle(first.url, fresh), settle(second.url, fresh)]);
    for (const answer of both) assert.equal(answer.success, true, JSON.stringify(answer));
    assert.equal(both[0]?.transaction, both[1]?.transaction, "both callers got the one transaction");

    // The second instance dies: after its lease expires (3 s) the first holds both keys and payments go on.
    process.kill(second.pid, "SIGKILL");
    const deadline = Date.now() + 20_000;
    while ((await leasesOf(first.url)).length < 2) {
      assert.ok(Date.now() < deadline, "the first instance did not take the dead one's key over within 20 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    const afterKill = await settle(first.url, await bodyOf());
    assert.equal(afterKill.success, true, JSON.stringify(afterKill));
    assert.ok([first.signers[0], second.signers[0]].includes((await senderOf(afterKill.transaction)) as never));

    await devnet.stop();
    assert.equal(isProcessAlive(second.pid), false);
  });
});
