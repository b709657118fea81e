/**
 * JSON ⇄ base64 for x402 header values: UTF-8 bytes of the JSON text, base64 with the standard
 * alphabet and padding (what `btoa`/`Buffer` produce and the official SDK emits). Runs in Node and
 * browsers (`btoa`/`atob`, `TextEncoder`/`TextDecoder`; no `Buffer`).
 */
import { HeaderDecodeError } from "../errors/wire.js";

const BASE64_REGEX = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Encodes a JSON-serialisable value as a base64 header value.
 *
 * @param value - The value; bigints are not allowed (the wire carries decimal strings).
 * @returns The base64 text.
 */
export function encodeBase64Json(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  // Chunked to keep `String.fromCharCode` argument lists small.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Decodes a base64 header value into a JSON value.
 *
 * @param value - The header value.
 * @param header - Header name, for errors.
 * @param maxLength - Longest value accepted, in characters.
 * @returns The parsed JSON (not yet schema-checked).
 * @throws {HeaderDecodeError} When the value is too long, not base64, not UTF-8 or not JSON.
 */
export function decodeBase64Json(value: string, header: string, maxLength: number): unknown {
  if (value.length > maxLength) throw new HeaderDecodeError({ header, reason: "too_long" });
  const trimmed = value.trim();
  if (!BASE64_REGEX.test(trimmed)) throw new HeaderDecodeError({ header, reason: "not_base64" });
  let binary: string;
  try {
    binary = atob(trimmed);
  } catch (cause) {
    throw new HeaderDecodeError({ header, reason: "not_base64", cause });
  }
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new HeaderDecodeError({ header, reason: "not_utf8", cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new HeaderDecodeError({ header, reason: "not_json", cause });
  }
}
