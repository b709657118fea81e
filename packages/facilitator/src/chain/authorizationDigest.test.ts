import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { transferWithAuthorizationTypes } from "@x402kit/signer";
import { hashTypedData, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { authorizationDigest, domainSeparator } from "./authorizationDigest.js";
import { recoverAuthorizer, recoveryBackend, splitSignature } from "./recoverAuthorizer.js";

const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const domain = {
  name: "USDC",
  version: "2",
  chainId: 84532,
  verifyingContract: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
} as const;
const message = {
  from: account.address,
  to: "0x2222222222222222222222222222222222222222",
  value: 10_000n,
  validAfter: 0n,
  validBefore: 4_000_000_000n,
  nonce: keccak256(toHex("digest-test")),
} as const;

describe("authorizationDigest", () => {
  test("default: equals viem's hashTypedData over the signer's EIP-3009 type table", () => {
    const expected = hashTypedData({
      domain,
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message,
    });
    assert.equal(authorizationDigest(domain, message), expected);
  });

  test("behavior: pins the Base Sepolia USDC domain separator (research notes §4.1)", () => {
    assert.equal(domainSeparator(domain), "0x71f17a3b2ff373b803d70a5a07c046c1a2bc8e89c09ef722fcb047abe94c9818");
  });
});

describe("recoverAuthorizer", () => {
  test("default: recovers the payer of a signed authorization", async () => {
    const signature = await account.signTypedData({
      domain,
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message,
    });
    const split = splitSignature(signature);
    assert.ok(split);
    assert.equal(await recoverAuthorizer(authorizationDigest(domain, message), split), account.address);
    assert.match(recoveryBackend(), /libsecp256k1|viem/);
  });

  test("behavior: accepts v as 0/1 and returns it as 27/28", async () => {
    const signature = await account.signTypedData({
      domain,
      types: transferWithAuthorizationTypes,
      primaryType: "TransferWithAuthorization",
      message,
    });
    const v = Number.parseInt(signature.slice(130), 16);
    const compact = `${signature.slice(0, 130)}${(v - 27).toString(16).padStart(2, "0")}` as `0x${string}`;
    const split = splitSignature(compact);
    assert.equal(split?.v, v);
    assert.equal(await recoverAuthorizer(authorizationDigest(domain, message), split!), account.address);
  });

  test("behavior: rejects malleable high-s signatures, bad v and wrong lengths", () => {
    const r = "11".repeat(32);
    const highS = "ff".repeat(32);
    assert.equal(splitSignature(`0x${r}${highS}1b`), undefined);
    assert.equal(splitSignature(`0x${r}${"22".repeat(32)}1d`), undefined);
    assert.equal(splitSignature(`0x${r}${"22".repeat(32)}`), undefined);
    assert.ok(splitSignature(`0x${r}${"22".repeat(32)}1c`));
  });
});
