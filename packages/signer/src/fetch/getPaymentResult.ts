import { type PaymentResult, paymentResults } from "../internal/paymentResults.js";

export type { PaymentResult, PaymentStatus } from "../internal/paymentResults.js";

export type GetPaymentResultParameters = {
  /** A response returned by a function from `wrapFetchWithPayment`. */
  response: Response;
};
export type GetPaymentResultReturnType = PaymentResult | undefined;

/**
 * The payment behind a response of a wrapped `fetch`, including the decoded settlement response.
 * `undefined` when the request needed no payment.
 *
 * @param parameters - {@link GetPaymentResultParameters}
 * @returns The payment result, if a payment was made.
 *
 * @example
 * ```ts
 * import { getPaymentResult, wrapFetchWithPayment } from "@x402kit/signer/fetch";
 * const pay = wrapFetchWithPayment(fetch, { signer, policy });
 * const response = await pay("https://api.example.com/report");
 * const payment = getPaymentResult({ response });
 * if (payment?.status === "settled") console.log("paid in", payment.settlement?.transaction);
 * ```
 */
export function getPaymentResult(parameters: GetPaymentResultParameters): GetPaymentResultReturnType {
  return paymentResults.get(parameters.response);
}
