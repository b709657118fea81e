import { readFileSync } from "node:fs";

/**
 * Whether `pid` is a live process (a zombie awaiting its reaper counts as gone).
 *
 * @param pid - Process id.
 * @returns `true` while it runs.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z = zombie, X = dead.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

/**
 * Polls (every 100 ms, at most `timeoutMs`) until `condition` holds.
 *
 * @param condition - Checked each round.
 * @param timeoutMs - Upper bound.
 * @returns Whether it held in time.
 */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}
