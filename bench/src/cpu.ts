import { readFileSync } from "node:fs";

/** Linux reports /proc times in USER_HZ, which is 100 on every architecture Node supports. */
const USER_HZ = 100;

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from `/proc/<pid>/stat`; `null`
 * where there is no /proc (macOS, Windows). Differences of two readings give the CPU a facilitator spent
 * on a piece of work, which on a shared machine says more than wall-clock throughput.
 *
 * @param pid - The process id.
 */
export function cpuTimeMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is parenthesised and may hold spaces: split after its closing paren.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return ((utime + stime) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}
