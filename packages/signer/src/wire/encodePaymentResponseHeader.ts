import type { SchemaValidationErrorType } from "../errors/wire.js";
import { encodeBase64Json } from "../internal/base64Json.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { SettleResponse } from "./facilitator.js";

export type EncodePaymentResponseHeaderParameters = {
  /** The settlement result to report to the client. */
  settleResponse: SettleResponse;
};
export type EncodePaymentResponseHeaderReturnType = string;
export type EncodePaymentResponseHeaderErrorType = SchemaValidationErrorType;

/**
 * Encodes a `SettleResponse` as a `PAYMENT-RESPONSE` (v2) or `X-PAYMENT-RESPONSE` (v1) header value:
 * base64 (standard alphabet, padded) of its UTF-8 JSON. Like `@x402/core`, the server-internal
 * `extensionResponses` field is never forwarded to the buyer.
 *
 * @param parameters - {@link EncodePaymentResponseHeaderParameters}
 * @returns The header value.
 * @throws {SchemaValidationError} When `settleResponse` is not a valid `SettleResponse`.
 *
 * @example
 * ```ts
 * import { encodePaymentResponseHeader, PAYMENT_RESPONSE_HEADER } from "@x402kit/signer/wire";
 * response.headers.set(
 *   PAYMENT_RESPONSE_HEADER,
 *   encodePaymentResponseHeader({
 *     settleResponse: { success: true, transaction: txHash, network: "eip155:8453", payer },
 *   }),
 * );
 * ```
 */
export function encodePaymentResponseHeader(
  parameters: EncodePaymentResponseHeaderParameters,
): EncodePaymentResponseHeaderReturnType {
  parseWithSchema(SettleResponse, parameters.settleResponse, "SettleResponse");
  const { extensionResponses: _internal, ...buyerFacing } = parameters.settleResponse as SettleResponse & {
    extensionResponses?: unknown;
  };
  return encodeBase64Json(buyerFacing);
}
