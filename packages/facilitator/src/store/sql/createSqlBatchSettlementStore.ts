import type { Address, Hex } from "viem";
import type { BatchSettlementIntent, BatchSettlementStore } from "../../domain/batchSettlementStore.js";
import type { Clock } from "../../domain/clock.js";
import { FacilitatorError } from "../../domain/errors.js";
import type { SqlDriver, SqlRow } from "./sqlDriver.js";

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
 * The batch-settlement intents (table of migration 2) over SQL, for every dialect: one statement per call, each
 * atomic on its own, in the subset SQLite and Postgres read alike. It runs on the settlement journal's driver, so on
 * Postgres every write passes the same writer fence as the journal's.
 *
 * @param driver - The journal's database.
 * @param clock - Time source for `created_at` / `updated_at`.
 * @returns A {@link BatchSettlementStore}.
 */
export function createSqlBatchSettlementStore(driver: SqlDriver, clock: Clock): BatchSettlementStore {
  const get = async (key: string) => {
    const row = await driver.get("SELECT * FROM batch_settlement_intents WHERE key = :key", { key });
    return row ? toIntent(row) : undefined;
  };
  const change = async (sql: string, params: Record<string, string | number>) => {
    if ((await driver.run(sql, params)) !== 1) {
      throw new FacilitatorError(`batch-settlement intent ${params.key}: no row in the expected state`);
    }
  };
  return {
    getIntent: get,
    async insertIntent(input) {
      const now = clock.now();
      const changes = await driver.run(
        `INSERT INTO batch_settlement_intents (key, kind, chain_id, fingerprint, state, created_at, updated_at)
         VALUES (:key, :kind, :chainId, :fingerprint, 'received', :now, :now) ON CONFLICT (key) DO NOTHING`,
        { key: input.key, kind: input.kind, chainId: input.chainId, fingerprint: input.fingerprint, now },
      );
      const intent = await get(input.key);
      if (!intent) throw new FacilitatorError(`batch-settlement intent ${input.key} vanished after insert`);
      return { intent, created: changes === 1 };
    },
    recordIntentTransaction: (key, tx) =>
      change(
        `UPDATE batch_settlement_intents SET state = 'submitted', signer = :signer, signer_nonce = :nonce,
         tx_hash = :hash, raw_tx = :raw, updated_at = :now WHERE state = 'received' AND key = :key`,
        { signer: tx.signer, nonce: tx.signerNonce, hash: tx.hash, raw: tx.raw, now: clock.now(), key },
      ),
    async recordIntentsTransaction(keys, tx) {
      await driver.transaction(async (t) => {
        for (const key of keys) {
          const changed = await t.run(
            `UPDATE batch_settlement_intents SET state = 'submitted', signer = :signer, signer_nonce = :nonce,
             tx_hash = :hash, raw_tx = :raw, updated_at = :now WHERE state = 'received' AND key = :key`,
            { signer: tx.signer, nonce: tx.signerNonce, hash: tx.hash, raw: tx.raw, now: clock.now(), key },
          );
          if (changed !== 1) throw new FacilitatorError(`batch-settlement intent ${key}: no row in the expected state`);
        }
      });
    },
    finishIntent: (key, answer) =>
      change(
        `UPDATE batch_settlement_intents SET state = 'done', answer = :answer, updated_at = :now
         WHERE state = 'submitted' AND key = :key`,
        { answer, now: clock.now(), key },
      ),
    async dropIntent(key) {
      await driver.run("DELETE FROM batch_settlement_intents WHERE state = 'received' AND key = :key", { key });
    },
    async dropRefusedIntent(key, hash) {
      await driver.run(
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
