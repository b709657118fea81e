import type { Address, Hex } from "viem";

/**
 * Remembers who signed which digest, so that a payment's signature is recovered once: at `/verify`,
 * and not again at `/settle` of the same payload.
 */
export type SignatureCache = {
  get(digest: Hex, signature: Hex): Address | undefined;
  set(digest: Hex, signature: Hex, signer: Address): void;
};

/**
 * A bounded least-recently-inserted cache of recovered signers.
 *
 * @param maxEntries - Entries kept (default 10,000: about 2 MB).
 * @returns A {@link SignatureCache}.
 */
export function createSignatureCache(maxEntries = 10_000): SignatureCache {
  const entries = new Map<string, Address>();
  return {
    get: (digest, signature) => entries.get(`${digest}${signature}`),
    set(digest, signature, signer) {
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(`${digest}${signature}`, signer);
    },
  };
}
