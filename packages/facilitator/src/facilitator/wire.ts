import type { SettleResponse, SupportedResponse, VerifyRequest, VerifyResponse } from "@x402kit/signer/wire";
import type { NetworkRuntime } from "../chain/networkRuntime.js";
import { reasonCode } from "../domain/reasons.js";
import type { ExactPayment, PaymentRequest, SettleOutcome } from "../domain/types.js";
import type { VerifyResult } from "../verify/verifyPayment.js";

/**
 * Normalizes a validated v1 or v2 `/verify` or `/settle` body into the engine's {@link PaymentRequest}.
 * Routing follows `paymentPayload.x402Version`, as the reference facilitators do.
 *
 * @param body - A body that passed the signer's `VerifyRequest` schema.
 * @returns The version-independent request.
 */
export function toPaymentRequest(body: VerifyRequest): PaymentRequest {
  const { paymentPayload, paymentRequirements } = body;
  const extra = (paymentRequirements.extra ?? undefined) as PaymentRequest["extra"];
  if (paymentPayload.x402Version === 1) {
    const requirements = paymentRequirements as Extract<
      VerifyRequest,
      { paymentPayload: { x402Version: 1 } }
    >["paymentRequirements"];
    return {
      x402Version: 1,
      payloadScheme: paymentPayload.scheme,
      payloadNetwork: paymentPayload.network,
      scheme: requirements.scheme,
      network: requirements.network,
      amount: requirements.maxAmountRequired,
      asset: requirements.asset,
      payTo: requirements.payTo,
      extra,
      payload: paymentPayload.payload,
    };
  }
  const requirements = paymentRequirements as Extract<
    VerifyRequest,
    { paymentPayload: { x402Version: 2 } }
  >["paymentRequirements"];
  return {
    x402Version: 2,
    payloadScheme: paymentPayload.accepted.scheme,
    payloadNetwork: paymentPayload.accepted.network,
    scheme: requirements.scheme,
    network: requirements.network,
    amount: requirements.amount,
    asset: requirements.asset,
    payTo: requirements.payTo,
    extra,
    payload: paymentPayload.payload,
  };
}

/**
 * Renders a verification result as a `VerifyResponse`: `payer` is always present (`""` only when the
 * payload names no address), reasons are spelled for the request's x402 version.
 *
 * @param result - The engine's result.
 * @param request - The request answered.
 * @returns The wire answer (HTTP 200).
 */
export function toVerifyResponse(result: VerifyResult, request: PaymentRequest): VerifyResponse {
  if (result.isValid) return { isValid: true, payer: result.payer };
  return {
    isValid: false,
    invalidReason: reasonCode(result.reason, request.x402Version),
    invalidMessage: result.message,
    payer: result.payer ?? "",
  };
}

/**
 * Renders a settle outcome as a `SettleResponse`. `network` echoes the request's spelling; `transaction`
 * is `""` when nothing was broadcast. A success carries an ERC-8004 `proofOfPayment` extension; every
 * answer about a journaled settlement carries its id, for `GET /settlements/:id`.
 *
 * @param outcome - The engine's outcome.
 * @param request - The request answered.
 * @param payment - The typed payment, when the request parsed.
 * @returns The wire answer (HTTP 200).
 */
export function toSettleResponse(
  outcome: SettleOutcome,
  request: PaymentRequest,
  payment: ExactPayment | undefined,
): SettleResponse {
  const base = { payer: outcome.payer ?? "", network: request.network };
  const settlement = outcome.id ? { settlement: { id: outcome.id, status: outcome.status } } : {};
  if (outcome.status === "confirmed") {
    return {
      success: true,
      ...base,
      transaction: outcome.txHash,
      ...(request.x402Version === 2 && payment ? { amount: payment.amount.toString() } : {}),
      extensions: {
        ...settlement,
        ...(payment
          ? {
              proofOfPayment: {
                fromAddress: payment.authorization.from,
                toAddress: payment.payTo,
                chainId: payment.chainId,
                txHash: outcome.txHash,
              },
            }
          : {}),
      },
    };
  }
  if (outcome.status === "pending") {
    return {
      success: false,
      errorReason: reasonCode("settlementPending", request.x402Version),
      errorMessage: outcome.txHash
        ? `transaction ${outcome.txHash} is not mined yet; send the same /settle again for the final outcome`
        : "the payment is queued for settlement; send the same /settle again for the final outcome",
      ...base,
      transaction: outcome.txHash ?? "",
      extensions: settlement,
    };
  }
  return {
    success: false,
    errorReason: reasonCode(outcome.reason, request.x402Version),
    ...(outcome.message ? { errorMessage: outcome.message } : {}),
    ...base,
    transaction: outcome.txHash ?? "",
    ...(outcome.id ? { extensions: settlement } : {}),
  };
}

/**
 * The `GET /supported` answer: every network as a v2 kind (CAIP-2) and, when it has one, a v1 kind
 * (legacy name); `signers` lists every signer address under `eip155:*`.
 *
 * @param networks - Configured networks.
 * @param signers - Signer addresses.
 * @returns The wire answer.
 */
export function toSupportedResponse(
  networks: readonly NetworkRuntime[],
  signers: readonly string[],
): SupportedResponse {
  const kinds: SupportedResponse["kinds"] = [];
  for (const network of networks) {
    kinds.push({ x402Version: 2, scheme: "exact", network: network.caip2 });
    if (network.v1Name) kinds.push({ x402Version: 1, scheme: "exact", network: network.v1Name });
  }
  return { kinds, extensions: [], signers: { "eip155:*": [...signers] } };
}
