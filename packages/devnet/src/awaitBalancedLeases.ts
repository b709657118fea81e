import type { Address } from "viem";
import { z } from "zod";
import { ComponentExitedError } from "./errors.js";

/** `/health` of a facilitator under signer leases: the part read here (the rest is not this module's business). */
const Health = z.object({
  leases: z.array(z.object({ signer: z.string().regex(/^0x[0-9a-fA-F]{40}$/) })).default([]),
});

const BALANCE_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

/**
 * Waits (bounded) until the facilitator instances sharing `signers` under leases hold them balanced: every signer
 * held by exactly one instance and, with at least as many signers as instances, every instance holding one. A
 * devnet that prints its summary then tells the truth about who signs for what.
 *
 * @param urls - Each instance's base URL.
 * @param signers - The signer keys the instances share.
 * @returns The signers each instance holds, in the order of `urls` (lower case).
 * @throws {ComponentExitedError} When they are not balanced within 20 s.
 */
export async function awaitBalancedLeases(urls: readonly string[], signers: readonly Address[]): Promise<Address[][]> {
  const deadline = Date.now() + BALANCE_TIMEOUT_MS;
  let last = "";
  const wanted = new Set(signers.map((s) => s.toLowerCase()));
  for (;;) {
    const held = await Promise.all(
      urls.map(async (url) => {
        try {
          const health = Health.parse(
            await (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).json(),
          );
          // Only the shared signer keys: a scheme sender's lease (batch-settlement, Permit2) is listed too.
          return health.leases.map((l) => l.signer.toLowerCase() as Address).filter((s) => wanted.has(s));
        } catch {
          return [];
        }
      }),
    );
    const all = held.flat();
    const balanced =
      all.length === wanted.size &&
      new Set(all).size === all.length &&
      all.every((s) => wanted.has(s)) &&
      (signers.length < urls.length || held.every((h) => h.length > 0));
    if (balanced) return held;
    last = held.map((h, i) => `#${i + 1}: ${h.join(", ") || "none"}`).join("; ");
    if (Date.now() > deadline) {
      throw new ComponentExitedError({
        component: "facilitator",
        reason: "its instances did not share the signer leases within 20 s",
        details: last,
      });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
