/**
 * The one shape of every HTTP-level refusal: `{ error, reason }`, where `reason` is a stable snake_case code and
 * `error` a sentence for people. On `/verify` and `/settle`, refusals of the request itself (malformed, too large,
 * wrong content type) also carry the x402 answer fields (`isValid: false` + `invalidReason`, or `success: false` +
 * `errorReason`, both the x402 code `invalid_payload`), so the official `HTTPFacilitatorClient` reads them as a
 * verdict (`VerifyError` / `SettleError`) and the resource server answers its client 402, rather than failing. Retryable
 * refusals (429, 503) and operator errors (401, 403) do not: they say nothing about the payment.
 */

/** Reason codes of HTTP-level refusals. */
export type HttpErrorReason =
  | "invalid_payload"
  | "invalid_request"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "request_timeout"
  | "header_fields_too_large"
  | "rate_limited"
  | "over_capacity"
  | "rpc_unavailable"
  | "queue_full"
  | "shutting_down"
  | "not_writer"
  | "internal_error";

/** Statuses whose refusal is a verdict on the request body, answered in x402 form on `/verify` and `/settle`. */
const VERDICT_STATUSES: ReadonlySet<number> = new Set([400, 413, 415]);

/** The JSON body of an HTTP-level refusal. */
export type HttpErrorBody = {
  error: string;
  reason: HttpErrorReason;
  requestId?: string;
  retryable?: true;
  isValid?: false;
  invalidReason?: string;
  invalidMessage?: string;
  success?: false;
  errorReason?: string;
  errorMessage?: string;
  payer?: string;
  transaction?: string;
  network?: string;
};

/**
 * Builds the body of an HTTP-level refusal for `path`.
 *
 * @param parameters - The request path, the status, the reason code and the message.
 * @returns The JSON body.
 */
export function httpErrorBody(parameters: {
  path: string;
  status: number;
  reason: HttpErrorReason;
  message: string;
  requestId?: string | undefined;
}): HttpErrorBody {
  const { path, status, reason, message } = parameters;
  const body: HttpErrorBody = { error: message, reason };
  if (parameters.requestId) body.requestId = parameters.requestId;
  if (status === 429 || status === 503) body.retryable = true;
  if (!VERDICT_STATUSES.has(status)) return body;
  if (path === "/verify") {
    return { ...body, isValid: false, invalidReason: "invalid_payload", invalidMessage: message, payer: "" };
  }
  if (path === "/settle") {
    return {
      ...body,
      success: false,
      errorReason: "invalid_payload",
      errorMessage: message,
      payer: "",
      transaction: "",
      network: "",
    };
  }
  return body;
}

/** The path of a request target (`/verify?x=1` → `/verify`), for bodies and metrics; never throws. */
export function requestPath(target: string | undefined): string {
  const raw = target ?? "/";
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}
