import { type Address, encodeFunctionData, type Hex } from "viem";
import { eip3009Abi } from "../chain/eip3009Abi.js";
import { deployAndCall, signatureParts } from "../chain/erc6492.js";
import { splitSignature } from "../chain/recoverAuthorizer.js";
import type { ExactPayment } from "../domain/types.js";

/**
 * Calldata of the token's `transferWithAuthorization` for one payment: the `(v, r, s)` overload for a
 * 65-byte ECDSA signature (with `v` normalized to 27/28, which FiatToken's `ECRecover` requires), the
 * `bytes signature` overload (FiatToken v2.2+) for anything else, such as ERC-1271 signatures. An ERC-6492 wrapper
 * is taken off: the token asks the wallet about the inner signature.
 *
 * @param payment - A verified payment.
 * @returns Calldata for `payment.asset`.
 */
export function encodeDirectTransfer(payment: ExactPayment): Hex {
  const { from, to, value, validAfter, validBefore, nonce } = payment.authorization;
  const { signature } = signatureParts(payment.signature);
  const split = splitSignature(signature);
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
    args: [from, to, value, validAfter, validBefore, nonce, signature],
  });
}

/**
 * The transaction of a payment settled on its own: the token's `transferWithAuthorization`, or, for a counterfactual
 * wallet (an ERC-6492 signature naming a factory), Multicall3 deploying the wallet and then calling the token.
 *
 * @param payment - A verified payment.
 * @returns Where to send what.
 */
export function directCall(payment: ExactPayment): { to: Address; data: Hex } {
  const data = encodeDirectTransfer(payment);
  const { deployment } = signatureParts(payment.signature);
  return deployment ? deployAndCall(deployment, payment.asset, data) : { to: payment.asset, data };
}

/** Whether a payment needs its wallet deployed first (an ERC-6492 signature naming a factory): it goes on its own. */
export function needsWalletDeployment(payment: ExactPayment): boolean {
  return signatureParts(payment.signature).deployment !== undefined;
}
