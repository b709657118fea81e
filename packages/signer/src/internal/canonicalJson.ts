/**
 * Canonical JSON text in the spirit of RFC 8785 (JCS): object keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers as `JSON.stringify` writes them (which JCS adopts). Used where
 * bytes must be reproducible, e.g. the content hashed into an ERC-8004 `feedbackHash`.
 *
 * @param value - A JSON value (no bigints, no `undefined` inside arrays).
 * @returns The canonical text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : item,
  );
}
