import type { HeaderDecodeErrorType, SchemaValidationErrorType } from "../errors/wire.js";
import { decodeBase64Json } from "../internal/base64Json.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { SettleResponse } from "./facilitator.js";
import { MAX_HEADER_VALUE_LENGTH, PAYMENT_RESPONSE_HEADER } from "./headers.js";

export type DecodePaymentResponseHeaderParameters = {
  /** Value of the `PAYMENT-RESPONSE` (v2) or `X-PAYMENT-RESPONSE` (v1) response header. */
  value: string;
  /** Header name used in error messages. Defaults to `PAYMENT-RESPONSE`. */
  header?: string | undefined;
  /** Longest value accepted, in characters. Defaults to {@link MAX_HEADER_VALUE_LENGTH}. */
  maxLength?: number | undefined;
};
export type DecodePaymentResponseHeaderReturnType = SettleResponse;
export type DecodePaymentResponseHeaderErrorType = HeaderDecodeErrorType | SchemaValidationErrorType;

/**
 * Decodes and validates a settlement response header (`PAYMENT-RESPONSE` or `X-PAYMENT-RESPONSE`).
 *
 * @param parameters - {@link DecodePaymentResponseHeaderParameters}
 * @returns The `SettleResponse`.
 * @throws {HeaderDecodeError} When the value is not base64 of UTF-8 JSON, or too long.
 * @throws {SchemaValidationError} When the JSON is not a `SettleResponse`.
 *
 * @example
 * ```ts
 * import { decodePaymentResponseHeader, PAYMENT_RESPONSE_HEADER } from "@x402kit/signer/wire";
 * const value = response.headers.get(PAYMENT_RESPONSE_HEADER);
 * if (value) console.log(decodePaymentResponseHeader({ value }).transaction);
 * ```
 */
export function decodePaymentResponseHeader(
  parameters: DecodePaymentResponseHeaderParameters,
): DecodePaymentResponseHeaderReturnType {
  const json = decodeBase64Json(
    parameters.value,
    parameters.header ?? PAYMENT_RESPONSE_HEADER,
    parameters.maxLength ?? MAX_HEADER_VALUE_LENGTH,
  );
  return parseWithSchema(SettleResponse, json, "SettleResponse");
}
