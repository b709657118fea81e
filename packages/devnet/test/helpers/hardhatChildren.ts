import { readdirSync, readFileSync } from "node:fs";

/**
 * Pids of the live `hardhat node` processes started by `parent` (this process by default), from
 * `/proc`. (Other children, such as tsx's esbuild service, are ignored.)
 *
 * @param parent - Parent pid.
 * @returns The nodes' pids.
 */
export function hardhatChildren(parent: number = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) !== parent || state === "Z") continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("hardhat")) pids.push(Number(entry));
    } catch {
      // The process went away meanwhile.
    }
  }
  return pids;
}
