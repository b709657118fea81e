/**
 * `@x402kit/signer`: EIP-3009 authorizations and x402 payment payloads, built on viem.
 *
 * Subpaths: `@x402kit/signer/wire` (x402 schemas, header codecs, networks).
 *
 * @packageDocumentation
 */

export {
  CANCEL_AUTHORIZATION_TYPEHASH,
  cancelAuthorizationTypes,
  RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
  receiveWithAuthorizationTypes,
  TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
  transferWithAuthorizationTypes,
} from "./eip3009/constants.js";
export { BaseError, type BaseErrorParameters, type BaseErrorType } from "./errors/base.js";
