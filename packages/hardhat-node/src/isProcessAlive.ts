import { readFileSync } from "node:fs";

/**
 * Whether `pid` is a live process. A zombie (exited, not yet reaped) counts as gone.
 *
 * @param pid - Process id.
 * @returns `true` while it runs.
 *
 * @example
 * ```ts
 * import { isProcessAlive } from "@x402kit/hardhat-node";
 * await node.stop();
 * isProcessAlive(node.pid); // false
 * ```
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state: Z = zombie, X = dead.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    // No procfs (macOS) or the process just went away: trust kill(0).
    return process.platform !== "linux";
  }
}
