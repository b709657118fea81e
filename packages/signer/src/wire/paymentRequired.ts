import { z } from "zod";
import { PaymentRequirementsV1, PaymentRequirementsV2 } from "./paymentRequirements.js";
import { JsonObject } from "./primitives.js";
import { ResourceInfo } from "./resourceInfo.js";

/**
 * x402 v1 402 response body: `{ x402Version: 1, error, accepts }`. Sent as plain JSON in the body.
 */
export const PaymentRequiredV1 = z.looseObject({
  x402Version: z.literal(1),
  error: z.string().nullish(),
  accepts: z.array(PaymentRequirementsV1).min(1),
});
export type PaymentRequiredV1 = z.infer<typeof PaymentRequiredV1>;

/**
 * x402 v2 `PaymentRequired`, carried base64-encoded in the `PAYMENT-REQUIRED` response header.
 */
export const PaymentRequiredV2 = z.looseObject({
  x402Version: z.literal(2),
  error: z.string().nullish(),
  resource: ResourceInfo,
  accepts: z.array(PaymentRequirementsV2).min(1),
  extensions: JsonObject.nullish(),
});
export type PaymentRequiredV2 = z.infer<typeof PaymentRequiredV2>;

/** v1 or v2 `PaymentRequired`, discriminated by `x402Version`. */
export const PaymentRequired = z.discriminatedUnion("x402Version", [PaymentRequiredV1, PaymentRequiredV2]);
export type PaymentRequired = z.infer<typeof PaymentRequired>;
