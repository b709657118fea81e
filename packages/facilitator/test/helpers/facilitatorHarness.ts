import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import type { FacilitatorConfigInput } from "../../src/config/schema.js";
import {
  type CreateFacilitatorOptions,
  createFacilitator,
  type Facilitator,
} from "../../src/facilitator/createFacilitator.js";
import { listenFacilitator } from "../../src/http/serveFacilitator.js";
import type { SettleExchange } from "./auditAnswers.js";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A fresh temporary data directory, removed by `cleanup()`. */
export function tempDataDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "x402kit-facilitator-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An in-process facilitator served over real HTTP on a loopback port, through its HTTP edge. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
type Json = any;

export type RunningFacilitator = {
  url: string;
  facilitator: Facilitator;
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json; headers: Headers }>;
  get(path: string): Promise<{ status: number; body: Json; text: string; headers: Headers }>;
  /** Every `/settle` exchange so far (for {@link auditAnswers}). */
  settles: SettleExchange[];
  close(): Promise<void>;
};

/**
 * Starts a facilitator in this process and serves it on 127.0.0.1 (port 0).
 *
 * @param config - Configuration (keys, networks, policy); `dataDir` defaults to a temp dir.
 * @param options - Extra `createFacilitator` options.
 */
export async function startFacilitator(
  config: FacilitatorConfigInput,
  options: CreateFacilitatorOptions = {},
): Promise<RunningFacilitator> {
  const data = config.dataDir ? undefined : tempDataDir();
  const facilitator = createFacilitator(
    { journalSync: "NORMAL", pollIntervalMs: 100, ...config, dataDir: config.dataDir ?? data?.dir },
    { logger: pino({ level: process.env.X402KIT_TEST_LOG ?? "silent" }), ...options },
  );
  try {
    await facilitator.start();
  } catch (error) {
    // A refused start-up leaves nothing open (a Postgres pool would keep the test process alive).
    await facilitator.close().catch(() => {});
    data?.cleanup();
    throw error;
  }
  const { server, address } = await listenFacilitator(facilitator, { port: 0, host: "127.0.0.1" });
  const port = address.port;
  const url = `http://127.0.0.1:${port}`;
  const settles: SettleExchange[] = [];
  return {
    url,
    facilitator,
    settles,
    async post(path, body, headers = {}) {
      const res = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (path === "/settle" && res.status === 200) settles.push({ body, answer: parsed });
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async get(path) {
      const res = await fetch(`${url}${path}`);
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await facilitator.close();
      data?.cleanup();
    },
  };
}

/** A facilitator running as a child process (`src/main.ts` under tsx). */
export type ChildFacilitator = {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
};

/**
 * Spawns `x402kit-facilitator` (from source) with the given environment and waits for
 * "Facilitator listening", or for it to exit (crash tests).
 *
 * @param env - Environment (PORT, EVM_PRIVATE_KEY, EVM_NETWORK, EVM_RPC_URL, X402KIT_*).
 */
export async function spawnFacilitator(
  env: Record<string, string>,
  entry: string = join(packageRoot, "src", "main.ts"),
): Promise<ChildFacilitator> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? "", X402KIT_LOG_LEVEL: "info", X402KIT_POLL_INTERVAL_MS: "100", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      process.off("exit", kill);
      resolve(code ?? signal ?? "unknown");
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`facilitator did not start:\n${out}`)), 60_000);
    const check = () => {
      const match = /"port":(\d+)[^\n]*Facilitator listening/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`facilitator exited (${code}) before listening:\n${out}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => out, exited };
}
