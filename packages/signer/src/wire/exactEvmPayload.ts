import { z } from "zod";
import { Address, Bytes32Hex, HexSignature, Uint256String } from "./primitives.js";

/**
 * The EIP-3009 authorization inside an `exact` EVM payload. Numbers are decimal strings; the
 * validity window must be non-empty (`validBefore > validAfter`).
 */
export const ExactEvmAuthorization = z
  .object({
    from: Address,
    to: Address,
    value: Uint256String,
    validAfter: Uint256String,
    validBefore: Uint256String,
    nonce: Bytes32Hex,
  })
  .refine((authorization) => isNonEmptyWindow(authorization.validAfter, authorization.validBefore), {
    message: "validBefore must be greater than validAfter",
    path: ["validBefore"],
  });
export type ExactEvmAuthorization = z.infer<typeof ExactEvmAuthorization>;

function isNonEmptyWindow(validAfter: string, validBefore: string): boolean {
  try {
    return BigInt(validBefore) > BigInt(validAfter);
  } catch {
    return false; // the field checks already reported the malformed number
  }
}

/**
 * The `payload` of an `exact` EVM payment made with EIP-3009: the signature over
 * `TransferWithAuthorization` and the authorization itself.
 */
export const ExactEvmPayload = z.object({
  signature: HexSignature,
  authorization: ExactEvmAuthorization,
});
export type ExactEvmPayload = z.infer<typeof ExactEvmPayload>;
