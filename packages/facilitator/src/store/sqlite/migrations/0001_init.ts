/** Migration 1: the settlement journal and the transaction attempts. */
export const up = `
CREATE TABLE settlements (
  id             TEXT PRIMARY KEY,
  chain_id       INTEGER NOT NULL,
  asset          TEXT NOT NULL,
  payer          TEXT NOT NULL,
  auth_nonce     TEXT NOT NULL,
  fingerprint    TEXT NOT NULL,
  state          TEXT NOT NULL
                 CHECK (state IN ('received','queued','submitted','unknown','confirmed','failed')),
  x402_version   INTEGER NOT NULL,
  pay_to         TEXT NOT NULL,
  amount         TEXT NOT NULL,
  valid_before   TEXT NOT NULL,
  payment_json   TEXT NOT NULL,
  signer         TEXT,
  signer_nonce   INTEGER,
  batch_index    INTEGER,
  tx_hash        TEXT,
  block_number   INTEGER,
  reason         TEXT,
  message        TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;

-- What the token enforces is what we enforce: one settlement per (chainId, asset, from, nonce).
CREATE UNIQUE INDEX settlements_key ON settlements (chain_id, asset, payer, auth_nonce);
CREATE INDEX settlements_state ON settlements (state, created_at);
CREATE INDEX settlements_slot ON settlements (chain_id, signer, signer_nonce);

-- Every signed transaction, persisted before it is broadcast (I1).
CREATE TABLE tx_attempts (
  hash                      TEXT PRIMARY KEY,
  chain_id                  INTEGER NOT NULL,
  signer                    TEXT NOT NULL,
  nonce                     INTEGER NOT NULL,
  raw                       TEXT NOT NULL,
  max_fee_per_gas           TEXT NOT NULL,
  max_priority_fee_per_gas  TEXT NOT NULL,
  kind                      TEXT NOT NULL CHECK (kind IN ('direct','batch')),
  status                    TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live','dead')),
  created_at                INTEGER NOT NULL
) STRICT;

CREATE INDEX tx_attempts_slot ON tx_attempts (chain_id, signer, nonce);
`;
