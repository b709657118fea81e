/**
 * Bodies of the facilitator HTTP API: `POST /verify`, `POST /settle` and `GET /supported`.
 *
 * @see https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md
 */
import { z } from "zod";
import { PaymentPayloadV1, PaymentPayloadV2 } from "./paymentPayload.js";
import { PaymentRequirementsV1, PaymentRequirementsV2 } from "./paymentRequirements.js";
import { JsonObject, NonEmptyString } from "./primitives.js";

/**
 * Body of `POST /verify` for a v1 payment. The top-level `x402Version` is informational (facilitators
 * route on `paymentPayload.x402Version`); both official clients send it.
 */
export const VerifyRequestV1 = z.looseObject({
  x402Version: z.number().int().optional(),
  paymentPayload: PaymentPayloadV1,
  paymentRequirements: PaymentRequirementsV1,
});
export type VerifyRequestV1 = z.infer<typeof VerifyRequestV1>;

/** Body of `POST /verify` for a v2 payment. */
export const VerifyRequestV2 = z.looseObject({
  x402Version: z.number().int().optional(),
  paymentPayload: PaymentPayloadV2,
  paymentRequirements: PaymentRequirementsV2,
});
export type VerifyRequestV2 = z.infer<typeof VerifyRequestV2>;

/** Body of `POST /verify`: v1 or v2 (the payload's `x402Version` decides). */
export const VerifyRequest = z.union([VerifyRequestV2, VerifyRequestV1]);
export type VerifyRequest = z.infer<typeof VerifyRequest>;

/** Body of `POST /settle` for a v1 payment (same shape as {@link VerifyRequestV1}). */
export const SettleRequestV1 = VerifyRequestV1;
export type SettleRequestV1 = VerifyRequestV1;

/** Body of `POST /settle` for a v2 payment (same shape as {@link VerifyRequestV2}). */
export const SettleRequestV2 = VerifyRequestV2;
export type SettleRequestV2 = VerifyRequestV2;

/** Body of `POST /settle` (same shape as {@link VerifyRequest}). */
export const SettleRequest = VerifyRequest;
export type SettleRequest = VerifyRequest;

/**
 * Response of `POST /verify`. `invalidReason` is a reason code when `isValid` is false; `payer` is
 * the authorization's `from`, also on failure. Optional fields accept `null`, as `@x402/core` does.
 */
export const VerifyResponse = z.looseObject({
  isValid: z.boolean(),
  invalidReason: z.string().nullish(),
  invalidMessage: z.string().nullish(),
  payer: z.string().nullish(),
  extensions: JsonObject.nullish(),
  extra: JsonObject.nullish(),
});
export type VerifyResponse = z.infer<typeof VerifyResponse>;

/**
 * Response of `POST /settle`, and the decoded `PAYMENT-RESPONSE` / `X-PAYMENT-RESPONSE` header.
 * `transaction` is `""` when nothing was broadcast; `network` echoes the request's network string.
 */
export const SettleResponse = z.looseObject({
  success: z.boolean(),
  errorReason: z.string().nullish(),
  errorMessage: z.string().nullish(),
  payer: z.string().nullish(),
  transaction: z.string(),
  network: NonEmptyString,
  amount: z.string().nullish(),
  extensions: JsonObject.nullish(),
  extra: JsonObject.nullish(),
});
export type SettleResponse = z.infer<typeof SettleResponse>;

/** One `(x402Version, scheme, network)` a facilitator supports. */
export const SupportedKind = z.looseObject({
  x402Version: z.number().int().positive(),
  scheme: NonEmptyString,
  network: NonEmptyString,
  extra: JsonObject.nullish(),
});
export type SupportedKind = z.infer<typeof SupportedKind>;

/**
 * Response of `GET /supported`. v1 facilitators send only `kinds`; clients treat missing
 * `extensions` / `signers` as `[]` / `{}`.
 */
export const SupportedResponse = z.looseObject({
  kinds: z.array(SupportedKind),
  extensions: z.array(z.string()).optional(),
  /** CAIP family pattern (e.g. `eip155:*`) → signer addresses. */
  signers: z.record(z.string(), z.array(z.string())).optional(),
});
export type SupportedResponse = z.infer<typeof SupportedResponse>;
