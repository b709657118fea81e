/** Migration 2: the `batch-settlement` scheme's on-chain writes (see `domain/batchSettlementStore.ts`). */
export const up = `
CREATE TABLE batch_settlement_intents (
  key            TEXT PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('deposit','claim','settle','refund')),
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
CREATE INDEX batch_settlement_intents_state ON batch_settlement_intents (state, created_at);
`;
