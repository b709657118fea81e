import { z } from "zod";
import { PaymentRequirementsV2 } from "../wire/paymentRequirements.js";
import { Address, Bytes32Hex, Eip155Network, HexSignature, Uint256String } from "../wire/primitives.js";
import { MAX_UINT128, MAX_WITHDRAW_DELAY, MIN_WITHDRAW_DELAY } from "./constants.js";

const Uint128String = Uint256String.refine((value) => BigInt(value) <= MAX_UINT128, "exceeds uint128");

/**
 * A v2 `batch-settlement` requirement: `amount` is the price of one request, `extra.receiverAuthorizer` (non-zero)
 * co-signs claims; `extra.name`/`extra.version` are the token's EIP-712 domain for ERC-3009 deposits.
 */
export const BatchSettlementPaymentRequirements = PaymentRequirementsV2.extend({
  scheme: z.literal("batch-settlement"),
  network: Eip155Network,
  amount: Uint128String,
  asset: Address,
  payTo: Address,
  maxTimeoutSeconds: z.number().int().positive(),
  extra: z.looseObject({
    receiverAuthorizer: Address.refine((value) => !/^0x0{40}$/.test(value), "must not be the zero address"),
    withdrawDelay: z.number().int().min(MIN_WITHDRAW_DELAY).max(MAX_WITHDRAW_DELAY).optional(),
    name: z.string().min(1).optional(),
    version: z.string().min(1).optional(),
    minDeposit: z.string().optional(),
    assetTransferMethod: z.string().optional(),
  }),
});
export type BatchSettlementPaymentRequirements = z.infer<typeof BatchSettlementPaymentRequirements>;

/** `payload.channelConfig`. */
export const ChannelConfigSchema = z.object({
  payer: Address,
  payerAuthorizer: Address,
  receiver: Address,
  receiverAuthorizer: Address,
  token: Address,
  withdrawDelay: z.number().int().min(MIN_WITHDRAW_DELAY).max(MAX_WITHDRAW_DELAY),
  salt: Bytes32Hex,
});

/** `payload.voucher`. */
export const VoucherSchema = z.object({
  channelId: Bytes32Hex,
  maxClaimableAmount: Uint128String,
  signature: HexSignature,
});

/** The `payload` of a deposit (first payment, or a top-up) over ERC-3009. */
export const BatchSettlementDepositPayloadSchema = z.object({
  type: z.literal("deposit"),
  channelConfig: ChannelConfigSchema,
  voucher: VoucherSchema,
  deposit: z.object({
    amount: Uint128String,
    authorization: z.object({
      erc3009Authorization: z.object({
        validAfter: Uint256String,
        validBefore: Uint256String,
        salt: Bytes32Hex,
        signature: HexSignature,
      }),
    }),
  }),
});

/** The `payload` of a voucher payment. */
export const BatchSettlementVoucherPayloadSchema = z.object({
  type: z.literal("voucher"),
  channelConfig: ChannelConfigSchema,
  voucher: VoucherSchema,
});

/** The `payload` of a refund request. */
export const BatchSettlementRefundPayloadSchema = z.object({
  type: z.literal("refund"),
  channelConfig: ChannelConfigSchema,
  voucher: VoucherSchema,
  amount: Uint128String.optional(),
});

/** Any batch-settlement `payload`, by its `type`. */
export const BatchSettlementPayloadSchema = z.discriminatedUnion("type", [
  BatchSettlementDepositPayloadSchema,
  BatchSettlementVoucherPayloadSchema,
  BatchSettlementRefundPayloadSchema,
]);
