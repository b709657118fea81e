import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DevnetError } from "../errors.js";
import { resetJournalDir } from "./resetJournalDir.js";

const root = mkdtempSync(join(tmpdir(), "x402kit-journal-test-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("resetJournalDir", () => {
  test("default: creates a missing directory", () => {
    const dir = join(root, "new", "facilitator");
    resetJournalDir(dir);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("behavior: empties the last journal (database, WAL and shared memory)", () => {
    const dir = join(root, "old");
    mkdirSync(dir);
    for (const file of ["journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm"])
      writeFileSync(join(dir, file), "x");
    resetJournalDir(dir);
    assert.deepEqual(readdirSync(dir), []);
  });

  test("error: a directory holding anything else is refused and left untouched", () => {
    const dir = join(root, "facilitator");
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "package.json"), "{}");
    writeFileSync(join(dir, "journal.sqlite"), "x");
    assert.throws(
      () => resetJournalDir(dir),
      (error: unknown) =>
        error instanceof DevnetError &&
        /not a devnet journal directory/.test(error.message) &&
        /package\.json/.test(error.message),
    );
    assert.equal(existsSync(join(dir, "package.json")), true);
    assert.equal(existsSync(join(dir, "journal.sqlite")), true);
  });
});
