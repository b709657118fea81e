/**
 * A bigint as a JSON number when it is a safe integer, otherwise as a decimal string.
 *
 * @param value - The integer.
 * @returns The JSON-friendly value.
 */
export function toJsonInteger(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}
