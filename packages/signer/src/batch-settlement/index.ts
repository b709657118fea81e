/**
 * `@x402kit/signer/batch-settlement`: the payer's side of x402's `batch-settlement` scheme — channel ids, the
 * ERC-3009 deposit, vouchers and refunds as the official `@x402/evm` client signs them, and a payer that tracks
 * cumulative amounts durably. The file store lives in `@x402kit/signer/batch-settlement/node`.
 *
 * @packageDocumentation
 */

export {
  ChannelStoreError,
  type ChannelStoreErrorType,
  DepositLimitExceededError,
  type DepositLimitExceededErrorType,
  InvalidChannelConfigError,
  type InvalidChannelConfigErrorType,
  VoucherRegressionError,
  type VoucherRegressionErrorType,
} from "../errors/batchSettlement.js";
export { type BuildChannelConfigParameters, buildChannelConfig } from "./buildChannelConfig.js";
export { type ChannelRecord, type ChannelStore, createMemoryChannelStore } from "./channelStore.js";
export { buildErc3009DepositNonce, computeChannelId, getBatchSettlementDomain } from "./computeChannelId.js";
export {
  BATCH_SETTLEMENT_ADDRESS,
  BATCH_SETTLEMENT_DOMAIN,
  BATCH_SETTLEMENT_SCHEME,
  CUMULATIVE_AMOUNT_MISMATCH,
  channelConfigTypes,
  DEFAULT_CHANNEL_SALT,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  MAX_UINT128,
  MAX_WITHDRAW_DELAY,
  MIN_WITHDRAW_DELAY,
  refundTypes,
  voucherTypes,
} from "./constants.js";
export {
  type ChannelPayer,
  type ChannelPayment,
  type CreateChannelPayerErrorType,
  type CreateChannelPayerParameters,
  type CreateChannelPayerReturnType,
  createChannelPayer,
} from "./createChannelPayer.js";
export {
  type CreateDepositPayloadParameters,
  createDepositPayload,
  defaultDepositAmount,
} from "./createDepositPayload.js";
export {
  type CreateVoucherPayloadParameters,
  createRefundPayload,
  createVoucherPayload,
} from "./createVoucherPayload.js";
export {
  BatchSettlementDepositPayloadSchema,
  BatchSettlementPayloadSchema,
  BatchSettlementPaymentRequirements,
  BatchSettlementRefundPayloadSchema,
  BatchSettlementVoucherPayloadSchema,
  ChannelConfigSchema,
  VoucherSchema,
} from "./schemas.js";
export { buildVoucherTypedData, signVoucher } from "./signVoucher.js";
export type {
  BatchSettlementDepositPayload,
  BatchSettlementPayload,
  BatchSettlementRefundPayload,
  BatchSettlementVoucherPayload,
  ChannelConfig,
  Voucher,
} from "./types.js";
export { verifyVoucherSignature } from "./verifyVoucherSignature.js";
