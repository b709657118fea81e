import type { Address } from "viem";

/** Uniswap's Permit2, at the same address on every chain. */
export const PERMIT2_ADDRESS: Address = "0x000000000022D473030F116dDEE9F6B43aC78BA3";

/** x402's `exact` Permit2 proxy (`x402ExactPermit2Proxy`), the spender of an `exact` Permit2 payment. */
export const X402_EXACT_PERMIT2_PROXY_ADDRESS: Address = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001";

/** x402's `upto` Permit2 proxy (`x402UptoPermit2Proxy`), the spender of an `upto` payment. */
export const X402_UPTO_PERMIT2_PROXY_ADDRESS: Address = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002";

const tokenPermissions = [
  { name: "token", type: "address" },
  { name: "amount", type: "uint256" },
] as const;
const permitWitnessTransferFrom = [
  { name: "permitted", type: "TokenPermissions" },
  { name: "spender", type: "address" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
  { name: "witness", type: "Witness" },
] as const;

/** EIP-712 types of an `exact` Permit2 payment: the witness binds the payee and the start of validity. */
export const exactPermit2Types = {
  PermitWitnessTransferFrom: permitWitnessTransferFrom,
  TokenPermissions: tokenPermissions,
  Witness: [
    { name: "to", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

/** EIP-712 types of an `upto` payment: the witness also binds the facilitator allowed to settle it. */
export const uptoPermit2Types = {
  PermitWitnessTransferFrom: permitWitnessTransferFrom,
  TokenPermissions: tokenPermissions,
  Witness: [
    { name: "to", type: "address" },
    { name: "facilitator", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

/** Key of x402's EIP-2612 gas-sponsoring extension (`extensions.eip2612GasSponsoring`) in a 402 and a payment. */
export const EIP2612_GAS_SPONSORING_KEY = "eip2612GasSponsoring";

/** EIP-712 types of an EIP-2612 `permit` (the token's own domain), as the official `@x402/evm` client signs it. */
export const eip2612PermitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
