/**
 * Shortens a hex string for error messages, so errors never carry a full signature.
 *
 * @param hex - The value to shorten.
 * @returns `0x1234…abcd (65 bytes)` style text.
 */
export function redactHex(hex: string): string {
  if (hex.length <= 14) return hex;
  const bytes = Math.floor((hex.length - 2) / 2);
  return `${hex.slice(0, 6)}…${hex.slice(-4)} (${bytes} bytes)`;
}
