import type { HeaderDecodeErrorType, SchemaValidationErrorType } from "../errors/wire.js";
import { decodeBase64Json } from "../internal/base64Json.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { MAX_HEADER_VALUE_LENGTH, PAYMENT_REQUIRED_HEADER } from "./headers.js";
import { PaymentRequiredV2 } from "./paymentRequired.js";

export type DecodePaymentRequiredHeaderParameters = {
  /** Value of the `PAYMENT-REQUIRED` response header. */
  value: string;
  /** Longest value accepted, in characters. Defaults to {@link MAX_HEADER_VALUE_LENGTH}. */
  maxLength?: number | undefined;
};
export type DecodePaymentRequiredHeaderReturnType = PaymentRequiredV2;
export type DecodePaymentRequiredHeaderErrorType = HeaderDecodeErrorType | SchemaValidationErrorType;

/**
 * Decodes and validates the `PAYMENT-REQUIRED` header of a v2 402 response.
 *
 * @param parameters - {@link DecodePaymentRequiredHeaderParameters}
 * @returns The v2 `PaymentRequired`.
 * @throws {HeaderDecodeError} When the value is not base64 of UTF-8 JSON, or too long.
 * @throws {SchemaValidationError} When the JSON is not a v2 `PaymentRequired`.
 *
 * @example
 * ```ts
 * import { decodePaymentRequiredHeader, PAYMENT_REQUIRED_HEADER } from "@x402kit/signer/wire";
 * const header = response.headers.get(PAYMENT_REQUIRED_HEADER);
 * if (header) {
 *   const paymentRequired = decodePaymentRequiredHeader({ value: header });
 *   console.log(paymentRequired.accepts[0]?.amount);
 * }
 * ```
 */
export function decodePaymentRequiredHeader(
  parameters: DecodePaymentRequiredHeaderParameters,
): DecodePaymentRequiredHeaderReturnType {
  const json = decodeBase64Json(
    parameters.value,
    PAYMENT_REQUIRED_HEADER,
    parameters.maxLength ?? MAX_HEADER_VALUE_LENGTH,
  );
  return parseWithSchema(PaymentRequiredV2, json, "PaymentRequired");
}
