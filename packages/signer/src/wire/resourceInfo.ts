import { z } from "zod";
import { NonEmptyString } from "./primitives.js";

/**
 * x402 v2 `ResourceInfo`: the protected resource a `PaymentRequired` describes, copied by the client
 * into its `PaymentPayload`. Optional fields accept `null` (other SDKs send it) and unknown keys are
 * kept, so a decoded object re-encodes unchanged.
 */
export const ResourceInfo = z.looseObject({
  url: NonEmptyString,
  description: z.string().nullish(),
  mimeType: z.string().nullish(),
  serviceName: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  iconUrl: z.string().nullish(),
});
export type ResourceInfo = z.infer<typeof ResourceInfo>;
