/**
 * `@x402kit/signer/wire`: x402 v1/v2 wire schemas and types (zod; schema and type share a name),
 * base64 header codecs, header names and v1 ⇄ CAIP-2 network mapping.
 *
 * @packageDocumentation
 */

export {
  HeaderDecodeError,
  type HeaderDecodeErrorType,
  type HeaderDecodeFailure,
  type SchemaIssue,
  SchemaValidationError,
  type SchemaValidationErrorType,
  UnknownNetworkError,
  type UnknownNetworkErrorType,
} from "../errors/wire.js";
export {
  type DecodePaymentRequiredHeaderErrorType,
  type DecodePaymentRequiredHeaderParameters,
  type DecodePaymentRequiredHeaderReturnType,
  decodePaymentRequiredHeader,
} from "./decodePaymentRequiredHeader.js";
export {
  type DecodePaymentResponseHeaderErrorType,
  type DecodePaymentResponseHeaderParameters,
  type DecodePaymentResponseHeaderReturnType,
  decodePaymentResponseHeader,
} from "./decodePaymentResponseHeader.js";
export {
  type DecodePaymentSignatureHeaderErrorType,
  type DecodePaymentSignatureHeaderParameters,
  type DecodePaymentSignatureHeaderReturnType,
  decodePaymentSignatureHeader,
} from "./decodePaymentSignatureHeader.js";
export {
  type EncodePaymentRequiredHeaderErrorType,
  type EncodePaymentRequiredHeaderParameters,
  type EncodePaymentRequiredHeaderReturnType,
  encodePaymentRequiredHeader,
} from "./encodePaymentRequiredHeader.js";
export {
  type EncodePaymentResponseHeaderErrorType,
  type EncodePaymentResponseHeaderParameters,
  type EncodePaymentResponseHeaderReturnType,
  encodePaymentResponseHeader,
} from "./encodePaymentResponseHeader.js";
export {
  type EncodePaymentSignatureHeaderErrorType,
  type EncodePaymentSignatureHeaderParameters,
  type EncodePaymentSignatureHeaderReturnType,
  encodePaymentSignatureHeader,
} from "./encodePaymentSignatureHeader.js";
export { ExactEvmAuthorization, ExactEvmPayload } from "./exactEvmPayload.js";
export {
  SettleRequest,
  SettleRequestV1,
  SettleRequestV2,
  SettleResponse,
  SupportedKind,
  SupportedResponse,
  VerifyRequest,
  VerifyRequestV1,
  VerifyRequestV2,
  VerifyResponse,
} from "./facilitator.js";
export {
  MAX_HEADER_VALUE_LENGTH,
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  X_PAYMENT_HEADER,
  X_PAYMENT_RESPONSE_HEADER,
} from "./headers.js";
export {
  type CustomV1Networks,
  V1_EVM_NETWORKS,
  V1_SOLANA_NETWORKS,
  type V1EvmNetwork,
  type V1SolanaNetwork,
} from "./networks.js";
export {
  type NetworkToChainIdErrorType,
  type NetworkToChainIdParameters,
  type NetworkToChainIdReturnType,
  networkToChainId,
} from "./networkToChainId.js";
export {
  ExactEvmPaymentPayloadV1,
  ExactEvmPaymentPayloadV2,
  PaymentPayload,
  PaymentPayloadV1,
  PaymentPayloadV2,
} from "./paymentPayload.js";
export { PaymentRequired, PaymentRequiredV1, PaymentRequiredV2 } from "./paymentRequired.js";
export {
  ExactEvmExtra,
  ExactEvmPaymentRequirementsV1,
  ExactEvmPaymentRequirementsV2,
  PaymentRequirements,
  PaymentRequirementsV1,
  PaymentRequirementsV2,
} from "./paymentRequirements.js";
export {
  Address,
  Bytes32Hex,
  Caip2Network,
  Eip155Network,
  HexSignature,
  JsonObject,
  NonEmptyString,
  Uint256String,
} from "./primitives.js";
export { ResourceInfo } from "./resourceInfo.js";
export {
  type ToCaip2NetworkErrorType,
  type ToCaip2NetworkParameters,
  type ToCaip2NetworkReturnType,
  toCaip2Network,
} from "./toCaip2Network.js";
export {
  type ToV1NetworkErrorType,
  type ToV1NetworkParameters,
  type ToV1NetworkReturnType,
  toV1Network,
} from "./toV1Network.js";
