/** Latency percentiles in milliseconds, rounded to 0.1 ms. */
export type Percentiles = { count: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number };

/**
 * Nearest-rank percentiles of a sample (an empty sample gives zeros).
 *
 * @param samples - Durations in milliseconds, in any order.
 * @returns p50, p95, p99 and the maximum.
 */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    if (sorted.length === 0) return 0;
    const rank = Math.ceil((p / 100) * sorted.length);
    return round(sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0, 1);
  };
  return { count: sorted.length, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs: at(100) };
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `a / b` rounded to `digits` decimals, or `null` when `b` is zero or either side is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined, digits = 2): number | null {
  if (a == null || b == null || b === 0) return null;
  return round(a / b, digits);
}

/** The median of a non-empty sample. */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] ?? 0;
  return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
