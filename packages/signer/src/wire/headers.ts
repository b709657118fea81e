/**
 * x402 HTTP header names. HTTP header names are case-insensitive; these are the spellings the
 * specifications and the official SDK use.
 */

/** v1 request header carrying the base64 JSON `PaymentPayload`. */
export const X_PAYMENT_HEADER = "X-PAYMENT" as const;

/** v1 response header carrying the base64 JSON `SettleResponse`. */
export const X_PAYMENT_RESPONSE_HEADER = "X-PAYMENT-RESPONSE" as const;

/** v2 response header (on the 402) carrying the base64 JSON `PaymentRequired`. */
export const PAYMENT_REQUIRED_HEADER = "PAYMENT-REQUIRED" as const;

/** v2 request header carrying the base64 JSON `PaymentPayload`. */
export const PAYMENT_SIGNATURE_HEADER = "PAYMENT-SIGNATURE" as const;

/** v2 response header carrying the base64 JSON `SettleResponse`. */
export const PAYMENT_RESPONSE_HEADER = "PAYMENT-RESPONSE" as const;

/** Default upper bound on an encoded header value accepted by the decoders, in characters (64 KiB). */
export const MAX_HEADER_VALUE_LENGTH = 65_536;
