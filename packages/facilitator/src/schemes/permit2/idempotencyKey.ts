/**
 * The idempotency key of a Permit2 settlement: what Permit2 enforces is what we key on. Its signature-transfer nonces
 * are per owner (one bitmap for every spender), so `(chainId, owner, nonce)` is spent at most once on chain, by
 * either proxy: one key, at most one transaction (I3).
 */
export const permit2Key = (chainId: number, owner: string, nonce: string): string =>
  `permit2:${chainId}:${owner.toLowerCase()}:${BigInt(nonce)}`;
