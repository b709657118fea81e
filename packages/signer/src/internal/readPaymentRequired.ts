import { InvalidPaymentRequiredError } from "../errors/fetch.js";
import { decodePaymentRequiredHeader } from "../wire/decodePaymentRequiredHeader.js";
import { PAYMENT_REQUIRED_HEADER } from "../wire/headers.js";
import { PaymentRequired } from "../wire/paymentRequired.js";
import { parseWithSchema } from "./parseWithSchema.js";

/** Largest 402 body read when looking for a v1 `PaymentRequired` (1 MiB). */
const MAX_BODY_BYTES = 1 << 20;

/**
 * Extracts the x402 `PaymentRequired` of a 402 response: the v2 `PAYMENT-REQUIRED` header first, then
 * a JSON body with `x402Version` (v1), as the official client does.
 *
 * @param response - The 402 response (its body is consumed).
 * @param url - Request URL, for errors.
 * @returns The validated `PaymentRequired`.
 * @throws {InvalidPaymentRequiredError} When neither is present or valid.
 */
export async function readPaymentRequired(response: Response, url: string): Promise<PaymentRequired> {
  const header = response.headers.get(PAYMENT_REQUIRED_HEADER);
  if (header) {
    // The v2 answer is in the header: release the body so the connection goes back to the pool.
    await discardBody(response);
    try {
      return decodePaymentRequiredHeader({ value: header });
    } catch (cause) {
      throw new InvalidPaymentRequiredError({ url, cause });
    }
  }
  let body: unknown;
  try {
    const text = await readLimited(response);
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch (cause) {
    throw new InvalidPaymentRequiredError({ url, cause });
  }
  if (body === null || typeof body !== "object" || !("x402Version" in body)) {
    throw new InvalidPaymentRequiredError({ url });
  }
  try {
    return parseWithSchema(PaymentRequired, body, "PaymentRequired");
  } catch (cause) {
    throw new InvalidPaymentRequiredError({ url, cause });
  }
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new RangeError(`402 body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Cancels a response body that will not be read, so an unread 402 never holds its connection until
 * garbage collection.
 *
 * @param response - A response whose body is of no further use.
 */
export async function discardBody(response: Response): Promise<void> {
  if (response.bodyUsed || !response.body) return;
  await response.body.cancel().catch(() => undefined);
}
