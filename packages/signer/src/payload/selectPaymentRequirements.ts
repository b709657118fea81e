import { PaymentRefusedError, type PaymentRefusedErrorType, type Rejection } from "../errors/payment.js";
import type { CustomV1Networks } from "../wire/networks.js";
import type { PaymentRequired } from "../wire/paymentRequired.js";
import { getPaymentOptions } from "./getPaymentOptions.js";
import type { PaymentOption } from "./types.js";

/** A caller's veto on one option: return a reason to refuse it, or `undefined` to accept it. */
export type PaymentOptionCheck = (option: PaymentOption) => Omit<Rejection, "index"> | undefined;

export type SelectPaymentRequirementsParameters = {
  /** The server's `PaymentRequired`. */
  paymentRequired: PaymentRequired;
  /** Optional policy check run on every payable option, in order. */
  check?: PaymentOptionCheck | undefined;
  /** Extra v1 network names, e.g. `{ localhost: 31337 }`. */
  customV1Networks?: CustomV1Networks | undefined;
  /** Schemes to accept (default `["exact"]`), as in `getPaymentOptions`. */
  schemes?: readonly PaymentOption["scheme"][] | undefined;
  /** Token transfer methods to accept (default `["eip3009"]`), as in `getPaymentOptions`. */
  assetTransferMethods?: readonly PaymentOption["assetTransferMethod"][] | undefined;
};
export type SelectPaymentRequirementsReturnType = PaymentOption;
export type SelectPaymentRequirementsErrorType = PaymentRefusedErrorType;

/**
 * Picks the requirement to pay: the first entry of `accepts` (the server's preference, as the
 * official client does) that this package can pay and that `check` accepts.
 *
 * @param parameters - {@link SelectPaymentRequirementsParameters}
 * @returns The chosen option.
 * @throws {PaymentRefusedError} When no entry is acceptable; `rejections` says why for each one.
 *
 * @example
 * ```ts
 * import { selectPaymentRequirements } from "@x402kit/signer";
 * const option = selectPaymentRequirements({
 *   paymentRequired,
 *   check: (o) => (o.amount > 1_000_000n ? { reason: "amount_exceeds_limit", message: "over $1" } : undefined),
 * });
 * ```
 */
export function selectPaymentRequirements(
  parameters: SelectPaymentRequirementsParameters,
): SelectPaymentRequirementsReturnType {
  const { options, rejections } = getPaymentOptions(parameters);
  const refused = [...rejections];
  for (const option of options) {
    const veto = parameters.check?.(option);
    if (!veto) return option;
    refused.push({ index: option.index, ...veto });
  }
  throw new PaymentRefusedError({ rejections: refused.sort((a, b) => a.index - b.index) });
}
