import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Address, Hex } from "viem";
import type { BatchSettlementIntent, BatchSettlementStore } from "../../domain/batchSettlementStore.js";
import type { Clock } from "../../domain/clock.js";
import { FacilitatorError } from "../../domain/errors.js";

type Row = {
  key: string;
  kind: BatchSettlementIntent["kind"];
  chain_id: number;
  fingerprint: string;
  state: BatchSettlementIntent["state"];
  signer: string | null;
  signer_nonce: number | null;
  tx_hash: string | null;
  raw_tx: string | null;
  answer: string | null;
  created_at: number;
  updated_at: number;
};

const toIntent = (row: Row): BatchSettlementIntent => ({
  key: row.key,
  kind: row.kind,
  chainId: row.chain_id,
  fingerprint: row.fingerprint as Hex,
  state: row.state,
  signer: (row.signer ?? undefined) as Address | undefined,
  signerNonce: row.signer_nonce ?? undefined,
  txHash: (row.tx_hash ?? undefined) as Hex | undefined,
  rawTx: (row.raw_tx ?? undefined) as Hex | undefined,
  answer: row.answer ?? undefined,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * The batch-settlement intents in the settlement journal's SQLite database (table of migration 2). Kept apart
 * from `createSqliteStore`'s settlement methods; it shares the connection because the journal is opened with an
 * exclusive lock.
 */
export function createSqliteBatchSettlementStore(db: DatabaseSync, clock: Clock): BatchSettlementStore {
  const statements = new Map<string, StatementSync>();
  const stmt = (sql: string): StatementSync => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
  const get = (key: string) => {
    const row = stmt("SELECT * FROM batch_settlement_intents WHERE key = ?").get(key) as Row | undefined;
    return row ? toIntent(row) : undefined;
  };
  const change = (sql: string, ...args: (string | number)[]) => {
    const result = stmt(sql).run(...args);
    if (Number(result.changes) !== 1) throw new FacilitatorError(`batch-settlement intent ${args.at(-1)}: ${sql}`);
  };
  return {
    getIntent: get,
    insertIntent(input) {
      const now = clock.now();
      const result = stmt(
        `INSERT INTO batch_settlement_intents (key, kind, chain_id, fingerprint, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'received', ?, ?) ON CONFLICT (key) DO NOTHING`,
      ).run(input.key, input.kind, input.chainId, input.fingerprint, now, now);
      const intent = get(input.key);
      if (!intent) throw new FacilitatorError(`batch-settlement intent ${input.key} vanished after insert`);
      return { intent, created: Number(result.changes) === 1 };
    },
    recordIntentTransaction(key, tx) {
      change(
        `UPDATE batch_settlement_intents SET state = 'submitted', signer = ?, signer_nonce = ?, tx_hash = ?, raw_tx = ?,
         updated_at = ? WHERE state = 'received' AND key = ?`,
        tx.signer,
        tx.signerNonce,
        tx.hash,
        tx.raw,
        clock.now(),
        key,
      );
    },
    finishIntent(key, answer) {
      change(
        "UPDATE batch_settlement_intents SET state = 'done', answer = ?, updated_at = ? WHERE state = 'submitted' AND key = ?",
        answer,
        clock.now(),
        key,
      );
    },
    dropIntent(key) {
      stmt("DELETE FROM batch_settlement_intents WHERE state = 'received' AND key = ?").run(key);
    },
    dropRefusedIntent(key, hash) {
      stmt("DELETE FROM batch_settlement_intents WHERE state = 'submitted' AND key = ? AND tx_hash = ?").run(key, hash);
    },
    listSubmittedIntents() {
      const rows = stmt(
        "SELECT * FROM batch_settlement_intents WHERE state = 'submitted' ORDER BY created_at, key",
      ).all() as Row[];
      return rows.map(toIntent);
    },
  };
}
