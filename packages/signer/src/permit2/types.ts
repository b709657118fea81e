import type { Address } from "viem";

/**
 * A Permit2 `PermitWitnessTransferFrom` as x402 sends it (`payload.permit2Authorization`): integers as decimal
 * strings, `witness.facilitator` present for `upto` only.
 */
export type Permit2Authorization = {
  from: Address;
  permitted: { token: Address; amount: string };
  spender: Address;
  nonce: string;
  deadline: string;
  witness: { to: Address; validAfter: string; facilitator?: Address };
};

/** The `payload` of an x402 Permit2 payment (`exact` with `assetTransferMethod: "permit2"`, or `upto`). */
export type Permit2Payload = {
  signature: `0x${string}`;
  permit2Authorization: Permit2Authorization;
};

/** Which proxy (and witness) a Permit2 payment is for. */
export type Permit2Scheme = "exact" | "upto";
