/**
 * `@x402kit/bindings/router`: the BatchSettlementRouter's packed batch format, fee commitment, upto settler
 * nonce (Permit2 mode) and result decoding, hand-written against `contracts/interfaces/IBatchSettlementRouter.sol` and tested against the
 * contract. Pure functions over viem; runs in Node.js and browsers.
 *
 * @packageDocumentation
 */

export { BaseError, type BaseErrorParameters, type BaseErrorType } from "../errors/base.js";
export {
  type ComputeFeeCommitmentErrorType,
  type ComputeFeeCommitmentParameters,
  type ComputeFeeCommitmentReturnType,
  computeFeeCommitment,
} from "./computeFeeCommitment.js";
export {
  type ComputeUptoSettlerNonceErrorType,
  type ComputeUptoSettlerNonceParameters,
  type ComputeUptoSettlerNonceReturnType,
  computeUptoSettlerNonce,
} from "./computeUptoSettlerNonce.js";
export {
  FLAG_SIGNATURE_BYTES,
  FLAG_WIDE,
  ITEM_GAS_RESERVE,
  MAX_BATCH_ENTRIES,
  MAX_NARROW_AMOUNT,
  MAX_NARROW_TIME,
  RECOMMENDED_ITEM_GAS_LIMIT,
} from "./constants.js";
export {
  type DecodeSettlementResultsErrorType,
  type DecodeSettlementResultsReturnType,
  decodeSettlementResults,
} from "./decodeSettlementResults.js";
export {
  type EncodeFeeSettlementBatchErrorType,
  type EncodeFeeSettlementBatchOptions,
  type EncodeFeeSettlementBatchReturnType,
  encodeFeeSettlementBatch,
  type FeeSettlementItem,
} from "./encodeFeeSettlementBatch.js";
export {
  type EncodeSettlementBatchErrorType,
  type EncodeSettlementBatchOptions,
  type EncodeSettlementBatchReturnType,
  encodeSettlementBatch,
  type SettlementItem,
} from "./encodeSettlementBatch.js";
export {
  SettlementDecodingError,
  type SettlementDecodingErrorType,
  SettlementEncodingError,
  type SettlementEncodingErrorType,
} from "./errors.js";
export { type FailureReason, failureReasons } from "./failureReasons.js";
export { FEE_COMMITMENT_TYPEHASH, feeCommitmentTypes } from "./feeCommitmentTypes.js";
export {
  type ParseSettlementLogsErrorType,
  type ParseSettlementLogsParameters,
  type ParseSettlementLogsReturnType,
  parseSettlementLogs,
  type SettlementItemOutcome,
} from "./parseSettlementLogs.js";
export { UPTO_SETTLER_TYPEHASH, uptoSettlerTypes } from "./uptoSettlerTypes.js";
