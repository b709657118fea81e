import type { ExactEvmAuthorization } from "../wire/exactEvmPayload.js";
import type { TransferAuthorization } from "./types.js";

export type ToWireAuthorizationParameters = {
  /** The authorization with bigint fields. */
  authorization: TransferAuthorization;
};
export type ToWireAuthorizationReturnType = ExactEvmAuthorization;

/**
 * Converts an authorization to its x402 wire form: numbers as decimal strings.
 *
 * @param parameters - {@link ToWireAuthorizationParameters}
 * @returns The `authorization` object of an `exact` EVM payload.
 *
 * @example
 * ```ts
 * import { toWireAuthorization } from "@x402kit/signer";
 * const wire = toWireAuthorization({ authorization }); // { value: "10000", … }
 * ```
 */
export function toWireAuthorization(parameters: ToWireAuthorizationParameters): ToWireAuthorizationReturnType {
  const { from, to, value, validAfter, validBefore, nonce } = parameters.authorization;
  return {
    from,
    to,
    value: value.toString(),
    validAfter: validAfter.toString(),
    validBefore: validBefore.toString(),
    nonce,
  };
}
