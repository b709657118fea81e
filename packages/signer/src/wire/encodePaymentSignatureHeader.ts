import type { SchemaValidationErrorType } from "../errors/wire.js";
import { encodeBase64Json } from "../internal/base64Json.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { PaymentPayload } from "./paymentPayload.js";

export type EncodePaymentSignatureHeaderParameters = {
  /** The payment to send: v1 goes in `X-PAYMENT`, v2 in `PAYMENT-SIGNATURE`. */
  paymentPayload: PaymentPayload;
};
export type EncodePaymentSignatureHeaderReturnType = string;
export type EncodePaymentSignatureHeaderErrorType = SchemaValidationErrorType;

/**
 * Encodes a `PaymentPayload` as a request header value: base64 (standard alphabet, padded) of its
 * UTF-8 JSON. The same encoding serves `X-PAYMENT` (v1) and `PAYMENT-SIGNATURE` (v2). The value is
 * validated first, so a malformed payload is never sent.
 *
 * @param parameters - {@link EncodePaymentSignatureHeaderParameters}
 * @returns The header value.
 * @throws {SchemaValidationError} When `paymentPayload` is not a valid `PaymentPayload`.
 *
 * @example
 * ```ts
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createPaymentPayload } from "@x402kit/signer";
 * import { encodePaymentSignatureHeader, PAYMENT_SIGNATURE_HEADER } from "@x402kit/signer/wire";
 * const { paymentPayload } = await createPaymentPayload({ signer: privateKeyToAccount(key), paymentRequired });
 * const headers = { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignatureHeader({ paymentPayload }) };
 * ```
 */
export function encodePaymentSignatureHeader(
  parameters: EncodePaymentSignatureHeaderParameters,
): EncodePaymentSignatureHeaderReturnType {
  parseWithSchema(PaymentPayload, parameters.paymentPayload, "PaymentPayload");
  return encodeBase64Json(parameters.paymentPayload);
}
