import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChannelRecord } from "./channelRecord.js";
import { planClaims, unclaimedValue } from "./planClaims.js";

const id = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const address = `0x${"11".repeat(20)}` as const;
const channel = (n: number, charged: bigint, claimed: bigint, fields: Partial<ChannelRecord> = {}): ChannelRecord => ({
  channelId: id(n),
  channelConfig: {
    payer: address,
    payerAuthorizer: address,
    receiver: address,
    receiverAuthorizer: address,
    token: address,
    withdrawDelay: 900,
    salt: `0x${"00".repeat(32)}`,
  },
  chargedCumulativeAmount: charged.toString(),
  signedMaxClaimable: charged.toString(),
  signature: "0x",
  balance: "1000000",
  totalClaimed: claimed.toString(),
  withdrawRequestedAt: 0,
  refundNonce: 0,
  lastRequestTimestamp: 1_000,
  ...fields,
});

describe("planClaims", () => {
  test("a channel is claimed once its unclaimed value reaches the channel threshold, not before", () => {
    const plan = planClaims([channel(1, 300n, 0n), channel(2, 299n, 0n), channel(3, 900n, 650n)], {
      policy: { channelThreshold: 300n },
      now: 2_000,
    });
    assert.deepEqual(plan.claims, [{ channelId: id(1), unclaimed: 300n, reason: "channelThreshold" }]);
    assert.equal(plan.unclaimed, 300n + 299n + 250n);
    assert.equal(plan.openChannels, 3);
    assert.equal(plan.atRisk, 0n);
  });

  test("all channels with value are claimed once their sum reaches the total threshold", () => {
    const channels = [channel(1, 100n, 0n), channel(2, 200n, 0n), channel(3, 50n, 50n)];
    assert.deepEqual(planClaims(channels, { policy: { totalThreshold: 301n }, now: 0 }).claims, []);
    const plan = planClaims(channels, { policy: { totalThreshold: 300n }, now: 0 });
    assert.deepEqual(
      plan.claims.map((c) => [c.channelId, c.reason]),
      [
        [id(1), "totalThreshold"],
        [id(2), "totalThreshold"],
      ],
    );
  });

  test("a withdrawal request, in the record or on chain, claims at once and counts as value at risk", () => {
    const plan = planClaims(
      [channel(1, 10n, 0n, { withdrawRequestedAt: 1_700_000_000 }), channel(2, 7n, 0n), channel(3, 5n, 0n)],
      {
        policy: { channelThreshold: 1_000n },
        withdrawing: new Set([id(2)]),
        now: 0,
      },
    );
    assert.deepEqual(
      plan.claims.map((c) => [c.channelId, c.reason]),
      [
        [id(1), "withdrawal"],
        [id(2), "withdrawal"],
      ],
    );
    assert.equal(plan.atRisk, 17n);
  });

  test("an idle channel with value is claimed after maxIdleMs; flush claims every channel with value", () => {
    const channels = [
      channel(1, 10n, 0n, { lastRequestTimestamp: 0 }),
      channel(2, 10n, 0n, { lastRequestTimestamp: 900 }),
      channel(3, 4n, 4n),
    ];
    assert.deepEqual(
      planClaims(channels, { policy: { maxIdleMs: 1_000 }, now: 1_000 }).claims.map((c) => c.reason),
      ["idle"],
    );
    assert.deepEqual(
      planClaims(channels, { policy: {}, now: 1_000, flush: true }).claims.map((c) => [c.channelId, c.reason]),
      [
        [id(1), "flush"],
        [id(2), "flush"],
      ],
    );
  });

  test("no policy and no flush claims nothing; a fully claimed channel is never claimed", () => {
    assert.deepEqual(planClaims([channel(1, 10n, 0n)], { policy: {}, now: 0 }).claims, []);
    assert.equal(unclaimedValue(channel(1, 5n, 9n)), 0n);
    assert.deepEqual(
      planClaims([channel(1, 5n, 5n, { withdrawRequestedAt: 1 })], { policy: {}, now: 0, flush: true }).claims,
      [],
    );
  });
});
