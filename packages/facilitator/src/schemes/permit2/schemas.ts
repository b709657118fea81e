import { Eip2612GasSponsoringInfo, Permit2PayloadSchema } from "@x402kit/signer/permit2";
import { z } from "zod";

/**
 * The requirements a Permit2 payment is checked against (v2): only what the checks read. Stricter shapes (the
 * official client's `extra.assetTransferMethod`, `extra.facilitatorAddress`) are the resource server's business.
 */
export const Permit2Requirements = z.looseObject({
  scheme: z.string(),
  network: z.string(),
  asset: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  payTo: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  amount: z.string().regex(/^[0-9]+$/),
});
export type Permit2Requirements = z.infer<typeof Permit2Requirements>;

/** The wire `payload` of a Permit2 payment (`permit2Authorization` + `signature`), the signer package's schema. */
export const Permit2Payload = Permit2PayloadSchema;
export type Permit2Payload = z.infer<typeof Permit2Payload>;

/**
 * The EIP-2612 gas-sponsoring extension (`paymentPayload.extensions.eip2612GasSponsoring.info`): the payer's
 * `permit` of Permit2, which `settleWithPermit` spends first. The signer package's schema (field checks as the
 * official facilitator's `validateEip2612GasSponsoringInfo`), the one its `createEip2612GasSponsoringExtension` output
 * is validated with.
 */
export const Eip2612Permit = Eip2612GasSponsoringInfo;
export type Eip2612Permit = z.infer<typeof Eip2612Permit>;
