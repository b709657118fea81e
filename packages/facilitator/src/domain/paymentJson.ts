import type { ExactPayment } from "./types.js";

/**
 * Serializes a payment for the journal (bigints as decimal strings).
 *
 * @param payment - The payment.
 * @returns JSON text.
 */
export function paymentToJson(payment: ExactPayment): string {
  return JSON.stringify(payment, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}

/**
 * Reads a payment written by {@link paymentToJson}.
 *
 * @param json - JSON text from the journal.
 * @returns The payment.
 */
export function paymentFromJson(json: string): ExactPayment {
  const raw = JSON.parse(json) as ExactPayment & {
    amount: string;
    authorization: ExactPayment["authorization"] & { value: string; validAfter: string; validBefore: string };
  };
  return {
    ...raw,
    amount: BigInt(raw.amount),
    authorization: {
      ...raw.authorization,
      value: BigInt(raw.authorization.value),
      validAfter: BigInt(raw.authorization.validAfter),
      validBefore: BigInt(raw.authorization.validBefore),
    },
  };
}
