/**
 * `@x402kit/signer/permit2`: x402 payments in any ERC-20 through Uniswap's Permit2 — `exact` with
 * `assetTransferMethod: "permit2"` and the `upto` scheme — as the official `@x402/evm` clients sign them, with the
 * one-time approval of Permit2 or, for tokens with EIP-2612 `permit`, the gasless `eip2612GasSponsoring` extension.
 *
 * @packageDocumentation
 */

export {
  Eip2612DomainMissingError,
  type Eip2612DomainMissingErrorType,
  Eip2612NonceReadError,
  type Eip2612NonceReadErrorType,
} from "../errors/permit2.js";
export { buildPermit2ApprovalTransaction, readPermit2Allowance } from "./approval.js";
export { buildPermit2TypedData } from "./buildPermit2TypedData.js";
export {
  EIP2612_GAS_SPONSORING_KEY,
  eip2612PermitTypes,
  exactPermit2Types,
  PERMIT2_ADDRESS,
  uptoPermit2Types,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "./constants.js";
export {
  type ContractReader,
  type CreateEip2612GasSponsoringExtensionErrorType,
  type CreateEip2612GasSponsoringExtensionParameters,
  type CreateEip2612GasSponsoringExtensionReturnType,
  createEip2612GasSponsoringExtension,
} from "./createEip2612GasSponsoringExtension.js";
export {
  type CreatePermit2PayloadParameters,
  type CreatePermit2PayloadReturnType,
  createPermit2Nonce,
  createPermit2Payload,
} from "./createPermit2Payload.js";
export {
  Eip2612GasSponsoringInfo,
  ExactPermit2PaymentRequirements,
  Permit2PayloadSchema,
  UptoPaymentRequirements,
} from "./schemas.js";
export type { Permit2Authorization, Permit2Payload, Permit2Scheme } from "./types.js";
