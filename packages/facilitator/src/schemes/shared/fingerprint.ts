import { type Hex, keccak256, toHex } from "viem";

/** A payload's fingerprint: the hash of its canonical JSON (keys sorted), to tell a retry from a conflict. */
export function fingerprint(value: unknown): Hex {
  return keccak256(toHex(canonicalJson(value)));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
