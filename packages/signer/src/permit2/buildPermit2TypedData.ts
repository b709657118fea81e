import { getAddress } from "viem";
import { InvalidAuthorizationError } from "../errors/signer.js";
import type { SignableTypedData } from "../signer/types.js";
import { exactPermit2Types, PERMIT2_ADDRESS, uptoPermit2Types } from "./constants.js";
import type { Permit2Authorization, Permit2Scheme } from "./types.js";

/**
 * The EIP-712 typed data a payer signs for an x402 Permit2 payment: Permit2's domain (name "Permit2", no version, the
 * chain id, Permit2's address) and `PermitWitnessTransferFrom` with the scheme's witness — exactly what the
 * official `@x402/evm` clients sign.
 *
 * @param parameters - The scheme, the chain id and the authorization.
 * @returns Typed data for any viem signer.
 * @throws {InvalidAuthorizationError} When an `upto` authorization has no `witness.facilitator`, or an `exact` one has.
 */
export function buildPermit2TypedData(parameters: {
  scheme: Permit2Scheme;
  chainId: number;
  authorization: Permit2Authorization;
}): SignableTypedData {
  const { scheme, chainId, authorization } = parameters;
  const { facilitator } = authorization.witness;
  if (scheme === "upto" && facilitator === undefined) {
    throw new InvalidAuthorizationError({ reason: "an upto authorization names the facilitator in its witness" });
  }
  if (scheme === "exact" && facilitator !== undefined) {
    throw new InvalidAuthorizationError({ reason: "an exact Permit2 witness has no facilitator" });
  }
  const base = {
    permitted: { token: getAddress(authorization.permitted.token), amount: BigInt(authorization.permitted.amount) },
    spender: getAddress(authorization.spender),
    nonce: BigInt(authorization.nonce),
    deadline: BigInt(authorization.deadline),
  };
  const domain = { name: "Permit2", chainId, verifyingContract: PERMIT2_ADDRESS } as const;
  const to = getAddress(authorization.witness.to);
  const validAfter = BigInt(authorization.witness.validAfter);
  return scheme === "upto"
    ? {
        domain,
        types: uptoPermit2Types,
        primaryType: "PermitWitnessTransferFrom" as const,
        message: { ...base, witness: { to, facilitator: getAddress(facilitator as string), validAfter } },
      }
    : {
        domain,
        types: exactPermit2Types,
        primaryType: "PermitWitnessTransferFrom" as const,
        message: { ...base, witness: { to, validAfter } },
      };
}
