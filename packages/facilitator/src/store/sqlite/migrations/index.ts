import { up as init } from "./0001_init.js";
import { up as batchSettlement } from "./0002_batch_settlement.js";
import { up as permit2Intents } from "./0003_permit2_intents.js";
import { up as signerLeases } from "./0004_signer_leases.js";
import { up as leaseCandidates } from "./0005_lease_candidates.js";

/** Numbered migrations, applied in order; `PRAGMA user_version` records the last one applied. */
export const migrations: readonly { version: number; name: string; up: string }[] = [
  { version: 1, name: "init", up: init },
  { version: 2, name: "batch_settlement", up: batchSettlement },
  { version: 3, name: "permit2_intents", up: permit2Intents },
  { version: 4, name: "signer_leases", up: signerLeases },
  { version: 5, name: "lease_candidates", up: leaseCandidates },
];
