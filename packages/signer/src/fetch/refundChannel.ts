import type { Hex } from "viem";
import type { ChannelPayer } from "../batch-settlement/createChannelPayer.js";
import type { ChannelStoreErrorType, InvalidChannelConfigErrorType } from "../errors/batchSettlement.js";
import { InvalidPaymentRequiredError, type InvalidPaymentRequiredErrorType } from "../errors/fetch.js";
import { PaymentRefusedError, type PaymentRefusedErrorType } from "../errors/payment.js";
import type { SchemaValidationErrorType } from "../errors/wire.js";
import { lockChannels } from "../internal/lockChannels.js";
import { discardBody, readPaymentRequired } from "../internal/readPaymentRequired.js";
import { decodePaymentResponseHeader } from "../wire/decodePaymentResponseHeader.js";
import { encodePaymentSignatureHeader } from "../wire/encodePaymentSignatureHeader.js";
import type { SettleResponse } from "../wire/facilitator.js";
import { PAYMENT_RESPONSE_HEADER, PAYMENT_SIGNATURE_HEADER } from "../wire/headers.js";
import type { PaymentPayloadV2 } from "../wire/paymentPayload.js";

export type RefundChannelParameters = {
  /** A route paid with `batch-settlement` on the channel (the official server answers a refund without its handler). */
  url: string | URL;
  /** The payer that opened the channel. */
  channelPayer: ChannelPayer;
  /** How much to refund, in atomic units; all that was not charged by default. */
  amount?: bigint | undefined;
  /** The channel to refund (e.g. a retired one); the payer's current channel for the route by default. */
  channelId?: Hex | undefined;
};
export type RefundChannelReturnType = {
  /** `refunded` when the server settled the refund (the payer's record is updated), else `failed`. */
  status: "refunded" | "failed";
  channelId: Hex;
  /** The decoded `PAYMENT-RESPONSE`, when present and valid. */
  settlement: SettleResponse | undefined;
  /** The server's answer (its body not read). */
  response: Response;
};
export type RefundChannelErrorType =
  | InvalidPaymentRequiredErrorType
  | PaymentRefusedErrorType
  | InvalidChannelConfigErrorType
  | ChannelStoreErrorType
  | SchemaValidationErrorType;

/**
 * Asks a `batch-settlement` receiver for a cooperative refund of a channel, as the official client's `refund(url)`:
 * an unpaid request reads the route's requirement, then the refund payload (the voucher at the charged total, and
 * `amount`) goes in `PAYMENT-SIGNATURE`. The receiver claims what it charged and returns the rest on chain. A refused
 * refund is data (`status: "failed"`), not an exception.
 *
 * @param fetch - The `fetch` to use.
 * @param parameters - {@link RefundChannelParameters}
 * @returns What the receiver answered.
 * @throws {InvalidPaymentRequiredError} When the route does not answer 402 with x402 requirements.
 * @throws {PaymentRefusedError} When it offers no `batch-settlement` requirement (`not_offered`).
 * @throws {InvalidChannelConfigError} When the payer has no record of the channel.
 *
 * @example
 * ```ts
 * import { refundChannel } from "@x402kit/signer/fetch";
 * const { status, settlement } = await refundChannel(fetch, { url: "https://api.example.com/metered", channelPayer });
 * console.log(status, settlement?.transaction);
 * ```
 */
export async function refundChannel(
  fetch: typeof globalThis.fetch,
  parameters: RefundChannelParameters,
): Promise<RefundChannelReturnType> {
  const url = String(parameters.url);
  const probe = await fetch(url);
  if (probe.status !== 402) {
    await discardBody(probe);
    throw new InvalidPaymentRequiredError({ url });
  }
  const paymentRequired = await readPaymentRequired(probe, url);
  const index =
    paymentRequired.x402Version === 2
      ? paymentRequired.accepts.findIndex((entry) => entry.scheme === "batch-settlement")
      : -1;
  const requirements = paymentRequired.x402Version === 2 ? paymentRequired.accepts[index] : undefined;
  if (paymentRequired.x402Version !== 2 || !requirements) {
    throw new PaymentRefusedError({
      rejections: [{ index: -1, reason: "not_offered", message: "the route offers no batch-settlement requirement" }],
    });
  }
  const { channelPayer, amount } = parameters;
  const release = await lockChannels(channelPayer);
  try {
    const refund = await channelPayer.refund({ requirements, amount, channelId: parameters.channelId });
    const paymentPayload: PaymentPayloadV2 = {
      x402Version: 2,
      resource: paymentRequired.resource,
      accepted: requirements,
      payload: refund.payload,
    };
    if (paymentRequired.extensions != null) paymentPayload.extensions = paymentRequired.extensions;
    const response = await fetch(url, {
      headers: { [PAYMENT_SIGNATURE_HEADER]: encodePaymentSignatureHeader({ paymentPayload }) },
    });
    let settlement: SettleResponse | undefined;
    const header = response.headers.get(PAYMENT_RESPONSE_HEADER);
    try {
      settlement = header ? decodePaymentResponseHeader({ value: header }) : undefined;
    } catch {
      settlement = undefined;
    }
    const refunded = response.ok && settlement?.success === true;
    if (refunded) await channelPayer.recordRefund({ channelId: refund.channelId, amount });
    return { status: refunded ? "refunded" : "failed", channelId: refund.channelId, settlement, response };
  } finally {
    release();
  }
}
