import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { PortInUseError } from "./errors.js";
import { freePort } from "./freePort.js";
import { isPortFree } from "./isPortFree.js";
import { isProcessAlive } from "./isProcessAlive.js";
import { startHardhatNode } from "./startHardhatNode.js";
import { eventually } from "./test/eventually.js";

async function rpc(rpcUrl: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await response.json()) as { result: unknown }).result;
}

const portIsFree = (port: number) => isPortFree({ port });

describe("startHardhatNode", () => {
  test("default: a free 127.0.0.1 port, chain 31337, Hardhat's funded accounts; stop frees pid and port", async () => {
    const node = await startHardhatNode();
    try {
      assert.equal(node.rpcUrl, `http://127.0.0.1:${node.port}`);
      assert.notEqual(node.port, 8545);
      assert.equal(await rpc(node.rpcUrl, "eth_chainId"), "0x7a69");
      const accounts = (await rpc(node.rpcUrl, "eth_accounts")) as string[];
      assert.equal(accounts.length, 20);
      assert.equal(accounts[0], "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
      assert.equal(BigInt((await rpc(node.rpcUrl, "eth_getBalance", [accounts[0], "latest"])) as string), 10n ** 22n);
      assert.equal(node.isRunning(), true);
      assert.equal(isProcessAlive(node.pid), true);
    } finally {
      await node.stop();
    }
    assert.equal(node.isRunning(), false);
    assert.equal(isProcessAlive(node.pid), false);
    assert.equal(await portIsFree(node.port), true);
    // Idempotent.
    await node.stop();
  });

  test("behavior: chain id, account count and balance are configurable", async () => {
    const node = await startHardhatNode({ chainId: 84532, accounts: { count: 25, balance: 123n * 10n ** 18n } });
    try {
      assert.equal(await rpc(node.rpcUrl, "eth_chainId"), "0x14a34");
      const accounts = (await rpc(node.rpcUrl, "eth_accounts")) as string[];
      assert.equal(accounts.length, 25);
      assert.equal(
        BigInt((await rpc(node.rpcUrl, "eth_getBalance", [accounts[24], "latest"])) as string),
        123n * 10n ** 18n,
      );
    } finally {
      await node.stop();
    }
  });

  test("behavior: a taken port is refused with PortInUseError and nothing is started", async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      await assert.rejects(startHardhatNode({ port }), (error: unknown) => {
        assert.ok(error instanceof PortInUseError);
        assert.equal(error.port, port);
        assert.match(error.message, new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  test("behavior: `exited` reports a node that dies on its own", async () => {
    const node = await startHardhatNode();
    process.kill(node.pid, "SIGKILL");
    const exit = await node.exited;
    assert.equal(exit.signal, "SIGKILL");
    assert.equal(node.isRunning(), false);
    await node.stop();
    assert.equal(await portIsFree(node.port), true);
  });

  test("behavior: the node exits when its parent process is killed", async () => {
    const parent = spawn(
      process.execPath,
      ["--import", "tsx", new URL("./test/parentProcess.ts", import.meta.url).pathname],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let buffer = "";
      parent.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        if (buffer.includes("\n")) resolve(buffer.split("\n")[0] as string);
      });
      parent.once("exit", (code) => reject(new Error(`parent exited early (${code})`)));
    });
    const { pid, port } = JSON.parse(line) as { pid: number; port: number };
    assert.equal(isProcessAlive(pid), true);
    parent.kill("SIGKILL");
    assert.equal(await eventually(() => !isProcessAlive(pid)), true, "the node outlived its parent");
    assert.equal(await eventually(() => portIsFree(port)), true);
  });
});
