import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hashStruct, keccak256, toHex } from "viem";
import { computeUptoSettlerNonce } from "./computeUptoSettlerNonce.js";
import { UPTO_SETTLER_TYPEHASH, uptoSettlerTypes } from "./uptoSettlerTypes.js";

// The router's pinned vector, also asserted by test/solidity/settlement/BatchSettlementRouterPermit2.t.sol.
const vector = {
  chainId: 84532n,
  router: "0x1000000000000000000000000000000000000001",
  settler: "0x2000000000000000000000000000000000000002",
  salt: "0x0000000000000000000000000000000000000000000000000000000000000001",
} as const;
const expected = 0xed782cb7c8789f1b7add5f672c939b1afc3bf0cfd901b34394a15de989f58ca1n;

describe("UPTO_SETTLER_TYPEHASH", () => {
  test("default: keccak256 of the UptoSettler type string", () => {
    assert.equal(
      UPTO_SETTLER_TYPEHASH,
      keccak256(toHex("UptoSettler(uint256 chainId,address router,address settler,bytes32 salt)")),
    );
  });
});

describe("computeUptoSettlerNonce", () => {
  test("default: the router's test vector, equal to the EIP-712 hashStruct", () => {
    assert.equal(computeUptoSettlerNonce(vector), expected);
    assert.equal(computeUptoSettlerNonce({ ...vector, chainId: 84532 }), expected);
    assert.equal(BigInt(hashStruct({ data: vector, primaryType: "UptoSettler", types: uptoSettlerTypes })), expected);
  });

  test("behavior: every field changes the nonce", () => {
    const changes = [
      { chainId: 8453n },
      { router: "0x1000000000000000000000000000000000000009" },
      { settler: "0x2000000000000000000000000000000000000009" },
      { salt: `0x${"00".repeat(31)}02` },
    ] as const;
    const nonces = new Set(changes.map((change) => computeUptoSettlerNonce({ ...vector, ...change })));
    assert.equal(nonces.size, changes.length);
    assert.ok(!nonces.has(expected));
  });
});
