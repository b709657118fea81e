import type { SchemaValidationErrorType } from "../errors/wire.js";
import { encodeBase64Json } from "../internal/base64Json.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { PaymentRequiredV2 } from "./paymentRequired.js";

export type EncodePaymentRequiredHeaderParameters = {
  /** The v2 `PaymentRequired` to send on a 402 response. */
  paymentRequired: PaymentRequiredV2;
};
export type EncodePaymentRequiredHeaderReturnType = string;
export type EncodePaymentRequiredHeaderErrorType = SchemaValidationErrorType;

/**
 * Encodes a v2 `PaymentRequired` as the value of the `PAYMENT-REQUIRED` response header: base64
 * (standard alphabet, padded) of its UTF-8 JSON. The value is validated first, so a malformed object
 * is never sent.
 *
 * @param parameters - {@link EncodePaymentRequiredHeaderParameters}
 * @returns The header value.
 * @throws {SchemaValidationError} When `paymentRequired` is not a valid v2 `PaymentRequired`.
 *
 * @example
 * ```ts
 * import { encodePaymentRequiredHeader, PAYMENT_REQUIRED_HEADER } from "@x402kit/signer/wire";
 * const value = encodePaymentRequiredHeader({
 *   paymentRequired: {
 *     x402Version: 2,
 *     resource: { url: "https://api.example.com/report" },
 *     accepts: [{ scheme: "exact", network: "eip155:8453", amount: "10000",
 *       asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
 *       payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C", maxTimeoutSeconds: 60,
 *       extra: { name: "USD Coin", version: "2" } }],
 *   },
 * });
 * response.headers.set(PAYMENT_REQUIRED_HEADER, value);
 * ```
 */
export function encodePaymentRequiredHeader(
  parameters: EncodePaymentRequiredHeaderParameters,
): EncodePaymentRequiredHeaderReturnType {
  parseWithSchema(PaymentRequiredV2, parameters.paymentRequired, "PaymentRequired");
  return encodeBase64Json(parameters.paymentRequired);
}
