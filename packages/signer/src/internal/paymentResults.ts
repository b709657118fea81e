import type { ChannelPayment } from "../batch-settlement/createChannelPayer.js";
import type { TransferAuthorization } from "../eip3009/types.js";
import type { BaseError } from "../errors/base.js";
import type { PaymentOption } from "../payload/types.js";
import type { Permit2Payload } from "../permit2/types.js";
import type { SettleResponse } from "../wire/facilitator.js";
import type { ExactEvmPaymentPayloadV1, ExactEvmPaymentPayloadV2, PaymentPayloadV2 } from "../wire/paymentPayload.js";

/** A v2 `PaymentPayload` of the `batch-settlement` scheme: a deposit with its first voucher, or a voucher. */
export type BatchSettlementPaymentPayload = PaymentPayloadV2 & { payload: ChannelPayment["payload"] };

/** A v2 `PaymentPayload` paid through Permit2 (`exact` with `assetTransferMethod: "permit2"`, or `upto`). */
export type Permit2PaymentPayload = PaymentPayloadV2 & { payload: Permit2Payload };

/**
 * What happened to the payment behind a response of a wrapped `fetch`:
 * - `settled`: the server reported a successful settlement (`transaction` is the tx hash);
 * - `failed`: the server answered 402 again or reported a failed settlement;
 * - `unknown`: the server answered without a settlement header.
 */
export type PaymentStatus = "settled" | "failed" | "unknown";

/** The payment a wrapped `fetch` made for one response. */
export type PaymentResult = {
  /** Outcome as far as the response tells. */
  status: PaymentStatus;
  /** The decoded `PAYMENT-RESPONSE` / `X-PAYMENT-RESPONSE`, when present and valid. */
  settlement: SettleResponse | undefined;
  /** Why the settlement header could not be decoded, when it was present but malformed. */
  settlementError: BaseError | undefined;
  /** The payload that was sent (once, or re-sent unchanged after transport failures). */
  paymentPayload:
    | ExactEvmPaymentPayloadV1
    | ExactEvmPaymentPayloadV2
    | BatchSettlementPaymentPayload
    | Permit2PaymentPayload;
  /** The signed EIP-3009 authorization of an `exact` payment; `undefined` for `batch-settlement` and Permit2. */
  authorization: TransferAuthorization | undefined;
  /** The channel payment of a `batch-settlement` requirement (voucher, increment, deposit); else `undefined`. */
  channel: ChannelPayment | undefined;
  /**
   * What a receiver's corrective 402 led to: `"resynced"` (its proven charged total adopted) or `"reopened"` (the
   * channel retired; the next payment opens a new one). `undefined` otherwise.
   */
  channelRecovery: "resynced" | "reopened" | undefined;
  /** The requirement that was paid. */
  option: PaymentOption;
  /** Times the same payment was re-sent after a transport failure (0 when the first send worked). */
  resends: number;
};

/** Payment results of responses returned by `wrapFetchWithPayment`, keyed by the response object. */
export const paymentResults = new WeakMap<Response, PaymentResult>();
