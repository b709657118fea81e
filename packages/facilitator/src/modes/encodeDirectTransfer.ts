import { encodeFunctionData, type Hex } from "viem";
import { eip3009Abi } from "../chain/eip3009Abi.js";
import { splitSignature } from "../chain/recoverAuthorizer.js";
import type { ExactPayment } from "../domain/types.js";

/**
 * Calldata of the token's `transferWithAuthorization` for one payment: the `(v, r, s)` overload for a
 * 65-byte ECDSA signature (with `v` normalized to 27/28, which FiatToken's `ECRecover` requires), the
 * `bytes signature` overload (FiatToken v2.2+) for anything else, such as ERC-1271 signatures.
 *
 * @param payment - A verified payment.
 * @returns Calldata for `payment.asset`.
 */
export function encodeDirectTransfer(payment: ExactPayment): Hex {
  const { from, to, value, validAfter, validBefore, nonce } = payment.authorization;
  const split = splitSignature(payment.signature);
  if (split) {
    return encodeFunctionData({
      abi: eip3009Abi,
      functionName: "transferWithAuthorization",
      args: [from, to, value, validAfter, validBefore, nonce, split.v, split.r, split.s],
    });
  }
  return encodeFunctionData({
    abi: eip3009Abi,
    functionName: "transferWithAuthorization",
    args: [from, to, value, validAfter, validBefore, nonce, payment.signature],
  });
}
