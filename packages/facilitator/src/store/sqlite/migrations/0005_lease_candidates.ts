/**
 * Migration 5: which instances may sign for which signer key (under signer leases). Every instance writes one row per
 * key it is configured with, `expires_at` renewed each lease round like a lease; the live rows are what instances
 * balance the leases over (`engine/pipeline/assignSigners`), so N instances configured with the same K keys hold
 * about K / N each instead of the first one started holding them all. A row is advice for balancing only: the
 * lease row and its token (migration 4) still decide who signs.
 */
export const up = `
CREATE TABLE lease_candidates (
  signer       TEXT NOT NULL,
  holder       TEXT NOT NULL,
  expires_at   INTEGER NOT NULL,
  PRIMARY KEY (signer, holder)
) STRICT;
CREATE INDEX lease_candidates_expiry ON lease_candidates (expires_at);
`;
