import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ComponentExitedError } from "../errors.js";

/** A facilitator process serving beside the devnet's own on its Postgres journal. */
export type FacilitatorProcess = {
  url: string;
  pid: number;
  /** Stops it: SIGTERM (it drains and exits), SIGKILL after `timeoutMs`. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
};

const READY_TIMEOUT_MS = 60_000;

/** `x402kit-facilitator`'s compiled entry point. */
function facilitatorMain(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@x402kit/facilitator/package.json")), "dist", "main.js");
}

/**
 * Starts `x402kit-facilitator` as a child process with `env`: it serves beside the devnet's in-process facilitator on
 * the shared Postgres journal (under signer leases, signing for the keys it holds). Its output goes to `logFile`.
 * Resolves once it logs that it listens (bounded wait).
 *
 * @param parameters - Environment, log file and a name for errors.
 * @returns The running process.
 * @throws {ComponentExitedError} When it exits, or does not listen in time.
 */
export async function spawnFacilitatorProcess(parameters: {
  env: Record<string, string>;
  logFile: string;
  name: string;
}): Promise<FacilitatorProcess> {
  const child: ChildProcess = spawn(process.execPath, [facilitatorMain()], {
    env: { PATH: process.env.PATH ?? "", ...parameters.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(parameters.logFile, { flags: "a" });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let recent = "";
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      process.off("exit", killOnExit);
      log.end();
      resolve();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail("did not listen in time"), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      recent = (recent + chunk.toString()).slice(-8_000);
      const match = /"port":(\d+)[^\n]*Facilitator listening/.exec(recent);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    function fail(reason: string) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(
        new ComponentExitedError({
          component: parameters.name,
          reason,
          details: recent.split("\n").slice(-10).join("\n") || undefined,
        }),
      );
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => fail(`exited (${signal ?? `code ${code}`}) during start-up`));
  });
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    stop(timeoutMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGKILL");
          await exited;
        }
      })();
      return stopping;
    },
  };
}
