import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DataDirInUseError } from "../errors.js";
import { lockDataDir } from "./lockDataDir.js";

const root = mkdtempSync(join(tmpdir(), "x402kit-lock-test-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("lockDataDir", () => {
  test("default: writes our pid, refuses a second holder, releases", () => {
    const dir = join(root, "a");
    const release = lockDataDir(dir);
    assert.equal(readFileSync(join(dir, "devnet.pid"), "utf8").trim(), String(process.pid));
    assert.throws(
      () => lockDataDir(dir),
      (error: unknown) => error instanceof DataDirInUseError && error.pid === process.pid && error.dataDir === dir,
    );
    release();
    assert.equal(existsSync(join(dir, "devnet.pid")), false);
    lockDataDir(dir)();
  });

  test("behavior: a lock left by a dead process is taken over", () => {
    const dir = join(root, "b");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    lockDataDir(dir)();
    writeFileSync(join(dir, "devnet.pid"), `${dead}\n`);
    const release = lockDataDir(dir);
    assert.equal(readFileSync(join(dir, "devnet.pid"), "utf8").trim(), String(process.pid));
    release();
  });
});
