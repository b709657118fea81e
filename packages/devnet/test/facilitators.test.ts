/**
 * `startDevnet({ facilitators: 2 })`: the devnet's facilitator writes the journal on an embedded Postgres and a second
 * `x402kit-facilitator` process serves beside it as a standby. A payment sent to the standby is admitted into the
 * journal, sent by the writer and answered by the standby; the same payment sent to both afterwards is the one
 * settlement. The environment lists both instances, and stopping the devnet stops the standby process and Postgres.
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

  test("default: the standby admits for the writer; every instance gives the payment's one answer", async () => {
    const [writer, standby] = devnet.facilitators;
    assert.ok(writer && standby);
    assert.deepEqual(
      devnet.facilitators.map((f) => f.role),
      ["writer", "standby"],
    );
    assert.equal(devnet.env.FACILITATOR_URLS, `${writer.url},${standby.url}`);
    assert.equal(devnet.env.FACILITATOR_PIDS, `${writer.pid},${standby.pid}`);
    assert.equal(((await (await fetch(`${standby.url}/health`)).json()) as { role?: string }).role, "standby");
    assert.equal(((await (await fetch(`${writer.url}/health`)).json()) as { role?: string }).role, "writer");

    // A real 402 of the demo API, paid straight to the standby.
    const unpaid = await fetch(`${devnet.demoApiUrl}/weather`);
    assert.equal(unpaid.status, 402);
    const paymentRequired = decodePaymentRequiredHeader(unpaid.headers.get("PAYMENT-REQUIRED") as string);
    const payer = privateKeyToAccount(devnet.accounts.payers[0]!.privateKey);
    const { paymentPayload } = await createPaymentPayload({ signer: payer, paymentRequired: paymentRequired as never });
    const body = JSON.stringify({
      x402Version: 2,
      paymentPayload,
      paymentRequirements: (paymentPayload as { accepted: unknown }).accepted,
    });
    const settle = async (url: string) =>
      (await (
        await fetch(`${url}/settle`, { method: "POST", headers: { "content-type": "application/json" }, body })
      ).json()) as { success: boolean; transaction: `0x${string}`; errorReason?: string };
    const viaStandby = await settle(standby.url);
    assert.equal(viaStandby.success, true, JSON.stringify(viaStandby));
    const client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
    const receipt = await client.getTransactionReceipt({ hash: viaStandby.transaction });
    assert.equal(receipt.status, "success");
    assert.equal(receipt.from.toLowerCase(), devnet.accounts.facilitator.address.toLowerCase(), "the writer sent it");
    // The same payment again, to both: the one settlement's answer.
    const again = await Promise.all([settle(writer.url), settle(standby.url)]);
    for (const answer of again) assert.deepEqual([answer.success, answer.transaction], [true, viaStandby.transaction]);

    await devnet.stop();
    assert.equal(isProcessAlive(standby.pid), false, "the standby process stopped with the devnet");
  });
});
