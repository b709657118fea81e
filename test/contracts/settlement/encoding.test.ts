import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { hashStruct, keccak256, parseSignature, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { typeHash } from "../../helpers/eip3009.js";
import { computeFeeCommitment } from "../../helpers/settlement/computeFeeCommitment.js";
import {
  FEE_COMMITMENT_TYPEHASH,
  FLAG_SIGNATURE_BYTES,
  FLAG_WIDE,
  failureReasons,
  feeCommitmentTypes,
} from "../../helpers/settlement/constants.js";
import { decodeSettlementResults } from "../../helpers/settlement/decodeSettlementResults.js";
import { encodeFeeSettlementBatch } from "../../helpers/settlement/encodeFeeSettlementBatch.js";
import type { SettlementItem } from "../../helpers/settlement/encodeSettlementBatch.js";
import { encodeSettlementBatch } from "../../helpers/settlement/encodeSettlementBatch.js";
import { SettlementEncodingError } from "../../helpers/settlement/errors.js";

const TOKEN = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const PAYEE = "0x2000000000000000000000000000000000000002";
const signer = privateKeyToAccount("0x00000000000000000000000000000000000000000000000000000000000a11ce");
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Bytes `[start, start + length)` of a hex string, as hex without 0x. */
const bytesAt = (hex: Hex, start: number, length: number) => hex.slice(2 + 2 * start, 2 + 2 * (start + length));

async function item(overrides: Partial<SettlementItem> = {}): Promise<SettlementItem> {
  const fields = {
    token: TOKEN,
    from: signer.address,
    to: PAYEE,
    value: 10_000n,
    validAfter: 1_750_000_000n,
    validBefore: 1_750_003_600n,
    nonce: keccak256(toHex("nonce")),
    ...overrides,
  } as const;
  const signature =
    overrides.signature ??
    (await signer.signMessage({ message: { raw: keccak256(toHex(JSON.stringify(fields, (_, v) => String(v)))) } }));
  return { ...fields, signature };
}

describe("fee commitment", () => {
  it("type hash is the EIP-712 type hash of FeeCommitment", () => {
    assert.equal(
      FEE_COMMITMENT_TYPEHASH,
      keccak256(
        toHex(
          "FeeCommitment(uint256 chainId,address router,address payTo,uint256 fee,address feeRecipient,bytes32 salt)",
        ),
      ),
    );
    assert.equal(FEE_COMMITMENT_TYPEHASH, typeHash(feeCommitmentTypes, "FeeCommitment"));
  });

  // The pinned vector, also asserted by test/solidity/settlement/BatchSettlementRouterFees.t.sol; the signer
  // package mirrors it.
  it("test vector", () => {
    const vector = {
      chainId: 84532n,
      router: "0x1000000000000000000000000000000000000001",
      payTo: "0x2000000000000000000000000000000000000002",
      fee: 1000n,
      feeRecipient: "0x3000000000000000000000000000000000000003",
      salt: "0x0000000000000000000000000000000000000000000000000000000000000001",
    } as const;
    const expected = "0xea49826df16298f2e6d817e34e83f7b482b3b3a381c10694dc692f47df4dfed6";
    assert.equal(computeFeeCommitment(vector), expected);
    assert.equal(hashStruct({ data: vector, primaryType: "FeeCommitment", types: feeCommitmentTypes }), expected);
  });
});

describe("failureReasons", () => {
  it("matches IBatchSettlementRouter.FailureReason, in order", () => {
    const source = readFileSync(
      new URL("../../../contracts/interfaces/IBatchSettlementRouter.sol", import.meta.url),
      "utf8",
    );
    const body = /enum FailureReason \{([\s\S]*?)\n\s*\}/.exec(source)?.[1];
    assert.ok(body !== undefined);
    const names = body
      .split("\n")
      .map((line) =>
        line
          .replace(/\/\/.*$/, "")
          .trim()
          .replace(/,$/, ""),
      )
      .filter((name) => name.length > 0);
    assert.deepEqual(names, [...failureReasons]);
  });
});

describe("encodeSettlementBatch", () => {
  it("default: header, address table, then 127-byte items", async () => {
    const a = await item();
    const batch = encodeSettlementBatch([a]);
    const { r, s, yParity } = parseSignature(a.signature);
    assert.equal((batch.length - 2) / 2, 4 + 3 * 20 + 127);
    assert.equal(bytesAt(batch, 0, 4), "00010003"); // itemCount 1, addressCount 3
    assert.equal(bytesAt(batch, 4, 20), TOKEN.slice(2).toLowerCase());
    assert.equal(bytesAt(batch, 24, 20), signer.address.slice(2).toLowerCase());
    assert.equal(bytesAt(batch, 44, 20), PAYEE.slice(2));
    const at = 64;
    assert.equal(bytesAt(batch, at, 7), "00" + "0000" + "0001" + "0002"); // flags, token, from, to
    assert.equal(BigInt(`0x${bytesAt(batch, at + 7, 12)}`), a.value);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 19, 6)}`), a.validAfter);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 25, 6)}`), a.validBefore);
    assert.equal(`0x${bytesAt(batch, at + 31, 32)}`, a.nonce);
    assert.equal(`0x${bytesAt(batch, at + 63, 32)}`, r);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 95, 32)}`), (BigInt(yParity) << 255n) | BigInt(s));
  });

  it("behavior: shares table entries (case-insensitively) between items", async () => {
    const a = await item();
    const b = await item({ nonce: keccak256(toHex("other")), to: PAYEE.toUpperCase().replace("0X", "0x") as Hex });
    const batch = encodeSettlementBatch([a, b]);
    assert.equal(bytesAt(batch, 0, 4), "00020003");
    assert.equal((batch.length - 2) / 2, 4 + 3 * 20 + 2 * 127);
  });

  it("behavior: normalizes a 0/1 recovery byte into the compact form", async () => {
    const a = await item();
    const { yParity } = parseSignature(a.signature);
    const raw = `${a.signature.slice(0, 130)}0${yParity}` as Hex;
    assert.equal(encodeSettlementBatch([{ ...a, signature: raw }]), encodeSettlementBatch([a]));
  });

  it("behavior: sends other signatures as length-prefixed bytes", async () => {
    const a = await item();
    const { r, s, yParity } = parseSignature(a.signature);
    const highS = `${r}${(N - BigInt(s)).toString(16).padStart(64, "0")}${yParity ? "1b" : "1c"}` as Hex;
    assert.ok(N - BigInt(s) > HALF_N);
    for (const signature of [highS, `0x${"ab".repeat(64)}`, `0x${"cd".repeat(200)}`, "0x"] as Hex[]) {
      const batch = encodeSettlementBatch([{ ...a, signature }]);
      const length = (signature.length - 2) / 2;
      assert.equal(Number.parseInt(bytesAt(batch, 64, 1), 16), FLAG_SIGNATURE_BYTES);
      assert.equal(Number.parseInt(bytesAt(batch, 64 + 63, 2), 16), length);
      assert.equal(bytesAt(batch, 64 + 65, length), signature.slice(2));
      assert.equal((batch.length - 2) / 2, 64 + 63 + 2 + length);
    }
    const forced = encodeSettlementBatch([a], { forceBytesSignatures: true });
    assert.equal(bytesAt(forced, 64 + 63, 2 + 65), `0041${a.signature.slice(2)}`);
  });

  it("behavior: widens numbers that do not fit 96 and 48 bits", async () => {
    const cases: Partial<SettlementItem>[] = [
      { value: 2n ** 96n },
      { validAfter: 2n ** 48n },
      { validBefore: 2n ** 256n - 1n },
    ];
    for (const overrides of cases) {
      const a = await item(overrides);
      const batch = encodeSettlementBatch([a]);
      assert.equal(Number.parseInt(bytesAt(batch, 64, 1), 16), FLAG_WIDE);
      assert.equal((batch.length - 2) / 2, 64 + 199);
      assert.equal(BigInt(`0x${bytesAt(batch, 64 + 7, 32)}`), a.value);
      assert.equal(BigInt(`0x${bytesAt(batch, 64 + 39, 32)}`), a.validAfter);
      assert.equal(BigInt(`0x${bytesAt(batch, 64 + 71, 32)}`), a.validBefore);
    }
    // The largest narrow values stay narrow.
    const edge = encodeSettlementBatch([await item({ value: 2n ** 96n - 1n, validBefore: 2n ** 48n - 1n })]);
    assert.equal(Number.parseInt(bytesAt(edge, 64, 1), 16), 0);
  });

  it("behavior: refuses what the format cannot carry", async () => {
    const a = await item();
    const cases: [SettlementItem[], RegExp][] = [
      [[], /no items/],
      [[{ ...a, token: "0x1234" }], /item 0: invalid address/],
      [[{ ...a, nonce: "0x1234" }], /item 0: nonce is not 32 bytes/],
      [[{ ...a, value: -1n }], /item 0: value -1 does not fit/],
      [[{ ...a, signature: "0xabc" }], /item 0: signature is not hex bytes/],
      [[{ ...a, signature: `0x${"00".repeat(65536)}` }], /item 0: signature longer than 65535 bytes/],
    ];
    for (const [items, message] of cases) {
      assert.throws(
        () => encodeSettlementBatch(items),
        (error: unknown) => {
          assert.ok(error instanceof SettlementEncodingError);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});

describe("encodeFeeSettlementBatch", () => {
  it("default: 141-byte items with a fourth address index, the fee and the salt", async () => {
    const a = await item();
    const salt = keccak256(toHex("salt"));
    const feeRecipient = "0x3000000000000000000000000000000000000003";
    const batch = encodeFeeSettlementBatch([{ ...a, payTo: PAYEE, feeRecipient, fee: 100n, salt }]);
    assert.equal((batch.length - 2) / 2, 4 + 4 * 20 + 141);
    const at = 84;
    assert.equal(bytesAt(batch, at, 9), "00" + "0000" + "0001" + "0002" + "0003");
    assert.equal(BigInt(`0x${bytesAt(batch, at + 9, 12)}`), a.value);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 21, 12)}`), 100n);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 33, 6)}`), a.validAfter);
    assert.equal(BigInt(`0x${bytesAt(batch, at + 39, 6)}`), a.validBefore);
    assert.equal(`0x${bytesAt(batch, at + 45, 32)}`, salt);
  });

  it("behavior: refuses a fee above the value", async () => {
    const a = await item();
    assert.throws(
      () =>
        encodeFeeSettlementBatch([
          { ...a, payTo: PAYEE, feeRecipient: PAYEE, fee: a.value + 1n, salt: keccak256("0x") },
        ]),
      /item 0: fee 10001 exceeds value 10000/,
    );
  });
});

describe("decodeSettlementResults", () => {
  it("default: one reason per byte", () => {
    assert.deepEqual(decodeSettlementResults("0x00040d"), ["None", "UsedOrCanceled", "AmountMismatch"]);
    assert.deepEqual(decodeSettlementResults("0x"), []);
  });

  it("behavior: refuses unknown codes", () => {
    assert.throws(() => decodeSettlementResults("0x000e"), /item 1: unknown failure reason 14/);
  });
});
