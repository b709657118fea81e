import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { assertPortFree } from "./assertPortFree.js";
import { HardhatNodeStartError, PortInUseError } from "./errors.js";
import { NODE_CONFIG_ENV, type NodeConfigEnv } from "./internal/nodeConfigEnv.js";

/** The mnemonic of Hardhat's default accounts (`0xf39F…2266` is account 0). Publicly known: test only. */
export const DEFAULT_HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat's default number of accounts. */
const DEFAULT_ACCOUNT_COUNT = 20;
/** Hardhat's default balance: 10,000 ETH. */
const DEFAULT_ACCOUNT_BALANCE = 10_000n * 10n ** 18n;
/** Output kept in memory for error messages. */
const OUTPUT_LIMIT = 64 * 1024;
/** How long `stop()` waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;
const READY_LINE = /Started HTTP and WebSocket JSON-RPC server at http:\/\/([^/\s]+):(\d+)\//;

export type StartHardhatNodeParameters = {
  /** TCP port. `0` (the default) lets the OS pick a free one, so nodes never collide. */
  port?: number | undefined;
  /** Interface to bind. Default `127.0.0.1`. */
  hostname?: string | undefined;
  /** Chain id. Default 31337; 84532 makes a local "Base Sepolia twin". */
  chainId?: number | undefined;
  /** Funded HD accounts. Defaults: Hardhat's mnemonic, 20 accounts, 10,000 ETH each. */
  accounts?:
    | {
        mnemonic?: string | undefined;
        count?: number | undefined;
        /** Balance of each account, in wei. */
        balance?: bigint | undefined;
      }
    | undefined;
  /** Hardfork, when not Hardhat's default (the latest). */
  hardfork?: string | undefined;
  /** Keep Hardhat's per-request log (every JSON-RPC call and mined transaction). Default `false`. */
  logging?: boolean | undefined;
  /** Append everything the node prints to this file. */
  logFile?: string | undefined;
  /** Directory for Hardhat's (empty) artifacts and cache paths. Default: a directory under the OS temp dir. */
  workDir?: string | undefined;
  /** Longest wait for the node to answer, in ms. Default 60,000. */
  timeoutMs?: number | undefined;
};

/** How the node process ended. */
export type HardhatNodeExit = { code: number | null; signal: NodeJS.Signals | null };

/** A running `hardhat node`. */
export type HardhatNode = {
  /** `http://hostname:port`. */
  readonly rpcUrl: string;
  /** The port actually bound. */
  readonly port: number;
  readonly hostname: string;
  readonly chainId: number;
  /** Process id of the node (the leader of its own process group). */
  readonly pid: number;
  /** Resolves when the process has exited, whether through `stop()` or not. */
  readonly exited: Promise<HardhatNodeExit>;
  /** Whether the process is still running. */
  isRunning(): boolean;
  /** The last 64 KiB the node printed. */
  output(): string;
  /**
   * Stops the node: SIGTERM to its process group, SIGKILL after 5 s, and waits for the exit.
   * Idempotent.
   */
  stop(): Promise<HardhatNodeExit>;
};

export type StartHardhatNodeErrorType = PortInUseError | HardhatNodeStartError;

/**
 * Starts `hardhat node` (Hardhat 3 / EDR) as a child process with this package's minimal
 * configuration (no Hardhat project needed) and waits, at most `timeoutMs`, until it answers
 * `eth_chainId` with the expected chain id.
 *
 * The child runs in its own process group (so a Ctrl-C in the terminal reaches the caller, which stops
 * it in order) and exits by itself when the calling process dies, even by SIGKILL.
 *
 * @param parameters - {@link StartHardhatNodeParameters}
 * @returns The running node.
 * @throws {PortInUseError} When a fixed `port` is taken.
 * @throws {HardhatNodeStartError} When the node exits or does not answer in time.
 *
 * @example
 * ```ts
 * import { startHardhatNode } from "@x402kit/hardhat-node";
 * const node = await startHardhatNode({ chainId: 84532 });
 * // … use node.rpcUrl …
 * await node.stop();
 * ```
 */
