/**
 * TEST-ONLY fault injection. Crash tests set `X402KIT_FAULT` on a child facilitator to kill it with
 * SIGKILL at one of these points, then restart it and check that nothing was lost or settled twice.
 * Unset (the default), every hook is a no-op. Never set it in production.
 *
 * - `crash-after-persist`: the signed transaction is in the journal but was never broadcast.
 * - `crash-after-broadcast`: the transaction was broadcast but its receipt was never read.
 * - `crash-after-batch-broadcast`: the same for a batch transaction.
 */
export type FaultPoint = "crash-after-persist" | "crash-after-broadcast" | "crash-after-batch-broadcast";

/** Fault hooks the engine calls at each point. */
export type Faults = { at(point: FaultPoint): void };

/** No faults: production. */
export const noFaults: Faults = { at() {} };

/**
 * Faults from a comma-separated list of {@link FaultPoint}s (the value of `X402KIT_FAULT`).
 *
 * @param spec - e.g. `"crash-after-persist"`; empty or undefined for none.
 * @returns Hooks that SIGKILL this process at the named points.
 */
export function faultsFromSpec(spec: string | undefined): Faults {
  const points = new Set(
    (spec ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (points.size === 0) return noFaults;
  return {
    at(point) {
      if (points.has(point)) process.kill(process.pid, "SIGKILL");
    },
  };
}
