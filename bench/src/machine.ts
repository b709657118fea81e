import { execFileSync } from "node:child_process";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { repoRoot } from "./paths.js";

/** The machine and code a result was measured on. */
export type Machine = {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the part started: others' work on a shared machine shows here. */
  loadAverage1m: number;
  commit: string | null;
};

/** Describes this machine, now. */
export function describeMachine(): Machine {
  const cpuList = cpus();
  let commit: string | null = null;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
  } catch {
    commit = null;
  }
  return {
    date: new Date().toISOString(),
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    commit,
  };
}
