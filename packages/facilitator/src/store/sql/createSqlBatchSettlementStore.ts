import type { Address, Hex } from "viem";
import type { BatchSettlementIntent, BatchSettlementStore } from "../../domain/batchSettlementStore.js";
import type { Clock } from "../../domain/clock.js";
import { FacilitatorError } from "../../domain/errors.js";
import { createSignerFence, type SignerFence } from "./signerFence.js";
import type { SqlDriver, SqlExecutor, SqlParams, SqlRow } from "./sqlDriver.js";

const optional = <T>(value: unknown, read: (v: unknown) => T): T | undefined =>
  value === null || value === undefined ? undefined : read(value);

// Postgres returns BIGINT columns as strings; SQLite as numbers. Both read through Number.
const toIntent = (row: SqlRow): BatchSettlementIntent => ({
  key: String(row.key),
  kind: row.kind as BatchSettlementIntent["kind"],
  chainId: Number(row.chain_id),
  fingerprint: row.fingerprint as Hex,
  state: row.state as BatchSettlementIntent["state"],
  signer: optional(row.signer, (v) => v as Address),
  signerNonce: optional(row.signer_nonce, Number),
  txHash: optional(row.tx_hash, (v) => v as Hex),
  rawTx: optional(row.raw_tx, (v) => v as Hex),
  answer: optional(row.answer, String),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

/**
 * The batch-settlement intents (table of migration 2) over SQL, for every dialect, in the subset SQLite and Postgres
 * read alike. It runs on the settlement journal's driver, so on Postgres every write passes the same writer fence as
 * the journal's.
 *
 * Signer leases: every write of a sender's intent is one transaction that first checks, through `signerFence` (the
 * one the settlement journal's `leases` fill), that this instance still holds that sender's lease; the sender is the
 * one the write names (an insert's `signer`, a signed transaction's) or the one the row names. A stale holder (its
 * lease taken over while it was paused) so persists nothing, and what it has not persisted it never broadcasts (I1).
 *
 * @param driver - The journal's database.
 * @param clock - Time source for `created_at` / `updated_at`.
 * @param signerFence - The held leases of this database (default: none taken, nothing fenced).
 * @returns A {@link BatchSettlementStore}.
 */
export function createSqlBatchSettlementStore(
  driver: SqlDriver,
  clock: Clock,
  signerFence: SignerFence = createSignerFence(driver.dialect),
): BatchSettlementStore {
  const lock = driver.dialect === "postgres" ? " FOR UPDATE" : "";
  const get = async (key: string) => {
    const row = await driver.get("SELECT * FROM batch_settlement_intents WHERE key = :key", { key });
    return row ? toIntent(row) : undefined;
  };
  /** Runs `work` in one transaction behind the fence of `signer` (when the write names one). */
  const fenced = <T>(signer: string | undefined, work: (tx: SqlExecutor) => Promise<T>): Promise<T> =>
    driver.transaction(async (tx) => {
      if (signer !== undefined) await signerFence.in(tx)(signer);
      return work(tx);
    });
  /** Runs one statement on the intent `key`, fenced by the sender its row names; returns the rows it changed. */
  const onRow = (key: string, sql: string, params: SqlParams): Promise<number> =>
    driver.transaction(async (tx) => {
      const row = await tx.get(`SELECT signer FROM batch_settlement_intents WHERE key = :key${lock}`, { key });
      if (row?.signer !== null && row?.signer !== undefined) await signerFence.in(tx)(String(row.signer));
      return tx.run(sql, params);
    });
  const change = async (key: string, sql: string, params: SqlParams) => {
    if ((await onRow(key, sql, params)) !== 1) {
      throw new FacilitatorError(`batch-settlement intent ${key}: no row in the expected state`);
    }
  };
  const recordIn = async (tx: SqlExecutor, key: string, signed: SignedIntent) => {
    const changed = await tx.run(
      `UPDATE batch_settlement_intents SET state = 'submitted', signer = :signer, signer_nonce = :nonce,
       tx_hash = :hash, raw_tx = :raw, updated_at = :now WHERE state = 'received' AND key = :key`,
      { signer: signed.signer, nonce: signed.signerNonce, hash: signed.hash, raw: signed.raw, now: clock.now(), key },
    );
    if (changed !== 1) throw new FacilitatorError(`batch-settlement intent ${key}: no row in the expected state`);
  };
  return {
    getIntent: get,
    async insertIntent(input) {
      const now = clock.now();
      const changes = await fenced(input.signer, (tx) =>
        tx.run(
          `INSERT INTO batch_settlement_intents (key, kind, chain_id, fingerprint, state, signer, created_at, updated_at)
           VALUES (:key, :kind, :chainId, :fingerprint, 'received', :signer, :now, :now) ON CONFLICT (key) DO NOTHING`,
          {
            key: input.key,
            kind: input.kind,
            chainId: input.chainId,
            fingerprint: input.fingerprint,
            signer: input.signer ?? null,
            now,
          },
        ),
      );
      const intent = await get(input.key);
      if (!intent) throw new FacilitatorError(`batch-settlement intent ${input.key} vanished after insert`);
      return { intent, created: changes === 1 };
    },
    recordIntentTransaction: (key, tx) => fenced(tx.signer, (t) => recordIn(t, key, tx)),
    recordIntentsTransaction: (keys, tx) =>
      fenced(tx.signer, async (t) => {
        for (const key of keys) await recordIn(t, key, tx);
      }),
    finishIntent: (key, answer) =>
      change(
        key,
        `UPDATE batch_settlement_intents SET state = 'done', answer = :answer, updated_at = :now
         WHERE state = 'submitted' AND key = :key`,
        { answer, now: clock.now(), key },
      ),
    async dropIntent(key) {
      await onRow(key, "DELETE FROM batch_settlement_intents WHERE state = 'received' AND key = :key", { key });
    },
    async dropRefusedIntent(key, hash) {
      await onRow(
        key,
        "DELETE FROM batch_settlement_intents WHERE state = 'submitted' AND key = :key AND tx_hash = :hash",
        { key, hash },
      );
    },
    async listSubmittedIntents() {
      const rows = await driver.all(
        "SELECT * FROM batch_settlement_intents WHERE state = 'submitted' ORDER BY created_at, key",
      );
      return rows.map(toIntent);
    },
  };
}

/** The signed transaction of one or more intents. */
type SignedIntent = { signer: Address; signerNonce: number; hash: Hex; raw: Hex };
