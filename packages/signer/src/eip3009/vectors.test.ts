/**
 * Deterministic EIP-3009 vectors: a fixed key and fixed fields give exactly these digests and
 * signatures. The values were produced by viem and cross-checked against ethers v6, which the last
 * test re-does live.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TypedDataEncoder, Wallet } from "ethers";
import { domainSeparator, recoverTypedDataAddress } from "viem";
import { baseSepoliaUsdc, baseUsdc, fixedNonce, payee, payer, privateKeys } from "../../test/constants.js";
import { buildAuthorizationTypedData } from "./buildAuthorizationTypedData.js";
import { hashAuthorization } from "./hashAuthorization.js";
import { signCancelAuthorization } from "./signCancelAuthorization.js";
import { signReceiveWithAuthorization } from "./signReceiveWithAuthorization.js";
import { signTransferWithAuthorization } from "./signTransferWithAuthorization.js";
import type { TransferAuthorization } from "./types.js";

const domain = {
  name: baseSepoliaUsdc.name,
  version: baseSepoliaUsdc.version,
  chainId: baseSepoliaUsdc.chainId,
  verifyingContract: baseSepoliaUsdc.address,
} as const;
const authorization: TransferAuthorization = {
  from: payer.address,
  to: payee.address,
  value: 10_000n,
  validAfter: 1_700_000_000n,
  validBefore: 1_700_000_060n,
  nonce: fixedNonce,
};

const vectors = {
  transfer: {
    digest: "0xc421edd11745d0af123fae75906e513d8f73623c97b0b1f8445072ae0e5f15bf",
    signature:
      "0x17c4d79171bd131e8c0ed592d377fa6c9d6b93b88115322b1471ae78ead24ac91701767ef520470f1b46be51302f2bf1f6df31fff3b7a0c9cd373b9c3d6cc3f41c",
  },
  receive: {
    digest: "0xeaf2f8a172df684ebcf466597c36e100977a1ed5580b2dcb7145df77e4d9e081",
    signature:
      "0xf02d18ebb482ead73c7aae27ab67eb9a940decd54450fbf67a41782114e1d5b51a2834dba360e2dc510942be7902ab9253a94a05f4813ecb8ef789923e026f2d1b",
  },
  cancel: {
    signature:
      "0xa1e345d74e5ce872d4d59819b9011576f50944e3d71ca8baf76f1990bb03df0719b18a8bb64ca0b4b7e6e6879c76d1b9d4ebf1cb4d5ba3e3ef2539407f9ce1c41c",
  },
} as const;

describe("EIP-712 domain separators", () => {
  // x402 notes §4.1: pinned, because a wrong name ("USDC" vs "USD Coin") silently breaks settlement.
  test("behavior: Base USDC and Base Sepolia USDC", () => {
    const separator = (token: typeof baseUsdc | typeof baseSepoliaUsdc) =>
      domainSeparator({
        domain: { name: token.name, version: token.version, chainId: token.chainId, verifyingContract: token.address },
      });
    assert.equal(separator(baseUsdc), "0x02fa7265e7c5d81118673727957699e4d68f74cd74b7db77da710fe8a2c7834f");
    assert.equal(separator(baseSepoliaUsdc), "0x71f17a3b2ff373b803d70a5a07c046c1a2bc8e89c09ef722fcb047abe94c9818");
  });
});

describe("signTransferWithAuthorization", () => {
  test("default: fixed key gives the exact signature", async () => {
    const result = await signTransferWithAuthorization({ signer: payer, domain, authorization });
    assert.equal(result.signature, vectors.transfer.signature);
    assert.deepEqual(result.authorization, authorization);
  });

  test("behavior: digest vector and recover round trip", async () => {
    const message = authorization;
    assert.equal(
      hashAuthorization({ primaryType: "TransferWithAuthorization", domain, message }),
      vectors.transfer.digest,
    );
    const recovered = await recoverTypedDataAddress({
      ...buildAuthorizationTypedData({ primaryType: "TransferWithAuthorization", domain, message }),
      signature: vectors.transfer.signature,
    });
    assert.equal(recovered, payer.address);
  });
});

describe("signReceiveWithAuthorization", () => {
  test("default: fixed key gives the exact signature", async () => {
    const result = await signReceiveWithAuthorization({ signer: payer, domain, authorization });
    assert.equal(result.signature, vectors.receive.signature);
    assert.equal(
      hashAuthorization({ primaryType: "ReceiveWithAuthorization", domain, message: authorization }),
      vectors.receive.digest,
    );
  });
});

describe("signCancelAuthorization", () => {
  test("default: fixed key gives the exact signature", async () => {
    const result = await signCancelAuthorization({ signer: payer, domain, authorization: { nonce: fixedNonce } });
    assert.equal(result.signature, vectors.cancel.signature);
    assert.deepEqual(result.authorization, { authorizer: payer.address, nonce: fixedNonce });
  });
});

describe("independent implementation (ethers v6)", () => {
  test("behavior: same digests and signatures for all three types", async () => {
    const wallet = new Wallet(privateKeys[0]);
    for (const primaryType of [
      "TransferWithAuthorization",
      "ReceiveWithAuthorization",
      "CancelAuthorization",
    ] as const) {
      const message =
        primaryType === "CancelAuthorization" ? { authorizer: payer.address, nonce: fixedNonce } : authorization;
      const typedData = buildAuthorizationTypedData({ primaryType, domain, message } as never) as {
        types: Record<string, readonly { name: string; type: string }[]>;
      };
      const types = { [primaryType]: [...(typedData.types[primaryType] ?? [])] };
      assert.equal(
        TypedDataEncoder.hash(domain, types, message),
        hashAuthorization({ primaryType, domain, message } as never),
        primaryType,
      );
      const expected = {
        TransferWithAuthorization: vectors.transfer.signature,
        ReceiveWithAuthorization: vectors.receive.signature,
        CancelAuthorization: vectors.cancel.signature,
      }[primaryType];
      assert.equal(await wallet.signTypedData(domain, types, message), expected, primaryType);
    }
  });
});
