import { z } from "zod";
import { Address, Caip2Network, Eip155Network, JsonObject, NonEmptyString, Uint256String } from "./primitives.js";

/**
 * x402 v1 `PaymentRequirements`, one entry of a v1 402 body's `accepts`. Accepts exactly what
 * `@x402/core` accepts (its v1 schema is the loosest of the official ones); unknown keys are kept.
 *
 * @see https://github.com/coinbase/x402/blob/main/specs/x402-specification-v1.md
 */
export const PaymentRequirementsV1 = z.looseObject({
  scheme: NonEmptyString,
  /** Legacy network name such as `base-sepolia`. */
  network: NonEmptyString,
  /** Amount in atomic units of `asset`, a decimal string. */
  maxAmountRequired: NonEmptyString,
  /** URL of the resource. */
  resource: NonEmptyString,
  description: z.string(),
  mimeType: z.string().optional(),
  outputSchema: JsonObject.nullish(),
  payTo: NonEmptyString,
  maxTimeoutSeconds: z.number().positive(),
  asset: NonEmptyString,
  /** For EVM `exact`: `{ name, version }`, the token's EIP-712 domain. */
  extra: JsonObject.nullish(),
});
export type PaymentRequirementsV1 = z.infer<typeof PaymentRequirementsV1>;

/**
 * x402 v2 `PaymentRequirements`, one entry of `PaymentRequired.accepts` and the `accepted` echo of a
 * v2 `PaymentPayload`. Accepts exactly what `@x402/core` accepts; unknown keys are kept.
 *
 * @see https://github.com/coinbase/x402/blob/main/specs/x402-specification-v2.md
 */
export const PaymentRequirementsV2 = z.looseObject({
  scheme: NonEmptyString,
  /** CAIP-2 network id such as `eip155:84532`. */
  network: Caip2Network,
  /** Amount in atomic units of `asset`, a decimal string. */
  amount: NonEmptyString,
  asset: NonEmptyString,
  payTo: NonEmptyString,
  maxTimeoutSeconds: z.number().positive(),
  /** For EVM `exact` with EIP-3009: `{ name, version }`, the token's EIP-712 domain. */
  extra: JsonObject.nullish(),
});
export type PaymentRequirementsV2 = z.infer<typeof PaymentRequirementsV2>;

/** v1 or v2 `PaymentRequirements`. */
export const PaymentRequirements = z.union([PaymentRequirementsV2, PaymentRequirementsV1]);
export type PaymentRequirements = z.infer<typeof PaymentRequirements>;

/**
 * `extra` of an EVM `exact` requirement paid with EIP-3009: the token's EIP-712 domain name and
 * version. A requirement whose `assetTransferMethod` is anything but `eip3009` (e.g. `permit2`) is
 * not an EIP-3009 requirement.
 */
export const ExactEvmExtra = z.looseObject({
  name: NonEmptyString,
  version: NonEmptyString,
  assetTransferMethod: z.literal("eip3009").optional(),
});
export type ExactEvmExtra = z.infer<typeof ExactEvmExtra>;

const exactEvmCommon = {
  scheme: z.literal("exact"),
  asset: Address,
  payTo: Address,
  maxTimeoutSeconds: z.number().int().positive(),
  extra: ExactEvmExtra,
};

/**
 * A v1 requirement this package can pay: `exact` scheme, EVM addresses, an integer amount and
 * timeout, and the token's EIP-712 domain in `extra`. The network is a legacy name; resolve it with
 * `networkToChainId`.
 */
export const ExactEvmPaymentRequirementsV1 = PaymentRequirementsV1.extend({
  ...exactEvmCommon,
  maxAmountRequired: Uint256String,
});
export type ExactEvmPaymentRequirementsV1 = z.infer<typeof ExactEvmPaymentRequirementsV1>;

/**
 * A v2 requirement this package can pay: `exact` scheme on an `eip155:<chainId>` network, EVM
 * addresses, an integer amount and timeout, and the token's EIP-712 domain in `extra`.
 */
export const ExactEvmPaymentRequirementsV2 = PaymentRequirementsV2.extend({
  ...exactEvmCommon,
  network: Eip155Network,
  amount: Uint256String,
});
export type ExactEvmPaymentRequirementsV2 = z.infer<typeof ExactEvmPaymentRequirementsV2>;
