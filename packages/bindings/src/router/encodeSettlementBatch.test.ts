import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Hex } from "viem";
import { keccak256, parseSignature, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { FLAG_SIGNATURE_BYTES, FLAG_WIDE } from "./constants.js";
import { encodeSettlementBatch, type SettlementItem } from "./encodeSettlementBatch.js";
import { SettlementEncodingError } from "./errors.js";

const TOKEN = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const PAYEE = "0x2000000000000000000000000000000000000002";
const signer = privateKeyToAccount("0x00000000000000000000000000000000000000000000000000000000000a11ce");
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Bytes `[start, start + length)` of a hex string, as hex without 0x. */
const bytesAt = (hex: Hex, start: number, length: number) => hex.slice(2 + 2 * start, 2 + 2 * (start + length));

/** An item with a real (if not EIP-712) ECDSA signature over its fields. */
async function buildItem(overrides: Partial<SettlementItem> = {}): Promise<SettlementItem> {
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

describe("encodeSettlementBatch", () => {
  test("default: header, address table, then 127-byte items", async () => {
    const a = await buildItem();
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

  test("behavior: shares table entries (case-insensitively) between items", async () => {
    const a = await buildItem();
    const b = await buildItem({ nonce: keccak256(toHex("other")), to: PAYEE.toUpperCase().replace("0X", "0x") as Hex });
    const batch = encodeSettlementBatch([a, b]);
    assert.equal(bytesAt(batch, 0, 4), "00020003");
    assert.equal((batch.length - 2) / 2, 4 + 3 * 20 + 2 * 127);
  });

  test("behavior: normalizes a 0/1 recovery byte into the compact form", async () => {
    const a = await buildItem();
    const { yParity } = parseSignature(a.signature);
    const raw = `${a.signature.slice(0, 130)}0${yParity}` as Hex;
    assert.equal(encodeSettlementBatch([{ ...a, signature: raw }]), encodeSettlementBatch([a]));
  });

  test("behavior: sends other signatures as length-prefixed bytes", async () => {
    const a = await buildItem();
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

  test("behavior: widens numbers that do not fit 96 and 48 bits", async () => {
    const cases: Partial<SettlementItem>[] = [
      { value: 2n ** 96n },
      { validAfter: 2n ** 48n },
      { validBefore: 2n ** 256n - 1n },
    ];
    for (const overrides of cases) {
      const a = await buildItem(overrides);
      const batch = encodeSettlementBatch([a]);
      assert.equal(Number.parseInt(bytesAt(batch, 64, 1), 16), FLAG_WIDE);
      assert.equal((batch.length - 2) / 2, 64 + 199);
      assert.equal(BigInt(`0x${bytesAt(batch, 64 + 7, 32)}`), a.value);
      assert.equal(BigInt(`0x${bytesAt(batch, 64 + 39, 32)}`), a.validAfter);
      assert.equal(BigInt(`0x${bytesAt(batch, 64 + 71, 32)}`), a.validBefore);
    }
    // The largest narrow values stay narrow.
    const edge = encodeSettlementBatch([await buildItem({ value: 2n ** 96n - 1n, validBefore: 2n ** 48n - 1n })]);
    assert.equal(Number.parseInt(bytesAt(edge, 64, 1), 16), 0);
  });

  test("behavior: refuses what the format cannot carry, naming the item and the value", async () => {
    const a = await buildItem();
    const cases: [SettlementItem[], string][] = [
      [[], "Cannot encode the settlement batch: no items."],
      [[{ ...a, token: "0x1234" }], "Cannot encode settlement item 0: invalid address 0x1234."],
      [[a, { ...a, nonce: "0x1234" }], "Cannot encode settlement item 1: nonce is not 32 bytes."],
      [[{ ...a, value: -1n }], "Cannot encode settlement item 0: value -1 does not fit in 12 bytes."],
      [[{ ...a, value: 2n ** 256n }], `Cannot encode settlement item 0: value ${2n ** 256n} does not fit in 32 bytes.`],
      [[{ ...a, signature: "0xabc" }], "Cannot encode settlement item 0: signature is not hex bytes."],
      [
        [{ ...a, signature: `0x${"00".repeat(65536)}` }],
        "Cannot encode settlement item 0: signature longer than 65535 bytes.",
      ],
      [Array.from({ length: 65_536 }, () => a), "Cannot encode the settlement batch: 65536 items, more than 65535."],
    ];
    for (const [items, message] of cases) {
      assert.throws(
        () => encodeSettlementBatch(items),
        (error: unknown) => {
          assert.ok(error instanceof SettlementEncodingError);
          assert.equal(error.name, "SettlementEncodingError");
          assert.equal(error.shortMessage, message);
          return true;
        },
      );
    }
  });
});
