import type { PaymentResult } from "../fetch/getPaymentResult.js";

/** Payment results of responses returned by `wrapFetchWithPayment`, keyed by the response object. */
export const paymentResults = new WeakMap<Response, PaymentResult>();
