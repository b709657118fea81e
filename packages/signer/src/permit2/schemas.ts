import { z } from "zod";
import { PaymentRequirementsV2 } from "../wire/paymentRequirements.js";
import { Address, Eip155Network, HexSignature, Uint256String } from "../wire/primitives.js";

/** A v2 `exact` requirement paid through Permit2: `extra.assetTransferMethod` is `"permit2"`. */
export const ExactPermit2PaymentRequirements = PaymentRequirementsV2.extend({
  scheme: z.literal("exact"),
  network: Eip155Network,
  amount: Uint256String,
  asset: Address,
  payTo: Address,
  maxTimeoutSeconds: z.number().int().positive(),
  extra: z.looseObject({ assetTransferMethod: z.literal("permit2") }),
});
export type ExactPermit2PaymentRequirements = z.infer<typeof ExactPermit2PaymentRequirements>;

/** A v2 `upto` requirement: `amount` is the maximum; `extra.facilitatorAddress` the one facilitator that may settle. */
export const UptoPaymentRequirements = PaymentRequirementsV2.extend({
  scheme: z.literal("upto"),
  network: Eip155Network,
  amount: Uint256String,
  asset: Address,
  payTo: Address,
  maxTimeoutSeconds: z.number().int().positive(),
  extra: z.looseObject({ facilitatorAddress: Address }),
});
export type UptoPaymentRequirements = z.infer<typeof UptoPaymentRequirements>;

/** The `payload` of a Permit2 payment as it arrives on the wire (facilitators validate it with this). */
export const Permit2PayloadSchema = z.object({
  signature: HexSignature,
  permit2Authorization: z.object({
    from: Address,
    permitted: z.object({ token: Address, amount: Uint256String }),
    spender: Address,
    nonce: Uint256String,
    deadline: Uint256String,
    witness: z.object({ to: Address, validAfter: Uint256String, facilitator: Address.optional() }),
  }),
});

const hexAddress = z
  .string()
  .regex(/^0x[a-fA-F0-9]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((value) => value as `0x${string}`);
const decimal = z.string().regex(/^[0-9]+$/, "expected an unsigned decimal integer string");

/**
 * `extensions.eip2612GasSponsoring.info` of a payment: the payer's EIP-2612 `permit` of Permit2 on the token, which a
 * facilitator spends first (`settleWithPermit`). Field checks as the official `validateEip2612GasSponsoringInfo`.
 */
export const Eip2612GasSponsoringInfo = z.object({
  from: hexAddress,
  asset: hexAddress,
  spender: hexAddress,
  amount: decimal,
  nonce: decimal,
  deadline: decimal,
  signature: z
    .string()
    .regex(/^0x[a-fA-F0-9]+$/, "expected 0x-prefixed hex")
    .transform((value) => value as `0x${string}`),
  version: z.string().regex(/^[0-9]+(\.[0-9]+)*$/, "expected a version such as 1"),
});
export type Eip2612GasSponsoringInfo = z.infer<typeof Eip2612GasSponsoringInfo>;
