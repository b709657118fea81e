/**
 * A batch-settlement resource server that cannot lose money: the official `@x402/hono` server and the official
 * facilitator and client (unmodified, `./helpers/batchSettlementStack.ts`), with x402kit's SQLite `ChannelStorage`
 * and claim scheduler (`@x402kit/facilitator/channels`). The scheduler claims a channel once its unclaimed value
 * crosses the threshold (and not before), claims at once a channel whose payer initiated a withdrawal on chain, and
 * after the resource server restarts on the same file, claims the rest on shutdown. The payee ends with exactly the
 * sum paid. Balances and channel state are read from the chain.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { testUsdcAbi, x402BatchSettlementAbi } from "@x402kit/bindings";
import { createChannelScheduler, createSqliteChannelStorage } from "@x402kit/facilitator/channels";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Devnet, startDevnet } from "../src/index.js";
import { type BatchSettlementStack, PRICE, payee, startBatchSettlementStack } from "./helpers/batchSettlementStack.js";

describe("batch-settlement with x402kit's channel storage and claim scheduler", () => {
  let devnet: Devnet;
  let client: ReturnType<typeof createPublicClient>;
  const dir = mkdtempSync(join(tmpdir(), "x402kit-channels-e2e-"));
  const path = join(dir, "channels.sqlite");
  const stacks: BatchSettlementStack[] = [];

  before(async () => {
    devnet = await startDevnet({ accounts: 3 });
    client = createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });
  });
  after(async () => {
    for (const stack of stacks) await stack.close();
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const balanceOf = (address: Address) =>
    client.readContract({
      address: devnet.contracts.token.address,
      abi: testUsdcAbi,
      functionName: "balanceOf",
      args: [address],
    });
  const claimed = async (channelId: Hex) =>
    (
      await client.readContract({
        address: devnet.contracts.batchSettlement,
        abi: x402BatchSettlementAbi,
        functionName: "channels",
        args: [channelId],
      })
    )[1];

  test("claims at the threshold, at once on a withdrawal request, and the rest on shutdown after a restart", async () => {
    const payers = devnet.accounts.payers.map((payer) => privateKeyToAccount(payer.privateKey));
    const payeeBefore = await balanceOf(payee);
    const chain = { publicClient: client, batchSettlement: devnet.contracts.batchSettlement };

    // Resource server #1.
    let storage = createSqliteChannelStorage({ path });
    const first = await startBatchSettlementStack(devnet, { storage });
    stacks.push(first);
    const scheduler = createChannelScheduler({
      manager: first.manager,
      storage,
      policy: { channelThreshold: 3n * PRICE },
      chain,
    });
    const requests = [3, 1, 1];
    const channels = payers.map((payer) => first.payingFetch(payer));
    for (const [i, { pay }] of channels.entries()) {
      for (let r = 0; r < (requests[i] ?? 0); r++) {
        const response = await pay(`${first.resourceUrl}/data`);
        assert.equal(response.status, 200, await response.clone().text());
      }
    }
    const [a, b, c] = channels as [(typeof channels)[0], (typeof channels)[0], (typeof channels)[0]];

    // Only the channel at the threshold is claimed, and swept to the payee.
    const tick1 = await scheduler.tick();
    assert.equal(tick1.unclaimed, 5n * PRICE);
    assert.deepEqual(
      tick1.claims.map((claim) => [claim.channelId, claim.reason]),
      [[a.channelId.toLowerCase(), "channelThreshold"]],
    );
    assert.equal(tick1.transactions.length, 1);
    assert.ok(tick1.settled);
    assert.deepEqual(await Promise.all([a, b, c].map((ch) => claimed(ch.channelId))), [3n * PRICE, 0n, 0n]);
    assert.equal(await balanceOf(payee), payeeBefore + 3n * PRICE);
    assert.deepEqual((await scheduler.tick()).claims, [], "nothing more under the threshold");

    // Payer b starts a withdrawal on chain; the resource server has not heard of it, the scheduler claims it at once.
    const wallet = createWalletClient({ account: payers[1]!, chain: devnet.chain, transport: http(devnet.rpcUrl) });
    const hash = await wallet.writeContract({
      address: devnet.contracts.batchSettlement,
      abi: x402BatchSettlementAbi,
      functionName: "initiateWithdraw",
      args: [b.channelConfig, 50_000n],
    });
    assert.equal((await client.waitForTransactionReceipt({ hash })).status, "success");
    const tick2 = await scheduler.tick();
    assert.deepEqual(
      tick2.claims.map((claim) => [claim.channelId, claim.reason]),
      [[b.channelId.toLowerCase(), "withdrawal"]],
    );
    assert.equal(tick2.atRisk, PRICE);
    assert.equal(await claimed(b.channelId), PRICE);
    const metrics = await scheduler.registry.metrics();
    assert.match(metrics, new RegExp(`x402kit_channels_value_at_risk ${PRICE}`));
    assert.match(metrics, /x402kit_channel_claims_total\{reason="withdrawal"\} 1/);
    await scheduler.stop({ flush: false });

    // Resource server #2 on the same file: c's voucher survived the restart and is claimed on shutdown.
    await first.close();
    storage.close();
    storage = createSqliteChannelStorage({ path });
    const second = await startBatchSettlementStack(devnet, { storage });
    stacks.push(second);
    const restarted = createChannelScheduler({ manager: second.manager, storage, policy: {}, chain });
    const flushed = await restarted.stop();
    assert.deepEqual(
      flushed?.claims.map((claim) => [claim.channelId, claim.reason]),
      [[c.channelId.toLowerCase(), "flush"]],
    );
    assert.equal(await claimed(c.channelId), PRICE);
    assert.equal(await balanceOf(payee), payeeBefore + 5n * PRICE, "the payee got exactly the sum paid");
    storage.close();
  });
});