export async function startHardhatNode(parameters: StartHardhatNodeParameters = {}): Promise<HardhatNode> {
  const hostname = parameters.hostname ?? "127.0.0.1";
  const requestedPort = parameters.port ?? 0;
  const chainId = parameters.chainId ?? 31337;
  const timeoutMs = parameters.timeoutMs ?? 60_000;
  const workDir = parameters.workDir ?? join(tmpdir(), "x402kit-hardhat-node");
  mkdirSync(workDir, { recursive: true });
  await assertPortFree({ port: requestedPort, hostname, service: "JSON-RPC node (hardhat node)" });

  const nodeConfig: NodeConfigEnv = {
    workDir,
    accounts: {
      mnemonic: parameters.accounts?.mnemonic ?? DEFAULT_HARDHAT_MNEMONIC,
      count: parameters.accounts?.count ?? DEFAULT_ACCOUNT_COUNT,
      balance: (parameters.accounts?.balance ?? DEFAULT_ACCOUNT_BALANCE).toString(),
    },
    hardfork: parameters.hardfork,
  };
  // Run from `src` (tests, through tsx) or from `dist` (installed): the siblings share our extension.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const configPath = fileURLToPath(new URL(`./hardhat.config${extension}`, import.meta.url));
  const watchdogUrl = new URL(`./watchdog${extension}`, import.meta.url).href;
  const args = [
    "--import",
    watchdogUrl,
    hardhatCli(),
    "node",
    "--config",
    configPath,
    "--hostname",
    hostname,
    "--port",
    String(requestedPort),
    "--chain-id",
    String(chainId),
  ];
  const child = spawn(process.execPath, args, {
    cwd: workDir,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      [NODE_CONFIG_ENV]: JSON.stringify(nodeConfig),
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
    },
  });
  const pid = child.pid;
  const exited = new Promise<HardhatNodeExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  let running = pid !== undefined;
  void exited.then(() => {
    running = false;
  });

  let output = "";
  const log = parameters.logFile ? openLog(parameters.logFile) : undefined;
  let onOutput: (() => void) | undefined;
  const collect = (chunk: Buffer) => {
    // Hardhat colours some lines even with NO_COLOR; logs and error messages get plain text.
    const text = stripVTControlCharacters(chunk.toString());
    log?.write(text);
    output = (output + text).slice(-OUTPUT_LIMIT);
    onOutput?.();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  // The watchdog in the child reads this pipe; it must never be written to or error out here.
  child.stdin.on("error", () => {});

  const signalGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  let stopping: Promise<HardhatNodeExit> | undefined;
  const stop = (): Promise<HardhatNodeExit> => {
    stopping ??= (async () => {
      if (running) signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), STOP_GRACE_MS);
      const result = await exited;
      clearTimeout(timer);
      // Anything the node left in its group (it starts none today) goes with it.
      signalGroup("SIGKILL");
      child.stdin.destroy();
      await new Promise<void>((resolve) => (log ? log.end(() => resolve()) : resolve()));
      return result;
    })();
    return stopping;
  };

  // Wait for the "Started … at http://host:port/" line, the exit, or the deadline.
  const ready = await new Promise<{ hostname: string; port: number } | { failure: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ failure: `no answer within ${timeoutMs} ms` }), timeoutMs);
    const check = () => {
      const match = READY_LINE.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ hostname: match[1] as string, port: Number(match[2]) });
      }
    };
    onOutput = check;
    check();
    void exited.then((exit) => {
      clearTimeout(timer);
      resolve({ failure: `the process exited (${describeExit(exit)})` });
    });
  });
  onOutput = undefined;
  if ("failure" in ready) {
    await stop();
    if (/EADDRINUSE/.test(output)) {
      throw new PortInUseError({ port: requestedPort, hostname, service: "JSON-RPC node (hardhat node)" });
    }
    throw new HardhatNodeStartError({ reason: ready.failure, output });
  }

  const rpcUrl = `http://${hostname}:${ready.port}`;
  const deadline = Date.now() + timeoutMs;
  let answered: number | undefined;
  while (running && Date.now() < deadline) {
    answered = await rpcChainId(rpcUrl);
    if (answered !== undefined) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (answered !== chainId) {
    await stop();
    throw new HardhatNodeStartError({
      reason:
        answered === undefined ? "the JSON-RPC server did not answer" : `chain id ${answered}, expected ${chainId}`,
      output,
    });
  }
  if (!parameters.logging) {
    try {
      await rpc(rpcUrl, "hardhat_setLoggingEnabled", [false]);
    } catch (error) {
      await stop();
      throw new HardhatNodeStartError({ reason: `hardhat_setLoggingEnabled failed: ${String(error)}`, output });
    }
  }

  return {
    rpcUrl,
    port: ready.port,
    hostname,
    chainId,
    pid: pid as number,
    exited,
    isRunning: () => running,
    output: () => output,
    stop,
  };
}

function openLog(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: "a" });
  stream.on("error", () => {});
  return stream;
}

function describeExit(exit: HardhatNodeExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** Path of the Hardhat CLI this package depends on (the same copy the configuration resolves). */
function hardhatCli(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("hardhat/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : (manifest.bin.hardhat as string);
  return join(dirname(manifestPath), bin);
}

async function rpc(rpcUrl: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const result = await rpc(rpcUrl, "eth_chainId", []);
    return typeof result === "string" ? Number(result) : undefined;
  } catch {
    return undefined;
  }
}
