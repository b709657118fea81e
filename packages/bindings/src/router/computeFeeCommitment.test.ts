import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hashStruct, keccak256, toHex } from "viem";
import { computeFeeCommitment } from "./computeFeeCommitment.js";
import { FEE_COMMITMENT_TYPEHASH, feeCommitmentTypes } from "./feeCommitmentTypes.js";

// The router's pinned vector, also asserted by test/solidity/settlement/BatchSettlementRouterFees.t.sol.
const vector = {
  chainId: 84532n,
  router: "0x1000000000000000000000000000000000000001",
  payTo: "0x2000000000000000000000000000000000000002",
  fee: 1000n,
  feeRecipient: "0x3000000000000000000000000000000000000003",
  salt: "0x0000000000000000000000000000000000000000000000000000000000000001",
} as const;
const expected = "0xea49826df16298f2e6d817e34e83f7b482b3b3a381c10694dc692f47df4dfed6";

describe("FEE_COMMITMENT_TYPEHASH", () => {
  test("default: keccak256 of the FeeCommitment type string, as EIP-712 encodes feeCommitmentTypes", () => {
    assert.equal(
      FEE_COMMITMENT_TYPEHASH,
      keccak256(
        toHex(
          "FeeCommitment(uint256 chainId,address router,address payTo,uint256 fee,address feeRecipient,bytes32 salt)",
        ),
      ),
    );
    // hashStruct of an all-zero struct of static fields is keccak256(typeHash ‖ zero words).
    const zero = {
      chainId: 0n,
      router: "0x0000000000000000000000000000000000000000",
      payTo: "0x0000000000000000000000000000000000000000",
      fee: 0n,
      feeRecipient: "0x0000000000000000000000000000000000000000",
      salt: `0x${"00".repeat(32)}`,
    } as const;
    assert.equal(
      hashStruct({ data: zero, primaryType: "FeeCommitment", types: feeCommitmentTypes }),
      keccak256(`${FEE_COMMITMENT_TYPEHASH}${"00".repeat(32 * 6)}`),
    );
  });
});

describe("computeFeeCommitment", () => {
  test("default: the router's test vector, equal to the EIP-712 hashStruct", () => {
    assert.equal(computeFeeCommitment(vector), expected);
    assert.equal(computeFeeCommitment({ ...vector, chainId: 84532 }), expected);
    assert.equal(hashStruct({ data: vector, primaryType: "FeeCommitment", types: feeCommitmentTypes }), expected);
  });

  test("behavior: every field changes the nonce", () => {
    const changes = [
      { chainId: 8453n },
      { router: "0x1000000000000000000000000000000000000009" },
      { payTo: "0x2000000000000000000000000000000000000009" },
      { fee: 1001n },
      { feeRecipient: "0x3000000000000000000000000000000000000009" },
      { salt: `0x${"00".repeat(31)}02` },
    ] as const;
    const nonces = new Set(changes.map((change) => computeFeeCommitment({ ...vector, ...change })));
    assert.equal(nonces.size, changes.length);
    assert.ok(!nonces.has(expected));
  });

  test("behavior: refuses a malformed address, a short salt and a negative fee (viem errors)", () => {
    assert.throws(() => computeFeeCommitment({ ...vector, payTo: "0x1234" }), { name: "InvalidAddressError" });
    assert.throws(() => computeFeeCommitment({ ...vector, salt: "0x01" }), {
      name: "AbiEncodingBytesSizeMismatchError",
    });
    assert.throws(() => computeFeeCommitment({ ...vector, fee: -1n }), { name: "IntegerOutOfRangeError" });
  });
});
