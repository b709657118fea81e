/**
 * `@x402kit/signer/erc8004`: ERC-8004 (Trustless Agents) helpers — sign the Identity Registry's
 * `AgentWalletSet` proof, build and validate registration files, build feedback files with an x402
 * `proofOfPayment` and their `feedbackHash`.
 *
 * @packageDocumentation
 */

export {
  type BuildAgentRegistrationFileErrorType,
  type BuildAgentRegistrationFileParameters,
  type BuildAgentRegistrationFileReturnType,
  buildAgentRegistrationFile,
} from "./buildAgentRegistrationFile.js";
export {
  type BuildAgentWalletSetTypedDataErrorType,
  type BuildAgentWalletSetTypedDataParameters,
  type BuildAgentWalletSetTypedDataReturnType,
  buildAgentWalletSetTypedData,
} from "./buildAgentWalletSetTypedData.js";
export {
  type BuildFeedbackFileErrorType,
  type BuildFeedbackFileParameters,
  type BuildFeedbackFileReturnType,
  buildFeedbackFile,
} from "./buildFeedbackFile.js";
export {
  AGENT_REGISTRATION_FILE_TYPE,
  AGENT_WALLET_SET_TYPEHASH,
  agentWalletSetTypes,
  IDENTITY_REGISTRY_EIP712_NAME,
  IDENTITY_REGISTRY_EIP712_VERSION,
  MAX_AGENT_WALLET_DEADLINE_DELAY_SECONDS,
} from "./constants.js";
export {
  AGENT_REGISTRATION_DATA_URI_PREFIX,
  type EncodeAgentRegistrationDataUriErrorType,
  type EncodeAgentRegistrationDataUriParameters,
  type EncodeAgentRegistrationDataUriReturnType,
  encodeAgentRegistrationDataUri,
} from "./encodeAgentRegistrationDataUri.js";
export {
  type HashFeedbackFileParameters,
  type HashFeedbackFileReturnType,
  hashFeedbackFile,
} from "./hashFeedbackFile.js";
export {
  type ParseAgentRegistrationFileErrorType,
  type ParseAgentRegistrationFileParameters,
  type ParseAgentRegistrationFileReturnType,
  parseAgentRegistrationFile,
} from "./parseAgentRegistrationFile.js";
export {
  type ProofOfPaymentFromSettlementErrorType,
  type ProofOfPaymentFromSettlementParameters,
  type ProofOfPaymentFromSettlementReturnType,
  proofOfPaymentFromSettlement,
} from "./proofOfPaymentFromSettlement.js";
export {
  AgentRegistrationEntry,
  AgentRegistrationFile,
  AgentService,
  Caip10Address,
  FeedbackFile,
  ProofOfPayment,
  UintJson,
} from "./schemas.js";
export {
  DEFAULT_AGENT_WALLET_DEADLINE_SECONDS,
  type SignAgentWalletSetErrorType,
  type SignAgentWalletSetParameters,
  type SignAgentWalletSetReturnType,
  signAgentWalletSet,
} from "./signAgentWalletSet.js";
