/**
 * Migration 4: one lease row per signer key. The instance named by `holder` signs for `signer` until `expires_at`
 * (ms since the epoch, renewed while it runs); `token` rises by one on every acquisition and fences that signer's
 * writes: a write of a signer's transactions or of the settlements they carry commits only while the writer's token
 * is the row's (see `store/sql/createSqlStore`). A released lease keeps its token, with `holder` empty.
 *
 * `settlements.queued_by` names the instance that queued a settlement (under signer leases): it is that instance's
 * to send while it holds a lease; once it holds none (it died, or lost them), any instance with a lease claims it.
 */
export const up = `
CREATE TABLE signer_leases (
  signer       TEXT PRIMARY KEY,
  holder       TEXT NOT NULL,
  token        INTEGER NOT NULL CHECK (token > 0),
  expires_at   INTEGER NOT NULL,
  acquired_at  INTEGER NOT NULL
) STRICT;
ALTER TABLE settlements ADD COLUMN queued_by TEXT;
`;
