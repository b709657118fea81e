/**
 * `@x402kit/signer`: EIP-3009 authorizations and x402 payment payloads, built on viem. Runs in
 * Node.js and browsers.
 *
 * Subpaths: `@x402kit/signer/wire` (x402 schemas, header codecs, networks), `@x402kit/signer/fetch`
 * (a paying `fetch` with a spending policy), `@x402kit/signer/erc8004` (ERC-8004 helpers).
 *
 * @packageDocumentation
 */

export { FEE_COMMITMENT_TYPEHASH, feeCommitmentTypes } from "@x402kit/bindings/router";
export {
  type BuildAuthorizationTypedDataErrorType,
  type BuildAuthorizationTypedDataParameters,
  type BuildAuthorizationTypedDataReturnType,
  buildAuthorizationTypedData,
} from "./eip3009/buildAuthorizationTypedData.js";
export {
  type ComputeFeeCommitmentNonceErrorType,
  type ComputeFeeCommitmentNonceParameters,
  type ComputeFeeCommitmentNonceReturnType,
  computeFeeCommitmentNonce,
} from "./eip3009/computeFeeCommitmentNonce.js";
export {
  CANCEL_AUTHORIZATION_TYPEHASH,
  cancelAuthorizationTypes,
  RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
  receiveWithAuthorizationTypes,
  TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
  transferWithAuthorizationTypes,
} from "./eip3009/constants.js";
export { type CreateNonceReturnType, createNonce } from "./eip3009/createNonce.js";
export {
  type FromWireAuthorizationErrorType,
  type FromWireAuthorizationParameters,
  type FromWireAuthorizationReturnType,
  fromWireAuthorization,
} from "./eip3009/fromWireAuthorization.js";
export {
  type GetValidityWindowErrorType,
  type GetValidityWindowParameters,
  type GetValidityWindowReturnType,
  getValidityWindow,
  VALID_AFTER_SKEW_SECONDS,
} from "./eip3009/getValidityWindow.js";
export {
  type HashAuthorizationErrorType,
  type HashAuthorizationParameters,
  type HashAuthorizationReturnType,
  hashAuthorization,
} from "./eip3009/hashAuthorization.js";
export {
  type SignCancelAuthorizationErrorType,
  type SignCancelAuthorizationParameters,
  type SignCancelAuthorizationReturnType,
  signCancelAuthorization,
} from "./eip3009/signCancelAuthorization.js";
export {
  type SignReceiveWithAuthorizationErrorType,
  type SignReceiveWithAuthorizationParameters,
  type SignReceiveWithAuthorizationReturnType,
  signReceiveWithAuthorization,
} from "./eip3009/signReceiveWithAuthorization.js";
export {
  type SignTransferWithAuthorizationErrorType,
  type SignTransferWithAuthorizationParameters,
  type SignTransferWithAuthorizationReturnType,
  signTransferWithAuthorization,
} from "./eip3009/signTransferWithAuthorization.js";
export {
  type SplitSignatureErrorType,
  type SplitSignatureParameters,
  type SplitSignatureReturnType,
  splitSignature,
} from "./eip3009/splitSignature.js";
export {
  type ToWireAuthorizationParameters,
  type ToWireAuthorizationReturnType,
  toWireAuthorization,
} from "./eip3009/toWireAuthorization.js";
export type {
  AuthorizationMessage,
  AuthorizationPrimaryType,
  CancelAuthorization,
  Eip3009Domain,
  TransferAuthorization,
} from "./eip3009/types.js";
export {
  type VerifyAuthorizationSignatureErrorType,
  type VerifyAuthorizationSignatureParameters,
  type VerifyAuthorizationSignatureReturnType,
  verifyAuthorizationSignature,
} from "./eip3009/verifyAuthorizationSignature.js";
export { BaseError, type BaseErrorParameters, type BaseErrorType } from "./errors/base.js";
export {
  PaymentRefusedError,
  type PaymentRefusedErrorType,
  type Rejection,
  type RejectionReason,
} from "./errors/payment.js";
export {
  AccountNotFoundError,
  type AccountNotFoundErrorType,
  InvalidAuthorizationError,
  type InvalidAuthorizationErrorType,
  InvalidSignatureError,
  type InvalidSignatureErrorType,
  type InvalidSignatureReason,
} from "./errors/signer.js";
export {
  type CreatePaymentPayloadErrorType,
  type CreatePaymentPayloadParameters,
  type CreatePaymentPayloadReturnType,
  createPaymentPayload,
} from "./payload/createPaymentPayload.js";
export {
  type GetPaymentOptionsParameters,
  type GetPaymentOptionsReturnType,
  getPaymentOptions,
} from "./payload/getPaymentOptions.js";
export {
  type PaymentOptionCheck,
  type SelectPaymentRequirementsErrorType,
  type SelectPaymentRequirementsParameters,
  type SelectPaymentRequirementsReturnType,
  selectPaymentRequirements,
} from "./payload/selectPaymentRequirements.js";
export type { PaymentOption } from "./payload/types.js";
export type { AccountSigner, SignableTypedData, TypedDataSigner, WalletClientSigner } from "./signer/types.js";
