import { type Hex, keccak256, toHex } from "viem";
import type { ExactPayment, SettlementKey } from "./types.js";

/**
 * The idempotency key of a payment: (chainId, asset, from, nonce), lower-cased so that two spellings of
 * one address are one key.
 *
 * @param payment - A payment that passed the shape checks.
 * @returns Its settlement key.
 */
export function settlementKey(payment: ExactPayment): SettlementKey {
  return {
    chainId: payment.chainId,
    asset: payment.asset.toLowerCase() as SettlementKey["asset"],
    from: payment.authorization.from.toLowerCase() as SettlementKey["from"],
    nonce: payment.authorization.nonce.toLowerCase() as Hex,
  };
}

/**
 * A hash of everything that makes a payment this payment: chain, asset, the whole authorization and the
 * signature. Two requests with one key and different fingerprints are refused (`duplicate_settlement`):
 * a well-behaved client never signs a second authorization with the same nonce.
 *
 * @param payment - A payment that passed the shape checks.
 * @returns keccak256 of a canonical encoding.
 */
export function paymentFingerprint(payment: ExactPayment): Hex {
  const a = payment.authorization;
  const canonical = [
    payment.chainId,
    payment.asset.toLowerCase(),
    a.from.toLowerCase(),
    a.to.toLowerCase(),
    a.value.toString(),
    a.validAfter.toString(),
    a.validBefore.toString(),
    a.nonce.toLowerCase(),
    payment.signature.toLowerCase(),
  ].join("|");
  return keccak256(toHex(canonical));
}
