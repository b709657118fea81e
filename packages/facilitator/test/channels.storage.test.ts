/**
 * The SQLite `ChannelStorage` for batch-settlement resource servers (`@x402kit/facilitator/channels`): the same
 * answers as the official in-memory storage for the same operations, typed as the official interface, every write
 * validated, updates atomic across processes sharing the file (no lost update), and a resolved update still there
 * after the process is SIGKILLed.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { ChannelStorage } from "@x402/evm/batch-settlement/server";
import { InMemoryChannelStorage } from "@x402/evm/batch-settlement/server";
import { type ChannelRecord, createSqliteChannelStorage, InvalidChannelRecordError } from "../src/channels/index.js";

const dir = mkdtempSync(join(tmpdir(), "x402kit-channels-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const writer = fileURLToPath(new URL("./fixtures/channelWriter.ts", import.meta.url));
const address = `0x${"ab".repeat(20)}` as const;
const record = (channelId: string, charged = 0n): ChannelRecord => ({
  channelId,
  channelConfig: {
    payer: address,
    payerAuthorizer: address,
    receiver: address,
    receiverAuthorizer: address,
    token: address,
    withdrawDelay: 900,
    salt: `0x${"01".repeat(32)}`,
  },
  chargedCumulativeAmount: charged.toString(),
  signedMaxClaimable: charged.toString(),
  signature: `0x${"cd".repeat(65)}`,
  balance: "1000000",
  totalClaimed: "0",
  withdrawRequestedAt: 0,
  refundNonce: 0,
  lastRequestTimestamp: 1_700_000_000_000,
});
const ID = `0x${"Aa".repeat(32)}`;

/** Runs the writer child; resolves with its stdout lines and exit code. */
function runWriter(path: string, times: number, onLine?: (line: string, kill: () => void) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", writer, path, ID, String(times)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let buffer = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      onLine?.(line, () => child.kill("SIGKILL"));
    }
  });
  return new Promise<{ lines: string[]; code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ lines, code, signal })),
  );
}

describe("createSqliteChannelStorage", () => {
  test("answers as the official in-memory storage for the same operations", async () => {
    const ours = createSqliteChannelStorage({ path: ":memory:" });
    // Compile-time: it is an official ChannelStorage.
    const official: ChannelStorage = new InMemoryChannelStorage();
    const asOfficial: ChannelStorage = ours;
    const a = record(ID, 5n);
    const steps: ((s: ChannelStorage) => Promise<unknown>)[] = [
      (s) => s.get(ID),
      (s) => s.updateChannel(ID, () => undefined), // nothing to delete
      (s) => s.updateChannel(ID, () => a),
      (s) => s.get(ID.toLowerCase()),
      (s) => s.updateChannel(ID.toUpperCase().replace("0X", "0x"), (current) => current), // left as it is
      (s) => s.updateChannel(ID, (current) => current && { ...current, chargedCumulativeAmount: "9" }),
      (s) => s.list(),
      (s) => s.updateChannel(ID, () => undefined), // deleted
      (s) => s.list(),
    ];
    for (const [i, step] of steps.entries()) {
      assert.deepEqual(await step(asOfficial), await step(official), `step ${i}`);
    }
    ours.close();
  });

  test("refuses to store an invalid record or one of another channel, and writes nothing", async () => {
    const storage = createSqliteChannelStorage({ path: ":memory:" });
    await storage.updateChannel(ID, () => record(ID, 1n));
    await assert.rejects(
      storage.updateChannel(ID, (current) => current && { ...current, chargedCumulativeAmount: "-1" }),
      InvalidChannelRecordError,
    );
    await assert.rejects(
      storage.updateChannel(ID, () => record(`0x${"00".repeat(32)}`)),
      /is of channel 0x0000/,
    );
    await assert.rejects(
      storage.updateChannel(ID, () => {
        throw new Error("callback failed");
      }),
      /callback failed/,
    );
    await assert.rejects(storage.get("not a channel id"), TypeError);
    assert.equal((await storage.get(ID))?.chargedCumulativeAmount, "1");
    storage.close();
  });

  test("two processes updating one channel lose no update", async () => {
    const path = join(dir, "concurrent.sqlite");
    const storage = createSqliteChannelStorage({ path });
    await storage.updateChannel(ID, () => record(ID));
    const TIMES = 150;
    const results = await Promise.all([runWriter(path, TIMES), runWriter(path, TIMES), runWriter(path, TIMES)]);
    for (const result of results) assert.equal(result.code, 0);
    assert.equal((await storage.get(ID))?.chargedCumulativeAmount, String(3 * TIMES));
    storage.close();
  });

  test("an update that resolved survives a SIGKILL right after it", async () => {
    const path = join(dir, "crash.sqlite");
    const storage = createSqliteChannelStorage({ path });
    await storage.updateChannel(ID, () => record(ID));
    storage.close();
    let last = 0;
    const result = await runWriter(path, 1_000, (line, kill) => {
      last = Number(line.split(" ")[1]);
      if (last === 25) kill();
    });
    assert.equal(result.signal, "SIGKILL");
    const reopened = createSqliteChannelStorage({ path });
    // Every update the child saw resolve is there; at most the one in flight at the kill went further.
    const stored = Number((await reopened.get(ID))?.chargedCumulativeAmount);
    assert.ok(stored >= last && stored <= last + 1, `stored ${stored}, last resolved ${last}`);
    // And the file is consistent: the next update applies on top.
    await reopened.updateChannel(ID, (current) => current && { ...current, totalClaimed: "1" });
    assert.equal((await reopened.get(ID))?.totalClaimed, "1");
    reopened.close();
  });
});
