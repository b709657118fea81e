import { refundTypes } from "@x402kit/signer/batch-settlement";
import type { Hex, LocalAccount } from "viem";
import { batchSettlementDomain, claimBatchTypes, computeChannelId } from "./channel.js";
import type { VoucherClaim } from "./schemas.js";

/** The `ClaimBatch` entries of claims: what the receiver authorizer signs and the claim's idempotency key. */
export const claimEntries = (claims: readonly VoucherClaim[], chainId: number) =>
  claims.map((c) => ({
    channelId: computeChannelId(c.voucher.channel, chainId),
    maxClaimableAmount: BigInt(c.voucher.maxClaimableAmount),
    totalClaimed: BigInt(c.totalClaimed),
  }));

/** The receiver authorizer's EIP-712 `ClaimBatch` signature over claims, for `claimWithSignature`. */
export function signClaimBatch(
  authorizer: LocalAccount,
  claims: readonly VoucherClaim[],
  chainId: number,
): Promise<Hex> {
  return authorizer.signTypedData({
    domain: batchSettlementDomain(chainId),
    types: claimBatchTypes,
    primaryType: "ClaimBatch",
    message: { claims: claimEntries(claims, chainId) },
  });
}

/** The receiver authorizer's EIP-712 `Refund` signature, for `refundWithSignature`. */
export function signRefund(
  authorizer: LocalAccount,
  parameters: { channelId: Hex; amount: string; nonce: string; chainId: number },
): Promise<Hex> {
  return authorizer.signTypedData({
    domain: batchSettlementDomain(parameters.chainId),
    types: refundTypes,
    primaryType: "Refund",
    message: { channelId: parameters.channelId, nonce: BigInt(parameters.nonce), amount: BigInt(parameters.amount) },
  });
}
