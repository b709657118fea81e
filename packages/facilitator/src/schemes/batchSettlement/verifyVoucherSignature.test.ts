import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { voucherTypes } from "@x402kit/signer/batch-settlement";
import { createPublicClient, type Hex, hashTypedData, http, keccak256, toHex, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { batchSettlementDomain, computeChannelId } from "./channel.js";
import type { ChannelConfig } from "./schemas.js";
import { verifyVoucherSignature, voucherDigest } from "./verifyVoucherSignature.js";

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

  test("property: the precomputed voucher digest is hashTypedData's, over chains, channels and amounts", () => {
    for (let i = 0; i < 200; i++) {
      const id = keccak256(toHex(`channel ${i}`));
      const chain = [1, 8453, 84532, 31337, 2 ** 31 + i][i % 5] as number;
      const amount = BigInt(keccak256(toHex(`amount ${i}`))) >> BigInt(128 + (i % 128));
      const expected = hashTypedData({
        domain: batchSettlementDomain(chain),
        types: voucherTypes,
        primaryType: "Voucher",
        message: { channelId: id, maxClaimableAmount: amount },
      });
      assert.equal(voucherDigest(chain, id, amount), expected, `chain ${chain}, amount ${amount}`);
    }
  });

  test("behavior: an amount beyond uint128 or a channel id that is not 32 bytes never verifies", async () => {
    const c = config();
    const id = computeChannelId(c, chainId);
    const signature = await sign(payer, id, 5n);
    assert.equal(await check(c, signature, 2n ** 128n), false);
    assert.equal(
      await verifyVoucherSignature(offline, {
        config: c,
        channelId: `${id}00` as Hex,
        maxClaimableAmount: "5",
        signature,
        chainId,
      }),
      false,
    );
  });
});
