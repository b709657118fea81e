import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { FacilitatorError } from "../domain/errors.js";
import {
  type ChannelRecord,
  type ChannelStore,
  type ChannelUpdateResult,
  channelRecordSchema,
  normalizeChannelId,
} from "./channelRecord.js";

/** Parameters of {@link createSqliteChannelStorage}. */
export type CreateSqliteChannelStorageParameters = {
  /** Database file (created with its directory if missing); may be the facilitator's own file. `":memory:"` for tests. */
  path: string;
  /** How long a writer waits for another process's transaction on the same file. Default 5,000 ms. */
  busyTimeoutMs?: number;
  /**
   * `FULL` (default): a committed update survives power loss. `NORMAL`: it survives a crash of the process, not of
   * the machine.
   */
  synchronous?: "FULL" | "NORMAL";
};

/** A stored channel record that is not a valid channel (a corrupted row, or one written by something else). */
export class ChannelRecordCorruptError extends FacilitatorError {
  override name = "ChannelRecordCorruptError" as const;
  /** The channel whose row is unreadable. */
  readonly channelId: string;

  constructor({ channelId, cause }: { channelId: string; cause: unknown }) {
    super(`The stored record of channel ${channelId} is not a valid channel`, {
      details: cause instanceof Error ? cause.message.split("\n")[0] : String(cause),
      cause,
    });
    this.channelId = channelId;
  }
}

/** A record the update callback returned is not a valid channel, or names another channel. Nothing was written. */
export class InvalidChannelRecordError extends FacilitatorError {
  override name = "InvalidChannelRecordError" as const;

  constructor({ channelId, reason }: { channelId: string; reason: string }) {
    super(`Refused to store channel ${channelId}: ${reason}`);
  }
}

/** A durable, transactional {@link ChannelStore}, with `close()`. */
export type SqliteChannelStorage = ChannelStore & {
  /** Closes the database. Calls after it throw. */
  close(): void;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batch_settlement_channels (
  channel_id TEXT PRIMARY KEY NOT NULL,
  record TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT`;

/**
 * The official batch-settlement server's `ChannelStorage` on SQLite (`node:sqlite`). `updateChannel` runs its
 * read-callback-write inside one `BEGIN IMMEDIATE` transaction, so every process sharing the file sees the updates of
 * a channel one at a time: a voucher is never lost across a crash (a resolved update is committed, fsync'd in `FULL`
 * mode) and never counted twice by two server processes. Pass it as `storage` to `BatchSettlementEvmScheme`
 * (`@x402/evm/batch-settlement/server`).
 *
 * @param parameters - {@link CreateSqliteChannelStorageParameters}
 * @returns The storage.
 */
export function createSqliteChannelStorage(parameters: CreateSqliteChannelStorageParameters): SqliteChannelStorage {
  if (parameters.path !== ":memory:") mkdirSync(dirname(parameters.path), { recursive: true });
  const db = new DatabaseSync(parameters.path);
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(parameters.busyTimeoutMs ?? 5_000))}`);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(`PRAGMA synchronous = ${parameters.synchronous ?? "FULL"}`);
  db.exec(SCHEMA);
  const selectOne = db.prepare("SELECT record FROM batch_settlement_channels WHERE channel_id = ?");
  const selectAll = db.prepare("SELECT channel_id, record FROM batch_settlement_channels ORDER BY channel_id");
  const upsert = db.prepare(
    `INSERT INTO batch_settlement_channels (channel_id, record, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (channel_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare("DELETE FROM batch_settlement_channels WHERE channel_id = ?");

  const parse = (channelId: string, text: string): ChannelRecord => {
    try {
      return channelRecordSchema.parse(JSON.parse(text)) as ChannelRecord;
    } catch (cause) {
      throw new ChannelRecordCorruptError({ channelId, cause });
    }
  };
  const read = (key: string): ChannelRecord | undefined => {
    const row = selectOne.get(key) as { record: string } | undefined;
    return row === undefined ? undefined : parse(key, row.record);
  };
  const validate = (key: string, next: ChannelRecord): string => {
    const parsed = channelRecordSchema.safeParse(next);
    if (!parsed.success) {
      throw new InvalidChannelRecordError({ channelId: key, reason: parsed.error.issues[0]?.message ?? "invalid" });
    }
    if (parsed.data.channelId.toLowerCase() !== key) {
      throw new InvalidChannelRecordError({ channelId: key, reason: `the record is of channel ${next.channelId}` });
    }
    return JSON.stringify(next);
  };

  return {
    async get(channelId) {
      return read(normalizeChannelId(channelId));
    },
    async list() {
      const rows = selectAll.all() as { channel_id: string; record: string }[];
      return rows.map((row) => parse(row.channel_id, row.record));
    },
    async updateChannel(channelId, update): Promise<ChannelUpdateResult> {
      const key = normalizeChannelId(channelId);
      db.exec("BEGIN IMMEDIATE");
      try {
        const current = read(key);
        const next = update(current);
        let result: ChannelUpdateResult;
        if (next === current) {
          result = { channel: current, status: "unchanged" };
        } else if (next === undefined) {
          remove.run(key);
          result = { channel: undefined, status: current === undefined ? "unchanged" : "deleted" };
        } else {
          upsert.run(key, validate(key, next), Date.now());
          result = { channel: next, status: "updated" };
        }
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
    close() {
      db.close();
    },
  };
}
