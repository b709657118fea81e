import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { encodeFunctionData, type Hex, type LocalAccount, type PublicClient } from "viem";
import { fingerprint } from "../shared/fingerprint.js";
import { type IntentSender, sendIntent } from "../shared/sendIntent.js";
import { batchSettlementAddress, sameAddress, toContractChannelConfig } from "./channel.js";
import { claimKey } from "./idempotencyKey.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { ClaimPayload, VoucherClaim } from "./schemas.js";
import { claimEntries, signClaimBatch } from "./signAuthorizations.js";
import type { BatchSettlementSettleResponse } from "./types.js";

/** The `VoucherClaim[]` argument of `claimWithSignature`. */
export const voucherClaimArgs = (claims: readonly VoucherClaim[]) =>
  claims.map((c) => ({
    voucher: {
      channel: toContractChannelConfig(c.voucher.channel),
      maxClaimableAmount: BigInt(c.voucher.maxClaimableAmount),
    },
    signature: c.signature as Hex,
    totalClaimed: BigInt(c.totalClaimed),
  }));

/**
 * Settles a `claim`: every voucher of the payload in one `claimWithSignature` transaction, authorized by the
 * server's `claimAuthorizerSignature` or, when absent, signed by this facilitator's receiver authorizer (which
 * must be each channel's `receiverAuthorizer`). Sent once per ordered claim list.
 */
export async function settleClaim(
  sender: IntentSender,
  parameters: {
    client: PublicClient;
    payload: ClaimPayload;
    chainId: number;
    network: string;
    authorizer: LocalAccount | undefined;
  },
): Promise<BatchSettlementSettleResponse> {
  const { client, payload, chainId, network, authorizer } = parameters;
  const refuse = (errorReason: string, errorMessage?: string): BatchSettlementSettleResponse => ({
    success: false,
    errorReason,
    ...(errorMessage ? { errorMessage } : {}),
    transaction: "",
    network,
  });
  let signature = payload.claimAuthorizerSignature as Hex | undefined;
  if (!signature) {
    if (!authorizer) return refuse(R.authorizerNotConfigured);
    if (payload.claims.some((c) => !sameAddress(c.voucher.channel.receiverAuthorizer, authorizer.address))) {
      return refuse(R.authorizerAddressMismatch);
    }
    signature = await signClaimBatch(authorizer, payload.claims, chainId);
  }
  const args = [voucherClaimArgs(payload.claims), signature] as const;
  return sendIntent(sender, {
    client,
    chainId,
    network,
    key: claimKey(chainId, claimEntries(payload.claims, chainId)),
    kind: "claim",
    fingerprint: fingerprint({ network, claims: payload.claims }),
    payer: undefined,
    failedReason: R.claimTransactionFailed,
    conflictReason: R.idempotencyConflict,
    async prepare() {
      try {
        await client.simulateContract({
          account: sender.account.address,
          address: batchSettlementAddress,
          abi: x402BatchSettlementAbi,
          functionName: "claimWithSignature",
          args,
        });
      } catch (error) {
        return { refusal: refuse(R.claimSimulationFailed, error instanceof Error ? error.message : String(error)) };
      }
      return {
        call: {
          to: batchSettlementAddress,
          data: encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: "claimWithSignature", args }),
        },
      };
    },
    async onMined(receipt) {
      return { success: true, transaction: receipt.transactionHash, network };
    },
  });
}
