/**
 * Durability of the file channel store under SIGKILL: a child process signs vouchers in a loop on one channel
 * (`fixtures/voucherLoop.ts`) and prints each one; it is killed part-way, restarted on the same directory, and the
 * restarted payer's next voucher must be strictly above every voucher the killed process emitted — a crash never
 * makes the payer sign a lower or a repeated cumulative amount. Killed at a few different points.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

const script = join(import.meta.dirname, "fixtures", "voucherLoop.ts");

type Emitted = { type: "deposit" | "voucher"; maxClaimableAmount: string; signature: string };

/** Runs the loop; when `killAfter` lines were read, SIGKILLs it. Resolves with every line it printed. */
function runLoop(directory: string, count: number, killAfter?: number) {
  return new Promise<{ emitted: Emitted[]; signal: NodeJS.Signals | null; code: number | null }>((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, directory, String(count)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const emitted: Emitted[] = [];
    let buffered = "";
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) emitted.push(JSON.parse(line) as Emitted);
      if (killAfter !== undefined && emitted.length >= killAfter && child.exitCode === null) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      // A partial last line (killed mid-write) is not a voucher the payer handed out.
      if (code !== 0 && signal !== "SIGKILL") reject(new Error(`voucher loop failed (${code}): ${stderr}`));
      else resolve({ emitted, signal, code });
    });
  });
}

describe("createFileChannelStore", () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "x402kit-channels-"));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test("behavior: after a SIGKILL mid-loop, the next voucher is above every voucher the killed process emitted", async () => {
    const emitted: Emitted[] = [];
    for (const killAfter of [1, 7, 23]) {
      const run = await runLoop(directory, 10_000, killAfter);
      assert.equal(run.signal, "SIGKILL", "killed before the loop ended");
      assert.ok(run.emitted.length >= killAfter);
      emitted.push(...run.emitted);
    }
    // Everything emitted, across the killed processes, strictly increases.
    const amounts = emitted.map((voucher) => BigInt(voucher.maxClaimableAmount));
    for (let i = 1; i < amounts.length; i++) {
      assert.ok((amounts[i] ?? 0n) > (amounts[i - 1] ?? 0n), `voucher ${i}: ${amounts[i]} after ${amounts[i - 1]}`);
    }
    assert.equal(emitted[0]?.type, "deposit");
    assert.equal(new Set(emitted.map((voucher) => voucher.signature)).size, emitted.length, "no repeated voucher");

    const restarted = await runLoop(directory, 1);
    assert.equal(restarted.code, 0);
    assert.equal(restarted.emitted.length, 1);
    const next = BigInt(restarted.emitted[0]?.maxClaimableAmount ?? "0");
    const highest = amounts.at(-1) ?? 0n; // the largest: they strictly increase
    assert.ok(next > highest, `next voucher ${next} is above ${highest}`);
    assert.equal(restarted.emitted[0]?.type, "voucher", "the confirmed balance survived too");
    // Atomic writes leave no temporary file behind, whatever the kill interrupted, once a write succeeds.
    const files = (await readdir(directory)).filter((name) => !name.endsWith(".tmp"));
    assert.equal(files.length, 1);
  });
});
