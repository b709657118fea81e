import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { voucherTypes } from "@x402kit/signer/batch-settlement";
import { createPublicClient, type Hex, http, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { batchSettlementDomain, computeChannelId } from "./channel.js";
import type { ChannelConfig } from "./schemas.js";
import { verifyVoucherSignature } from "./verifyVoucherSignature.js";

// A real client on a port nothing listens on: whatever needs the node fails, whatever is answered locally passes.
const offline = createPublicClient({ transport: http("http://127.0.0.1:9/", { retryCount: 0, timeout: 2_000 }) });
const chainId = 84532;
const payer = privateKeyToAccount(generatePrivateKey());
const other = privateKeyToAccount(generatePrivateKey());
const config = (overrides: Partial<ChannelConfig> = {}): ChannelConfig => ({
  payer: payer.address,
  payerAuthorizer: zeroAddress,
  receiver: "0x00000000000000000000000000000000000000b0",
  receiverAuthorizer: "0x00000000000000000000000000000000000000b1",
  token: "0x00000000000000000000000000000000000000b2",
  withdrawDelay: 900,
  salt: `0x${"00".repeat(31)}01`,
  ...overrides,
});
const sign = (by: typeof payer, channelId: Hex, max: bigint) =>
  by.signTypedData({
    domain: batchSettlementDomain(chainId),
    types: voucherTypes,
    primaryType: "Voucher",
    message: { channelId, maxClaimableAmount: max },
  });
const check = async (c: ChannelConfig, signature: string, max = 5n) =>
  verifyVoucherSignature(offline, {
    config: c,
    channelId: computeChannelId(c, chainId),
    maxClaimableAmount: max.toString(),
    signature,
    chainId,
  });

describe("verifyVoucherSignature", () => {
  test("default: the payer's ECDSA voucher is answered without the node", async () => {
    const c = config();
    assert.equal(await check(c, await sign(payer, computeChannelId(c, chainId), 5n)), true);
  });

  test("behavior: a voucher of another key, or for another amount, goes to the node (here: unreachable, so refused)", async () => {
    const c = config();
    const id = computeChannelId(c, chainId);
    assert.equal(await check(c, await sign(other, id, 5n)), false);
    assert.equal(await check(c, await sign(payer, id, 6n), 5n), false);
    assert.equal(await check(c, "0x1234"), false, "malformed bytes");
  });

  test("behavior: with a payerAuthorizer, only that key's signature verifies, locally", async () => {
    const c = config({ payerAuthorizer: other.address });
    const id = computeChannelId(c, chainId);
    assert.equal(await check(c, await sign(other, id, 5n)), true);
    assert.equal(await check(c, await sign(payer, id, 5n)), false, "the payer itself is not the authorizer");
  });
});
