// SQL journals, signer leases: the fencing every write of a signer's work passes, shared by the settlement journal
// (`createSqlStore`) and the intents journal of the schemes that send their own transactions
// (`createSqlBatchSettlementStore`), so one lease table and one map of held tokens fence both.

import { LeaseLostError } from "../../domain/errors.js";
import type { SignerLease } from "../../domain/store.js";
import type { SqlExecutor } from "./sqlDriver.js";

/** Checks, inside one transaction, that this instance still holds a signer's lease; throws {@link LeaseLostError}. */
export type Fence = (signer: string) => Promise<void>;

/**
 * The leases one database's stores acquired, and the check of their tokens. The settlement journal's `leases`
 * fill it (`acquire`, `renew`, `release`); every store on that database fences with it.
 */
export type SignerFence = {
  /** The leases held, by signer (lower case); their tokens fence the signers' writes. */
  readonly held: Map<string, SignerLease>;
  /**
   * The instance id the leases are acquired for (named in `queued_by` of what it queues); undefined until the first
   * acquisition: until then nothing is fenced (one writer per journal, or no leases at all).
   */
  holder: string | undefined;
  /** A transaction's fence: reads each signer's lease row once per transaction, inside it. */
  in(tx: SqlExecutor): Fence;
};

/**
 * Creates the fence of one database.
 *
 * @param dialect - On Postgres the lease row is read `FOR SHARE`: an acquisition by another instance (which bumps
 * the token under `FOR UPDATE`) waits for the writes in flight, and every later write sees the new token.
 * @returns A {@link SignerFence} holding no lease.
 */
export function createSignerFence(dialect: "sqlite" | "postgres"): SignerFence {
  const held = new Map<string, SignerLease>();
  const lock = dialect === "postgres" ? " FOR SHARE" : "";
  const fence: SignerFence = {
    held,
    holder: undefined,
    in(tx) {
      const checked = new Set<string>();
      return async (signer) => {
        if (fence.holder === undefined) return;
        const key = signer.toLowerCase();
        if (checked.has(key)) return;
        const ours = held.get(key)?.token.toString();
        const row = await tx.get(`SELECT token FROM signer_leases WHERE signer = :signer${lock}`, { signer: key });
        const token = row ? String(row.token) : undefined;
        if (ours === undefined || token !== ours) {
          held.delete(key);
          throw new LeaseLostError({ signer: key, token, ours });
        }
        checked.add(key);
      };
    },
  };
  return fence;
}
