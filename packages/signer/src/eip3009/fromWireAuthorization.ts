import type { SchemaValidationErrorType } from "../errors/wire.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { ExactEvmAuthorization } from "../wire/exactEvmPayload.js";
import type { TransferAuthorization } from "./types.js";

export type FromWireAuthorizationParameters = {
  /** The `authorization` of an `exact` EVM payload, as received (untrusted). */
  authorization: unknown;
};
export type FromWireAuthorizationReturnType = TransferAuthorization;
export type FromWireAuthorizationErrorType = SchemaValidationErrorType;

/**
 * Validates an authorization in x402 wire form and converts its numbers to bigints.
 *
 * @param parameters - {@link FromWireAuthorizationParameters}
 * @returns The authorization with bigint fields.
 * @throws {SchemaValidationError} When a field is malformed or `validBefore <= validAfter`.
 *
 * @example
 * ```ts
 * import { fromWireAuthorization, verifyAuthorizationSignature } from "@x402kit/signer";
 * const message = fromWireAuthorization({ authorization: payload.authorization });
 * const ok = await verifyAuthorizationSignature({ primaryType: "TransferWithAuthorization", domain, message,
 *   signature: payload.signature });
 * ```
 */
export function fromWireAuthorization(parameters: FromWireAuthorizationParameters): FromWireAuthorizationReturnType {
  const wire = parseWithSchema(ExactEvmAuthorization, parameters.authorization, "ExactEvmAuthorization");
  return {
    from: wire.from,
    to: wire.to,
    value: BigInt(wire.value),
    validAfter: BigInt(wire.validAfter),
    validBefore: BigInt(wire.validBefore),
    nonce: wire.nonce,
  };
}
