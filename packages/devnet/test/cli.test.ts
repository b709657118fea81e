/**
 * The `x402kit-devnet` binary as users run it: start, demo run, summary, env block, then SIGTERM stops
 * everything and exits 0. A taken port or a bad flag exits non-zero with a clear message.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { freePort } from "@x402kit/hardhat-node";
import { assertNothingLeft } from "./helpers/assertStopped.js";

const cli = new URL("../src/cli.ts", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "x402kit-devnet-cli-"));
after(() => rmSync(root, { recursive: true, force: true }));

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function run(args: string[]): Run {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), cli, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(runInstance: Run, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void runInstance.exited.then(() => {
    done = true;
  });
  while (!runInstance.output().includes(text)) {
    if (done || Date.now() > deadline) assert.fail(`"${text}" never appeared:\n${runInstance.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("x402kit-devnet", () => {
  test("default: starts, pays, prints the summary and env block; SIGTERM (even doubled) stops everything, exit 0", async () => {
    const dataDir = join(root, "data");
    const cliRun = run([
      "--port=0",
      "--facilitator-port=0",
      "--demo-port=0",
      "--dashboard-port=0",
      "--accounts=2",
      "--calls=3",
      `--data-dir=${dataDir}`,
    ]);
    try {
      await waitFor(cliRun, "Press Ctrl-C to stop.");
    } catch (error) {
      cliRun.child.kill("SIGKILL");
      throw error;
    }
    const output = cliRun.output();
    for (const line of [
      "✓ Hardhat node",
      "✓ Contracts",
      "✓ Facilitator",
      "✓ Demo API",
      "✓ Dashboard",
      "Dashboard: http://127.0.0.1:",
      "✓ ERC-8004 agent",
      "Demo agent: 3 paid calls",
      "Payments      3 settled, 0 failed",
      "Reputation    PAYER_1 gave agent #0 feedback successRate=100",
      "proofOfPayment: ",
    ]) {
      assert.ok(output.includes(line), `missing "${line}" in:\n${output}`);
    }
    const envFile = readFileSync(join(dataDir, "devnet.env"), "utf8");
    assert.ok(output.includes(envFile), "the printed env block differs from devnet.env");
    const env = Object.fromEntries(
      envFile
        .split("\n")
        .filter((line) => line && !line.startsWith("#"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    // The registries answer at the official ERC-8004 testnet addresses (the default).
    assert.equal(env.IDENTITY_REGISTRY_ADDRESS, "0x8004A818BFB912233c491871b3d84c89A494BD9e");
    assert.equal(env.REPUTATION_REGISTRY_ADDRESS, "0x8004B663056A597Dffe9eCcC1965A193B7388713");
    assert.equal(env.VALIDATION_REGISTRY_ADDRESS, "0x8004Cb1BF31DAf7788923b405b754f57acEB4272");
    const nodePid = Number(/\(chain 31337, pid (\d+)\)/.exec(output)?.[1]);
    assert.match(env.DASHBOARD_URL ?? "", /^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(env.DASHBOARD_URL as string);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>x402kit devnet<\/title>/);
    assert.ok(nodePid > 0);

    cliRun.child.kill("SIGTERM");
    // A second signal right after the first (pnpm forwards the terminal's Ctrl-C too) must not cut the
    // orderly stop short.
    cliRun.child.kill("SIGINT");
    assert.equal(await cliRun.exited, 0, cliRun.output());
    // Whichever signal the process saw first, it stopped once.
    assert.equal(cliRun.output().split("stopping…").length, 2);
    assert.match(
      cliRun.output(),
      /SIG(TERM|INT): stopping…\nStopped: the node, the facilitator, the demo API and the dashboard are down; their ports are free\./,
    );
    await assertNothingLeft({
      nodePid,
      urls: [
        env.RPC_URL as string,
        env.FACILITATOR_URL as string,
        env.DEMO_API_URL as string,
        env.DASHBOARD_URL as string,
      ],
    });
    assert.equal(existsSync(join(dataDir, "devnet.pid")), false);
  });

  test("behavior: a taken --port exits 1 with a clear message", async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const cliRun = run([`--port=${port}`, `--data-dir=${join(root, "taken")}`]);
      assert.equal(await cliRun.exited, 1);
      assert.match(
        cliRun.output(),
        new RegExp(`x402kit-devnet: Port ${port} on 127.0.0.1 is already in use \\(wanted by the JSON-RPC node`),
      );
      assert.doesNotMatch(cliRun.output(), /✓ Hardhat node/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  test("behavior: a bad flag exits 2 naming it", async () => {
    const cliRun = run(["--accounts=0"]);
    assert.equal(await cliRun.exited, 2);
    assert.match(cliRun.output(), /--accounts must be an integer from 1 to 1000/);
  });

  test("behavior: an unknown --token exits 2 listing the choices", async () => {
    const cliRun = run(["--token=dai"]);
    assert.equal(await cliRun.exited, 2);
    assert.match(
      cliRun.output(),
      /--token <token>' argument 'dai' is invalid\. Allowed choices are testusdc, usdc, erc20/,
    );
  });

  test("behavior: an unknown --erc8004-addresses exits 2 listing the choices", async () => {
    const cliRun = run(["--erc8004-addresses=elsewhere"]);
    assert.equal(await cliRun.exited, 2);
    assert.match(
      cliRun.output(),
      /--erc8004-addresses <where>' argument 'elsewhere' is invalid\. Allowed choices are canonical, deployed/,
    );
  });
});
