/**
 * Primitive zod schemas shared by the x402 wire schemas. Each schema and its inferred type share a
 * name. They validate what TypeScript types cannot: address and hex formats, unsigned 256-bit
 * decimal strings, CAIP-2 network ids.
 */
import { z } from "zod";

const MAX_UINT256 = 2n ** 256n - 1n;

/** A non-empty string. */
export const NonEmptyString = z.string().min(1);
export type NonEmptyString = z.infer<typeof NonEmptyString>;

/**
 * A 20-byte EVM address as `0x` + 40 hex digits, any letter case (the format the official SDK and
 * the legacy `x402` schema accept; checksums are not enforced).
 */
export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((value) => value as `0x${string}`);
export type Address = z.infer<typeof Address>;

/** An unsigned 256-bit integer as a decimal string (`"0"` … `"1157…9935"`). */
export const Uint256String = z
  .string()
  .regex(/^\d{1,78}$/, { message: "expected an unsigned decimal integer string", abort: true })
  .refine((value) => /^\d{1,78}$/.test(value) && BigInt(value) <= MAX_UINT256, "exceeds uint256");
export type Uint256String = z.infer<typeof Uint256String>;

/** A 32-byte value as `0x` + 64 hex digits (an EIP-3009 nonce, a transaction hash). */
export const Bytes32Hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "expected 0x-prefixed 32-byte hex")
  .transform((value) => value as `0x${string}`);
export type Bytes32Hex = z.infer<typeof Bytes32Hex>;

/**
 * A signature as `0x`-prefixed hex with a whole number of bytes. Any length is accepted, so ERC-1271
 * and ERC-6492 signatures fit; a plain ECDSA signature is 65 bytes.
 */
export const HexSignature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})+$/, "expected 0x-prefixed hex with a whole number of bytes")
  .transform((value) => value as `0x${string}`);
export type HexSignature = z.infer<typeof HexSignature>;

/**
 * A v2 network id: CAIP-2 `namespace:reference` such as `eip155:8453`. As loose as `@x402/core`'s
 * rule (at least 3 characters and a colon) so every network the official SDK sends is accepted.
 */
export const Caip2Network = z
  .string()
  .min(3)
  .refine((value) => value.includes(":"), "expected a CAIP-2 network id such as eip155:8453");
export type Caip2Network = z.infer<typeof Caip2Network>;

/** A CAIP-2 id of an EVM chain: `eip155:<decimal chain id>`. */
export const Eip155Network = z
  .string()
  .regex(/^eip155:[1-9]\d{0,18}$/, "expected eip155:<chainId>")
  .transform((value) => value as `eip155:${number}`);
export type Eip155Network = z.infer<typeof Eip155Network>;

/** A JSON object with unknown keys (`extra`, `extensions`, `outputSchema`). */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;
