import { type Address, getAddress, type Hex } from "viem";
import { InvalidChannelConfigError } from "../errors/batchSettlement.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { DEFAULT_CHANNEL_SALT, MIN_WITHDRAW_DELAY } from "./constants.js";
import { BatchSettlementPaymentRequirements } from "./schemas.js";
import type { ChannelConfig } from "./types.js";

export type BuildChannelConfigParameters = {
  /** The payer's address (the account that deposits). */
  payer: Address;
  /** The `batch-settlement` requirement (validated). */
  requirements: unknown;
  /** Who signs vouchers; defaults to `voucherSigner`, then the payer, as in the official client. */
  payerAuthorizer?: Address | undefined;
  /** Address of a separate voucher signer, if any. */
  voucherSigner?: Address | undefined;
  /** The channel's salt (bytes32); the official client's default is zero, one channel per payer and payee. */
  salt?: Hex | undefined;
};

/**
 * The channel a payer opens to pay a `batch-settlement` requirement, field for field the official client's
 * `buildChannelConfig`: payer, `payerAuthorizer` (checksummed), `receiver = payTo`, `receiverAuthorizer`
 * (checksummed, non-zero), `token = asset`, `withdrawDelay = extra.withdrawDelay ?? 900`, the salt.
 *
 * @param parameters - {@link BuildChannelConfigParameters}
 * @returns The channel configuration.
 * @throws {SchemaValidationError} When the requirement is not a valid `batch-settlement` requirement.
 * @throws {InvalidChannelConfigError} When `payerAuthorizer` and `voucherSigner` disagree.
 */
export function buildChannelConfig(parameters: BuildChannelConfigParameters): ChannelConfig {
  const requirements = parseWithSchema(
    BatchSettlementPaymentRequirements,
    parameters.requirements,
    "batch-settlement PaymentRequirements",
  );
  const { payerAuthorizer, voucherSigner } = parameters;
  if (
    payerAuthorizer !== undefined &&
    voucherSigner !== undefined &&
    getAddress(payerAuthorizer) !== getAddress(voucherSigner)
  ) {
    throw new InvalidChannelConfigError({ reason: "payerAuthorizer must be the voucher signer's address" });
  }
  const salt = parameters.salt ?? DEFAULT_CHANNEL_SALT;
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt)) throw new InvalidChannelConfigError({ reason: "the salt is not bytes32" });
  return {
    payer: parameters.payer,
    payerAuthorizer: getAddress(payerAuthorizer ?? voucherSigner ?? parameters.payer),
    receiver: requirements.payTo,
    receiverAuthorizer: getAddress(requirements.extra.receiverAuthorizer),
    token: requirements.asset,
    withdrawDelay: requirements.extra.withdrawDelay ?? MIN_WITHDRAW_DELAY,
    salt,
  };
}
