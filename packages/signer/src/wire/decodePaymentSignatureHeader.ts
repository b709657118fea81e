import type { HeaderDecodeErrorType, SchemaValidationErrorType } from "../errors/wire.js";
import { decodeBase64Json } from "../internal/base64Json.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { MAX_HEADER_VALUE_LENGTH, PAYMENT_SIGNATURE_HEADER } from "./headers.js";
import { PaymentPayload } from "./paymentPayload.js";

export type DecodePaymentSignatureHeaderParameters = {
  /** Value of the `PAYMENT-SIGNATURE` (v2) or `X-PAYMENT` (v1) request header. */
  value: string;
  /** Header name used in error messages. Defaults to `PAYMENT-SIGNATURE`. */
  header?: string | undefined;
  /** Longest value accepted, in characters. Defaults to {@link MAX_HEADER_VALUE_LENGTH}. */
  maxLength?: number | undefined;
};
export type DecodePaymentSignatureHeaderReturnType = PaymentPayload;
export type DecodePaymentSignatureHeaderErrorType = HeaderDecodeErrorType | SchemaValidationErrorType;

/**
 * Decodes and validates a payment request header (`PAYMENT-SIGNATURE` or `X-PAYMENT`). The result is
 * a generic v1 or v2 `PaymentPayload`; parse `payload` with `ExactEvmPayload` (or use
 * `ExactEvmPaymentPayloadV1`/`V2`) to get the EIP-3009 fields.
 *
 * @param parameters - {@link DecodePaymentSignatureHeaderParameters}
 * @returns The `PaymentPayload`.
 * @throws {HeaderDecodeError} When the value is not base64 of UTF-8 JSON, or too long.
 * @throws {SchemaValidationError} When the JSON is not a `PaymentPayload`.
 *
 * @example
 * ```ts
 * import { decodePaymentSignatureHeader, PAYMENT_SIGNATURE_HEADER } from "@x402kit/signer/wire";
 * const value = request.headers.get(PAYMENT_SIGNATURE_HEADER);
 * if (value) {
 *   const paymentPayload = decodePaymentSignatureHeader({ value });
 *   if (paymentPayload.x402Version === 2) console.log(paymentPayload.accepted.network);
 * }
 * ```
 */
export function decodePaymentSignatureHeader(
  parameters: DecodePaymentSignatureHeaderParameters,
): DecodePaymentSignatureHeaderReturnType {
  const json = decodeBase64Json(
    parameters.value,
    parameters.header ?? PAYMENT_SIGNATURE_HEADER,
    parameters.maxLength ?? MAX_HEADER_VALUE_LENGTH,
  );
  return parseWithSchema(PaymentPayload, json, "PaymentPayload");
}
