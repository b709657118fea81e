import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DevnetError } from "../errors.js";

/** The files a facilitator journal directory holds: the SQLite database and its WAL companions. */
const JOURNAL_FILE = /^journal\.sqlite(?:-wal|-shm|-journal)?$/;

/**
 * Empties the facilitator's journal directory for a new chain (the chain is new on every start, so the
 * last journal describes payments that no longer exist). Deletes only the journal's own files: a
 * directory holding anything else was not written by the devnet (a mistyped `--data-dir`), and is
 * refused rather than deleted.
 *
 * @param journalDir - `<dataDir>/facilitator`.
 * @throws {DevnetError} When the directory holds files other than the journal's.
 */
export function resetJournalDir(journalDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(journalDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(journalDir, { recursive: true });
    return;
  }
  const foreign = entries.filter((entry) => !JOURNAL_FILE.test(entry));
  if (foreign.length > 0) {
    throw new DevnetError(`${journalDir} is not a devnet journal directory; refusing to empty it`, {
      metaMessages: [
        `It holds ${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}.`,
        "Give the devnet a directory of its own (--data-dir), e.g. .x402kit.",
      ],
    });
  }
  for (const entry of entries) rmSync(join(journalDir, entry), { force: true });
}
