import { BaseError } from "./base.js";

/** Type of {@link InvalidChannelConfigError}. */
export type InvalidChannelConfigErrorType = InvalidChannelConfigError & { name: "InvalidChannelConfigError" };

/**
 * A batch-settlement channel cannot be configured or paid as asked: no non-zero `extra.receiverAuthorizer`, a
 * withdraw delay out of range, a `payerAuthorizer` that is not the voucher signer, a deposit below what the
 * voucher needs, or an amount outside uint128.
 */
export class InvalidChannelConfigError extends BaseError {
  override name = "InvalidChannelConfigError" as const;

  constructor({ reason }: { reason: string }) {
    super(`Invalid batch-settlement channel: ${reason}.`);
  }
}

/** Type of {@link VoucherRegressionError}. */
export type VoucherRegressionErrorType = VoucherRegressionError & { name: "VoucherRegressionError" };

/**
 * A voucher would not be strictly above the highest one already recorded for its channel: signing it could let the
 * receiver replay the higher one or make the client pay twice for the same increment. Nothing was signed.
 */
export class VoucherRegressionError extends BaseError {
  override name = "VoucherRegressionError" as const;
  readonly channelId: string;
  readonly recorded: bigint;
  readonly requested: bigint;

  constructor({ channelId, recorded, requested }: { channelId: string; recorded: bigint; requested: bigint }) {
    super(
      `Refusing to sign a voucher of ${requested} on channel ${channelId}: ${recorded} is already signed and recorded.`,
    );
    this.channelId = channelId;
    this.recorded = recorded;
    this.requested = requested;
  }
}

/** Type of {@link ChannelStoreError}. */
export type ChannelStoreErrorType = ChannelStoreError & { name: "ChannelStoreError" };

/** A channel store could not read or durably write a record; no voucher is returned when the write fails. */
export class ChannelStoreError extends BaseError {
  override name = "ChannelStoreError" as const;

  constructor({ operation, channelId, cause }: { operation: "read" | "write"; channelId: string; cause?: unknown }) {
    super(`The channel store could not ${operation} the record of ${channelId}.`, { cause });
  }
}

/** Type of {@link DepositLimitExceededError}. */
export type DepositLimitExceededErrorType = DepositLimitExceededError & { name: "DepositLimitExceededError" };

/**
 * Paying would need a channel deposit above the limit the caller allowed (a spending policy's `maxDeposit`, or what
 * its budgets still allow as committed funds). Nothing was signed or recorded.
 */
export class DepositLimitExceededError extends BaseError {
  override name = "DepositLimitExceededError" as const;
  readonly channelId: string;
  readonly depositAmount: bigint;
  readonly limit: bigint;

  constructor({ channelId, depositAmount, limit }: { channelId: string; depositAmount: bigint; limit: bigint }) {
    super(`Refusing to deposit ${depositAmount} into channel ${channelId}: the limit is ${limit}.`);
    this.channelId = channelId;
    this.depositAmount = depositAmount;
    this.limit = limit;
  }
}
