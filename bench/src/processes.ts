import { type ChildProcess, spawn } from "node:child_process";

/** A child process this bench started, and the way to stop it. */
export type Child = {
  process: ChildProcess;
  /** Everything it wrote so far (the last 64 KiB). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
};

/** Every child still running, with the way to signal it (its process group, or itself). */
const running = new Map<ChildProcess, (signal: NodeJS.Signals) => void>();
process.once("exit", () => {
  for (const kill of running.values()) kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const kill of running.values()) kill("SIGKILL");
    process.exit(130);
  });
}

/**
 * Starts `node <args>` and keeps the tail of its output. The process is killed when the bench exits,
 * whatever the reason.
 *
 * @param args - Arguments after `node`.
 * @param options - Working directory and environment (the environment replaces this process's, except PATH).
 */
export function spawnNode(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Child {
  return spawnCommand(process.execPath, args, options);
}

/**
 * Starts `command <args>` like {@link spawnNode}. With `group`, the child leads a new process group and
 * `stop()` signals the whole group (for wrappers such as `pnpm start` that start the real process as a
 * grandchild).
 */
export function spawnCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; group?: boolean },
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.group === true,
  });
  const signal = (name: NodeJS.Signals) => {
    if (options.group === true && child.pid !== undefined) {
      try {
        process.kill(-child.pid, name);
        return;
      } catch {
        // The group is gone already; fall back to the child itself.
      }
    }
    child.kill(name);
  };
  running.set(child, signal);
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-65_536);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );
  return {
    process: child,
    output: () => tail,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `probe` until it resolves `true`, the child exits, or `timeoutMs` passes.
 *
 * @param child - The process being waited for.
 * @param probe - Readiness check; a rejection counts as "not yet".
 * @param what - Name used in the error.
 */
export async function waitUntilReady(
  child: Child,
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${what} exited (${child.process.exitCode ?? child.process.signalCode}):\n${child.output()}`);
    }
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  await child.stop();
  throw new Error(`${what} was not ready after ${timeoutMs} ms:\n${child.output()}`);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
