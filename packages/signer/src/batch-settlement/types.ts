import type { Address, Hex } from "viem";

/** A channel's configuration, as the official client sends it in `payload.channelConfig`. */
export type ChannelConfig = {
  payer: Address;
  payerAuthorizer: Address;
  receiver: Address;
  receiverAuthorizer: Address;
  token: Address;
  withdrawDelay: number;
  salt: Hex;
};

/** A signed voucher: the receiver may claim up to `maxClaimableAmount` (cumulative) from the channel. */
export type Voucher = {
  channelId: Hex;
  maxClaimableAmount: string;
  signature: Hex;
};

/** `payload` of the first payment on a channel: an ERC-3009 deposit and the first voucher. */
export type BatchSettlementDepositPayload = {
  type: "deposit";
  channelConfig: ChannelConfig;
  voucher: Voucher;
  deposit: {
    amount: string;
    authorization: {
      erc3009Authorization: { validAfter: string; validBefore: string; salt: Hex; signature: Hex };
    };
  };
};

/** `payload` of a later payment: a voucher with a higher cumulative ceiling. */
export type BatchSettlementVoucherPayload = {
  type: "voucher";
  channelConfig: ChannelConfig;
  voucher: Voucher;
};

/** `payload` of a refund request: the voucher at the charged amount, and optionally the amount to refund. */
export type BatchSettlementRefundPayload = {
  type: "refund";
  channelConfig: ChannelConfig;
  voucher: Voucher;
  amount?: string;
};

/** Any batch-settlement `payload`. */
export type BatchSettlementPayload =
  | BatchSettlementDepositPayload
  | BatchSettlementVoucherPayload
  | BatchSettlementRefundPayload;
