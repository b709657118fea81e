/**
 * Shared pieces of the packed batch encoders: the address table, fixed-width big-endian integers and the
 * signature field. Internal to `src/router` (not exported from the package).
 */
import type { Address, Hex } from "viem";
import { FLAG_SIGNATURE_BYTES, MAX_BATCH_ENTRIES } from "../constants.js";
import { SettlementEncodingError } from "../errors.js";

/** secp256k1n / 2: signatures with a larger `s` cannot be written in the compact (EIP-2098) form. */
const HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** Deduplicating address table: each distinct address (case-insensitive) gets the next uint16 index. */
export class AddressTable {
  readonly #indices = new Map<string, number>();
  readonly #entries: string[] = [];

  /** The index of `address`, adding it when new. */
  indexOf(address: Address, itemIndex: number): number {
    if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
      throw new SettlementEncodingError({ reason: `invalid address ${String(address)}`, itemIndex });
    }
    const key = address.slice(2).toLowerCase();
    let index = this.#indices.get(key);
    if (index === undefined) {
      index = this.#entries.length;
      if (index >= MAX_BATCH_ENTRIES) {
        throw new SettlementEncodingError({ reason: `more than ${MAX_BATCH_ENTRIES} distinct addresses`, itemIndex });
      }
      this.#indices.set(key, index);
      this.#entries.push(key);
    }
    return index;
  }

  /** `addressCount:uint16 ‖ 20-byte addresses`, without 0x. */
  encode(): string {
    return uint(BigInt(this.#entries.length), 2) + this.#entries.join("");
  }
}

/** `value` as a `bytes`-byte big-endian hex string without 0x; throws if it does not fit. */
export function uint(value: bigint, bytes: number, what = "value", itemIndex?: number): string {
  if (typeof value !== "bigint" || value < 0n || value >= 1n << BigInt(bytes * 8)) {
    throw new SettlementEncodingError({ reason: `${what} ${String(value)} does not fit in ${bytes} bytes`, itemIndex });
  }
  return value.toString(16).padStart(bytes * 2, "0");
}

/**
 * The signature field and its flag: the 64-byte EIP-2098 form (for the token's `(v, r, s)` overload) when
 * `signature` is 65 bytes `r ‖ s ‖ v` with `v` in {27, 28} (or a 0/1 y-parity) and a low `s`, and
 * `length:uint16 ‖ bytes` (for the `bytes` overload) otherwise or when `forceBytes` is set.
 */
export function packSignature(signature: Hex, itemIndex: number, forceBytes = false): { flags: number; field: string } {
  if (typeof signature !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(signature)) {
    throw new SettlementEncodingError({ reason: "signature is not hex bytes", itemIndex });
  }
  const body = signature.slice(2).toLowerCase();
  if (!forceBytes && body.length === 130) {
    const r = body.slice(0, 64);
    const s = BigInt(`0x${body.slice(64, 128)}`);
    const v = Number.parseInt(body.slice(128, 130), 16);
    const yParity = v === 27 || v === 0 ? 0 : v === 28 || v === 1 ? 1 : undefined;
    if (yParity !== undefined && s <= HALF_CURVE_ORDER) {
      const yParityAndS = (BigInt(yParity) << 255n) | s;
      return { flags: 0, field: r + uint(yParityAndS, 32) };
    }
  }
  if (body.length / 2 > 0xffff) {
    throw new SettlementEncodingError({ reason: "signature longer than 65535 bytes", itemIndex });
  }
  return { flags: FLAG_SIGNATURE_BYTES, field: uint(BigInt(body.length / 2), 2) + body };
}

/** A bytes32 as 64 hex characters; throws if it is not exactly 32 bytes. */
export function bytes32(value: Hex, what: string, itemIndex: number): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new SettlementEncodingError({ reason: `${what} is not 32 bytes`, itemIndex });
  }
  return value.slice(2).toLowerCase();
}

/** Throws unless 1 <= `count` <= 65535. */
export function checkItemCount(count: number): void {
  if (count === 0) throw new SettlementEncodingError({ reason: "no items" });
  if (count > MAX_BATCH_ENTRIES) {
    throw new SettlementEncodingError({ reason: `${count} items, more than ${MAX_BATCH_ENTRIES}` });
  }
}
