import { z } from "zod";
import { ExactEvmPayload } from "./exactEvmPayload.js";
import { PaymentRequirementsV2 } from "./paymentRequirements.js";
import { JsonObject, NonEmptyString } from "./primitives.js";
import { ResourceInfo } from "./resourceInfo.js";

/**
 * x402 v1 `PaymentPayload`, carried base64-encoded in the `X-PAYMENT` request header. `payload` is
 * scheme-specific; for EVM `exact` it is an {@link ExactEvmPayload}.
 */
export const PaymentPayloadV1 = z.looseObject({
  x402Version: z.literal(1),
  scheme: NonEmptyString,
  network: NonEmptyString,
  payload: JsonObject,
});
export type PaymentPayloadV1 = z.infer<typeof PaymentPayloadV1>;

/**
 * x402 v2 `PaymentPayload`, carried base64-encoded in the `PAYMENT-SIGNATURE` request header.
 * `accepted` is the requirement the client chose, copied verbatim; `resource` and `extensions` echo
 * the `PaymentRequired`.
 */
export const PaymentPayloadV2 = z.looseObject({
  x402Version: z.literal(2),
  resource: ResourceInfo.nullish(),
  accepted: PaymentRequirementsV2,
  payload: JsonObject,
  extensions: JsonObject.nullish(),
});
export type PaymentPayloadV2 = z.infer<typeof PaymentPayloadV2>;

/** v1 or v2 `PaymentPayload`, discriminated by `x402Version`. */
export const PaymentPayload = z.discriminatedUnion("x402Version", [PaymentPayloadV1, PaymentPayloadV2]);
export type PaymentPayload = z.infer<typeof PaymentPayload>;

/** A v1 `PaymentPayload` of the EVM `exact` scheme with an EIP-3009 payload. */
export const ExactEvmPaymentPayloadV1 = PaymentPayloadV1.extend({
  scheme: z.literal("exact"),
  payload: ExactEvmPayload,
});
export type ExactEvmPaymentPayloadV1 = z.infer<typeof ExactEvmPaymentPayloadV1>;

/** A v2 `PaymentPayload` of the EVM `exact` scheme with an EIP-3009 payload. */
export const ExactEvmPaymentPayloadV2 = PaymentPayloadV2.extend({
  payload: ExactEvmPayload,
});
export type ExactEvmPaymentPayloadV2 = z.infer<typeof ExactEvmPaymentPayloadV2>;
