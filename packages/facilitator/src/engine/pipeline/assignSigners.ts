// Pipeline, signer leases: which live instance should hold each signer key, so that leases spread over instances.

import type { Address } from "viem";
import type { LeaseCandidate } from "../../domain/store.js";

/**
 * Assigns each signer key to one of its live candidates (instances configured with it), so that instances sharing
 * keys hold about as many each, moving as few leases as it can:
 * 1. a signer whose current holder is one of its candidates stays with it while that holder holds less than its fair
 *    share: `floor(keys / instances)` over all live instances, one more for `keys mod instances` of them;
 * 2. every other signer goes to its candidate holding the fewest so far (ties: the smallest instance id).
 * Both steps take the keys with the fewest candidates first.
 * Every instance computes it from the same journal rows, so they agree without talking to each other; when their
 * views differ for a round the leases, not this, decide who signs.
 *
 * @param candidates - The live candidate rows (signer, holder).
 * @param current - The current live holder of each signer lease (lower-case signer → holder), if any.
 * @returns The instance each signer should be held by (lower-case signer → holder).
 */
export function assignSigners(
  candidates: readonly LeaseCandidate[],
  current: ReadonlyMap<string, string>,
): Map<string, string> {
  const bySigner = new Map<string, Set<string>>();
  for (const { signer, holder } of candidates) {
    const key = signer.toLowerCase();
    const holders = bySigner.get(key) ?? new Set<string>();
    holders.add(holder);
    bySigner.set(key, holders);
  }
  // Keys few instances may hold are placed first, so a key only one instance is configured with is never crowded
  // out of that instance's share by a key others could take; ties by address, so every instance agrees.
  const signers = [...bySigner.keys()].sort(
    (x, y) => (bySigner.get(x)?.size ?? 0) - (bySigner.get(y)?.size ?? 0) || (x < y ? -1 : x > y ? 1 : 0),
  );
  const instances = new Set(candidates.map((c) => c.holder));
  // A fair share is `floor(keys / instances)`, and `keys mod instances` of them may hold one more.
  const floor = Math.floor(signers.length / Math.max(1, instances.size));
  let extras = signers.length - floor * instances.size;
  const load = new Map<string, number>();
  const assigned = new Map<string, string>();
  const give = (signer: string, holder: string) => {
    assigned.set(signer, holder);
    load.set(holder, (load.get(holder) ?? 0) + 1);
  };

  const keeps = (signer: string, below: number) => {
    const holder = current.get(signer);
    if (assigned.has(signer) || holder === undefined || !bySigner.get(signer)?.has(holder)) return false;
    if ((load.get(holder) ?? 0) >= below) return false;
    give(signer, holder);
    return true;
  };
  for (const signer of signers) keeps(signer, floor);
  for (const signer of signers) {
    if (extras > 0 && keeps(signer, floor + 1)) extras--;
  }
  for (const signer of signers) {
    if (assigned.has(signer)) continue;
    const holders = [...(bySigner.get(signer) ?? [])].sort();
    let best: string | undefined;
    for (const holder of holders) {
      if (best === undefined || (load.get(holder) ?? 0) < (load.get(best) ?? 0)) best = holder;
    }
    if (best !== undefined) give(signer, best);
  }
  return assigned;
}

/** The lower-case form the assignment is keyed by. */
export const signerKey = (signer: Address | string): string => signer.toLowerCase();
