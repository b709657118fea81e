import type { Hex } from "viem";
import { createNonce } from "../eip3009/createNonce.js";
import { getValidityWindow } from "../eip3009/getValidityWindow.js";
import { signTransferWithAuthorization } from "../eip3009/signTransferWithAuthorization.js";
import { toWireAuthorization } from "../eip3009/toWireAuthorization.js";
import type { TransferAuthorization } from "../eip3009/types.js";
import { PaymentRefusedError, type PaymentRefusedErrorType } from "../errors/payment.js";
import type { AccountNotFoundErrorType, InvalidAuthorizationErrorType } from "../errors/signer.js";
import type { SchemaValidationErrorType } from "../errors/wire.js";
import { canonicalJson } from "../internal/canonicalJson.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import type { TypedDataSigner } from "../signer/types.js";
import type { CustomV1Networks } from "../wire/networks.js";
import type { ExactEvmPaymentPayloadV1, ExactEvmPaymentPayloadV2 } from "../wire/paymentPayload.js";
import { PaymentRequired } from "../wire/paymentRequired.js";
import type { PaymentRequirementsV1, PaymentRequirementsV2 } from "../wire/paymentRequirements.js";
import { getPaymentOptions } from "./getPaymentOptions.js";
import { selectPaymentRequirements } from "./selectPaymentRequirements.js";
import type { PaymentOption } from "./types.js";

export type CreatePaymentPayloadParameters = {
  /** The payer: a viem account or a wallet client with an account. */
  signer: TypedDataSigner;
  /** The server's `PaymentRequired` (v1 402 body or decoded v2 header); validated here. */
  paymentRequired: PaymentRequired;
  /**
   * The entry of `paymentRequired.accepts` to pay (the same object, or an equal one). Defaults to the
   * first payable entry (see `selectPaymentRequirements`).
   */
  requirements?: PaymentRequirementsV1 | PaymentRequirementsV2 | undefined;
  /** Nonce to use instead of a random one (tests, or a commitment nonce). */
  nonce?: Hex | undefined;
  /** Current unix time in seconds, for the validity window. Defaults to the system clock. */
  now?: number | bigint | undefined;
  /** Extra v1 network names, e.g. `{ localhost: 31337 }`. */
  customV1Networks?: CustomV1Networks | undefined;
};
export type CreatePaymentPayloadReturnType = {
  /** The payload to send (`X-PAYMENT` for v1, `PAYMENT-SIGNATURE` for v2). */
  paymentPayload: ExactEvmPaymentPayloadV1 | ExactEvmPaymentPayloadV2;
  /** The signed authorization with bigint fields. */
  authorization: TransferAuthorization;
  /** The option that was paid. */
  option: PaymentOption;
};
export type CreatePaymentPayloadErrorType =
  | SchemaValidationErrorType
  | PaymentRefusedErrorType
  | InvalidAuthorizationErrorType
  | AccountNotFoundErrorType;

/**
 * Signs an x402 `exact` EVM payment (EIP-3009 `TransferWithAuthorization`) for one requirement of a
 * `PaymentRequired`, the way the official client does: `to = payTo`, `value` = the exact amount,
 * `validAfter = now − 600`, `validBefore = now + maxTimeoutSeconds`, a random 32-byte nonce.
 *
 * - v1: `{ x402Version: 1, scheme, network, payload }`.
 * - v2: `{ x402Version: 2, resource, accepted, payload, extensions }` with `accepted` the server's
 *   entry copied verbatim (servers match it by deep equality) and `resource`/`extensions` echoed.
 *
 * @param parameters - {@link CreatePaymentPayloadParameters}
 * @returns The payload, the signed authorization and the option paid.
 * @throws {SchemaValidationError} When `paymentRequired` is malformed.
 * @throws {PaymentRefusedError} When the requirement cannot be paid (or is not in `accepts`).
 *
 * @example
 * ```ts
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createPaymentPayload } from "@x402kit/signer";
 * import { decodePaymentRequiredHeader, encodePaymentSignatureHeader } from "@x402kit/signer/wire";
 * const paymentRequired = decodePaymentRequiredHeader({ value: res.headers.get("PAYMENT-REQUIRED")! });
 * const { paymentPayload } = await createPaymentPayload({ signer: privateKeyToAccount(key), paymentRequired });
 * await fetch(url, { headers: { "PAYMENT-SIGNATURE": encodePaymentSignatureHeader({ paymentPayload }) } });
 * ```
 */
export async function createPaymentPayload(
  parameters: CreatePaymentPayloadParameters,
): Promise<CreatePaymentPayloadReturnType> {
  const paymentRequired = parseWithSchema(PaymentRequired, parameters.paymentRequired, "PaymentRequired");
  const option = pickOption(paymentRequired, parameters);
  if (!option.domain) {
    throw new PaymentRefusedError({
      rejections: [
        {
          index: option.index,
          reason: "unsupported_transfer_method",
          message: "pay Permit2 options with createPermit2Payload",
        },
      ],
    });
  }
  const { signature, authorization } = await signTransferWithAuthorization({
    signer: parameters.signer,
    domain: option.domain,
    authorization: {
      to: option.payTo,
      value: option.amount,
      nonce: parameters.nonce ?? createNonce(),
      ...getValidityWindow({ maxTimeoutSeconds: option.maxTimeoutSeconds, now: parameters.now }),
    },
  });
  const payload = { signature, authorization: toWireAuthorization({ authorization }) };
  if (paymentRequired.x402Version === 1) {
    const requirements = option.requirements as PaymentRequirementsV1;
    return {
      paymentPayload: { x402Version: 1, scheme: "exact", network: requirements.network, payload },
      authorization,
      option,
    };
  }
  const paymentPayload: ExactEvmPaymentPayloadV2 = {
    x402Version: 2,
    resource: paymentRequired.resource,
    accepted: option.requirements as PaymentRequirementsV2,
    payload,
  };
  if (paymentRequired.extensions != null) paymentPayload.extensions = paymentRequired.extensions;
  return { paymentPayload, authorization, option };
}

function pickOption(paymentRequired: PaymentRequired, parameters: CreatePaymentPayloadParameters): PaymentOption {
  const { requirements, customV1Networks } = parameters;
  if (requirements === undefined) return selectPaymentRequirements({ paymentRequired, customV1Networks });
  const index = paymentRequired.accepts.findIndex(
    (entry: unknown) => entry === requirements || canonicalJson(entry) === canonicalJson(requirements),
  );
  if (index === -1) {
    throw new PaymentRefusedError({
      rejections: [
        { index: -1, reason: "not_offered", message: "the requirements are not among the server's accepts" },
      ],
    });
  }
  const { options, rejections } = getPaymentOptions({ paymentRequired, customV1Networks });
  const option = options.find((candidate) => candidate.index === index);
  if (option) return option;
  throw new PaymentRefusedError({ rejections: rejections.filter((rejection) => rejection.index === index) });
}
