/** Display helpers: short addresses and hashes, token and ETH amounts, durations and times. */

export const short = (value: string | undefined, head = 6, tail = 4): string =>
  !value ? "—" : value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;

/** Formats atomic units with `decimals`, trimming trailing zeros, with thousands separators. */
export function units(value: string | bigint, decimals: number, maxFraction = decimals): string {
  const v = typeof value === "bigint" ? value : BigInt(value || "0");
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const base = 10n ** BigInt(decimals);
  const whole = (abs / base).toLocaleString("en-US");
  let fraction = (abs % base).toString().padStart(decimals, "0").slice(0, maxFraction).replace(/0+$/, "");
  if (decimals === 0) fraction = "";
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

export const eth = (wei: string) => units(wei, 18, 6);

export const integer = (value: string | number | bigint) => BigInt(value).toLocaleString("en-US");

export const ms = (value: number | undefined) =>
  value === undefined ? "—" : value < 1_000 ? `${Math.round(value)} ms` : `${(value / 1_000).toFixed(2)} s`;

export const time = (at: number) =>
  new Date(at).toLocaleTimeString("en-GB", { hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The p-th percentile (0..1) of sorted numbers, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank];
}
