import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import { privateKeyToAccount } from "viem/accounts";
import type { FacilitatorEvent } from "../src/events/createFacilitatorEvents.js";
import { deployTestUsdc, HARDHAT_KEYS, localChain, signPayment, type Token, v2Body } from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { until } from "./helpers/until.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;

describe("facilitator.events (direct mode, local chain)", () => {
  let node: HardhatNode;
  let token: Token;
  let f: RunningFacilitator;
  const events: FacilitatorEvent[] = [];

  before(async () => {
    node = await startHardhatNode({ chainId: 31337 });
    token = await deployTestUsdc(localChain(node.rpcUrl, node.chainId), [payer.address]);
    f = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[1]],
      networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl }],
    });
    f.facilitator.events.subscribe((event) => events.push(event));
  });
  after(async () => {
    await f?.close();
    await node?.stop();
  });

  test("default: verify, journal states, the mined transaction and the settle answer, in order", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 1_000n });
    const body = v2Body(token, payload, payTo, 1_000n);
    assert.equal((await f.post("/verify", body)).body.isValid, true);
    const settle = await f.post("/settle", body);
    assert.equal(settle.body.success, true, JSON.stringify(settle.body));
    await until(
      async () => events.find((e) => e.type === "settlement" && e.settlement.status === "confirmed"),
      "the confirmed settlement event",
      5_000,
    );

    const verified = events.find((e) => e.type === "verified");
    assert.ok(verified?.type === "verified");
    assert.equal(verified.isValid, true);
    assert.equal(verified.payer, payer.address);
    assert.equal(verified.nonce, (payload.authorization as { nonce: string }).nonce);
    assert.equal(verified.amount, "1000");

    const mined = events.find((e) => e.type === "transactionMined");
    assert.ok(mined?.type === "transactionMined");
    assert.equal(mined.hash, settle.body.transaction);
    assert.equal(mined.kind, "direct");
    assert.equal(mined.items, 1);
    assert.ok(BigInt(mined.gasUsed) > 21_000n);

    const states = events.flatMap((e) => (e.type === "settlement" ? [e.settlement.status] : []));
    assert.equal(states.at(-1), "confirmed");
    assert.ok(states.indexOf("submitted") < states.indexOf("confirmed"), states.join(","));
    const confirmed = events.find((e) => e.type === "settlement" && e.settlement.status === "confirmed");
    assert.ok(confirmed?.type === "settlement");
    assert.equal(confirmed.settlement.transaction, settle.body.transaction);
    assert.equal(confirmed.settlement.payer, payer.address);

    const answered = events.find((e) => e.type === "settleAnswered");
    assert.ok(answered?.type === "settleAnswered");
    assert.equal(answered.success, true);
    assert.equal(answered.transaction, settle.body.transaction);
  });

  test("behavior: an invalid verification carries its reason", async () => {
    const payload = await signPayment({ token, payer, payTo, value: 1_000n });
    const body = v2Body(token, payload, payTo, 2_000n); // signed for 1,000, required 2,000
    const answer = await f.post("/verify", body);
    assert.equal(answer.body.isValid, false);
    const verified = events.filter((e) => e.type === "verified").at(-1);
    assert.ok(verified?.type === "verified");
    assert.equal(verified.isValid, false);
    assert.equal(verified.reason, answer.body.invalidReason);
    assert.equal(verified.amount, "2000");
  });
});
