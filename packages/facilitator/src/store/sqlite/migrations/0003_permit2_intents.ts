/**
 * Migration 3: the intents table also journals the Permit2 proxies' settlements (`exact` with
 * `assetTransferMethod: "permit2"`, and `upto`; see `schemes/permit2/`). SQLite cannot alter a CHECK, so the table is
 * rebuilt: create the new one, copy the rows in their insertion order, drop the old one, rename the new one.
 */
export const up = `
CREATE TABLE batch_settlement_intents_v3 (
  key            TEXT PRIMARY KEY,
  kind           TEXT NOT NULL
                 CHECK (kind IN ('deposit','claim','settle','refund','permit2_exact','permit2_upto')),
  chain_id       INTEGER NOT NULL,
  fingerprint    TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('received','submitted','done')),
  signer         TEXT,
  signer_nonce   INTEGER,
  tx_hash        TEXT,
  raw_tx         TEXT,
  answer         TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  CHECK (state = 'received' OR tx_hash IS NOT NULL),
  CHECK (state <> 'done' OR answer IS NOT NULL)
) STRICT;
INSERT INTO batch_settlement_intents_v3
  (key, kind, chain_id, fingerprint, state, signer, signer_nonce, tx_hash, raw_tx, answer, created_at, updated_at)
  SELECT key, kind, chain_id, fingerprint, state, signer, signer_nonce, tx_hash, raw_tx, answer, created_at, updated_at
  FROM batch_settlement_intents ORDER BY rowid;
DROP TABLE batch_settlement_intents;
ALTER TABLE batch_settlement_intents_v3 RENAME TO batch_settlement_intents;
CREATE INDEX batch_settlement_intents_state ON batch_settlement_intents (state, created_at);
`;
