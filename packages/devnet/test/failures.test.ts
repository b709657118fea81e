/**
 * Failures give clear errors and leave nothing running: a taken port (node, facilitator or demo API),
 * a data directory in use, a bad option, and a node that dies while the devnet runs.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort, isPortFree, startHardhatNode } from "@x402kit/hardhat-node";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployContracts } from "../src/deployContracts.js";
import {
  ComponentExitedError,
  DataDirInUseError,
  DeploymentError,
  defineDevnetChain,
  InvalidDevnetOptionError,
  PortInUseError,
  startDevnet,
} from "../src/index.js";
import { assertNothingLeft } from "./helpers/assertStopped.js";
import { hardhatChildren } from "./helpers/hardhatChildren.js";

let blocker: Server;
let takenPort: number;
const root = mkdtempSync(join(tmpdir(), "x402kit-devnet-failures-"));

before(async () => {
  takenPort = await freePort();
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(takenPort, "127.0.0.1", resolve));
});
after(async () => {
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

describe("startDevnet failures", () => {
  for (const [option, service] of [
    ["port", "JSON-RPC node (hardhat node)"],
    ["facilitatorPort", "facilitator"],
  ] as const) {
    test(`behavior: a taken ${option} is refused before anything starts`, async () => {
      const dataDir = join(root, option);
      await assert.rejects(startDevnet({ [option]: takenPort, dataDir }), (error: unknown) => {
        assert.ok(error instanceof PortInUseError);
        assert.equal(error.port, takenPort);
        assert.equal(error.service, service);
        assert.match(error.message, new RegExp(`Port ${takenPort} on 127.0.0.1 is already in use`));
        return true;
      });
      assert.deepEqual(hardhatChildren(), []);
    });
  }

  test("error: a deployment the node refuses is a DeploymentError naming the step", async () => {
    const node = await startHardhatNode({ port: 0 });
    try {
      // A deployer the node holds no key for (and no ETH): Ignition's first transaction is refused.
      const privateKey = generatePrivateKey();
      const deployer = { address: privateKeyToAccount(privateKey).address, privateKey };
      await assert.rejects(
        deployContracts({
          rpcUrl: node.rpcUrl,
          chain: defineDevnetChain({ chainId: 31337, rpcUrl: node.rpcUrl }),
          deployer,
        }),
        (error: unknown) => {
          assert.ok(error instanceof DeploymentError);
          assert.equal(error.step, "Ignition deployment of the X402Kit module");
          assert.match(error.message, /Devnet set-up failed at: Ignition deployment/);
          return true;
        },
      );
    } finally {
      await node.stop();
    }
  });

  test("behavior: a taken demo API port is refused, and the free ports it would have used stay free", async () => {
    const rpcPort = await freePort();
    const facilitatorPort = await freePort();
    await assert.rejects(
      startDevnet({ port: rpcPort, facilitatorPort, demo: { port: takenPort } }),
      (error: unknown) => error instanceof PortInUseError && error.service === "demo API",
    );
    assert.deepEqual(hardhatChildren(), []);
    assert.equal(await isPortFree({ port: rpcPort }), true);
    assert.equal(await isPortFree({ port: facilitatorPort }), true);
  });

  test("behavior: a taken dashboard port is refused before anything starts", async () => {
    const rpcPort = await freePort();
    await assert.rejects(
      startDevnet({ port: rpcPort, dashboard: { port: takenPort } }),
      (error: unknown) => error instanceof PortInUseError && error.service === "dashboard" && error.port === takenPort,
    );
    assert.deepEqual(hardhatChildren(), []);
    assert.equal(await isPortFree({ port: rpcPort }), true);
  });

  test("behavior: a dashboard port taken half-way stops what was started", async () => {
    const dashboardPort = await freePort();
    const late = createServer();
    let nodeUrl: string | undefined;
    let facilitatorUrl: string | undefined;
    try {
      await assert.rejects(
        startDevnet({
          dashboard: { port: dashboardPort },
          onStep: (step) => {
            if (step.name === "node") nodeUrl = step.detail.split(" ")[0];
            if (step.name === "facilitator") {
              facilitatorUrl = step.detail.split(" ")[0];
              late.listen(dashboardPort, "127.0.0.1");
            }
          },
        }),
        (error: unknown) => error instanceof PortInUseError && error.service === "dashboard",
      );
      assert.ok(nodeUrl && facilitatorUrl);
      assert.deepEqual(hardhatChildren(), []);
      assert.equal(await isPortFree({ port: Number(new URL(nodeUrl).port) }), true);
      assert.equal(await isPortFree({ port: Number(new URL(facilitatorUrl).port) }), true);
    } finally {
      await new Promise<void>((resolve) => late.close(() => resolve()));
    }
  });

  test("behavior: a port taken half-way (after the node started) stops what was started", async () => {
    const facilitatorPort = await freePort();
    const late = createServer();
    let nodeUrl: string | undefined;
    try {
      await assert.rejects(
        startDevnet({
          facilitatorPort,
          onStep: (step) => {
            if (step.name === "node") nodeUrl = step.detail.split(" ")[0];
            // Someone grabs the facilitator's port after the pre-flight check.
            if (step.name === "funding") late.listen(facilitatorPort, "127.0.0.1");
          },
        }),
        (error: unknown) => error instanceof PortInUseError && error.service === "facilitator",
      );
      assert.ok(nodeUrl);
      assert.deepEqual(hardhatChildren(), []);
      assert.equal(await isPortFree({ port: Number(new URL(nodeUrl).port) }), true);
    } finally {
      await new Promise<void>((resolve) => late.close(() => resolve()));
    }
  });

  test("behavior: a node that dies during set-up fails start-up with the reason, and nothing is left", async () => {
    let pid: number | undefined;
    await assert.rejects(
      startDevnet({
        onStep: (step) => {
          if (step.name !== "node") return;
          pid = Number(/pid (\d+)/.exec(step.detail)?.[1]);
          process.kill(pid, "SIGKILL");
        },
      }),
      (error: unknown) => {
        assert.ok(error instanceof ComponentExitedError);
        assert.match(error.message, /The hardhat node stopped unexpectedly \(exited during start-up\)/);
        return true;
      },
    );
    assert.ok(pid);
    assert.deepEqual(hardhatChildren(), []);
  });

  test("behavior: a data directory held by a live devnet is refused", async () => {
    const dataDir = join(root, "locked");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "devnet.pid"), `${process.pid}\n`);
    await assert.rejects(
      startDevnet({ dataDir }),
      (error: unknown) => error instanceof DataDirInUseError && error.pid === process.pid,
    );
    assert.deepEqual(hardhatChildren(), []);
  });

  test("behavior: invalid options name the option", async () => {
    await assert.rejects(
      startDevnet({
        accounts: 0,
        port: 70_000,
        erc8004Addresses: "elsewhere" as unknown as "canonical",
      }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidDevnetOptionError);
        assert.deepEqual(error.options.sort(), ["accounts", "erc8004Addresses", "port"]);
        return true;
      },
    );
  });

  test("behavior: a node that dies takes the devnet down, with the reason", async () => {
    const dataDir = join(root, "crash");
    const devnet = await startDevnet({ dataDir });
    process.kill(devnet.nodePid, "SIGKILL");
    const { error } = await devnet.stopped;
    assert.ok(error instanceof ComponentExitedError);
    assert.equal(error.component, "hardhat node");
    assert.match(error.message, /The hardhat node stopped unexpectedly \(signal SIGKILL\)/);
    await assertNothingLeft({ nodePid: devnet.nodePid, urls: [devnet.rpcUrl, devnet.facilitatorUrl] });
    assert.deepEqual(hardhatChildren(), []);
    // The data directory is free for the next devnet.
    assert.deepEqual(readdirSync(dataDir).includes("devnet.pid"), false);
  });
});
