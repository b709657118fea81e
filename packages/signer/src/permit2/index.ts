/**
 * `@x402kit/signer/permit2`: x402 payments in any ERC-20 through Uniswap's Permit2 — `exact` with
 * `assetTransferMethod: "permit2"` and the `upto` scheme — as the official `@x402/evm` clients sign them.
 *
 * @packageDocumentation
 */

export { buildPermit2ApprovalTransaction, readPermit2Allowance } from "./approval.js";
export { buildPermit2TypedData } from "./buildPermit2TypedData.js";
export {
  exactPermit2Types,
  PERMIT2_ADDRESS,
  uptoPermit2Types,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "./constants.js";
export {
  type CreatePermit2PayloadParameters,
  type CreatePermit2PayloadReturnType,
  createPermit2Nonce,
  createPermit2Payload,
} from "./createPermit2Payload.js";
export {
  ExactPermit2PaymentRequirements,
  Permit2PayloadSchema,
  UptoPaymentRequirements,
} from "./schemas.js";
export type { Permit2Authorization, Permit2Payload, Permit2Scheme } from "./types.js";
