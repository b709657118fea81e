/**
 * Shortens a hex string for error messages, so errors never carry a full signature.
 *
 * @param hex - The value to shorten.
 * @returns `0x1234…abcd` for long values, the value itself otherwise.
 */
export function shortenHex(hex: string): string {
  return hex.length <= 14 ? hex : `${hex.slice(0, 6)}…${hex.slice(-4)}`;
}
