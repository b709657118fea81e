/**
 * `@x402kit/facilitator`: a reference x402 facilitator for EIP-3009 (`exact`) payments, x402 v1 and v2,
 * over a durable, idempotent settlement engine.
 *
 * @packageDocumentation
 */

export { loadConfig, parseConfig, redactConfig } from "./config/loadConfig.js";
export { FacilitatorConfig, type FacilitatorConfigInput, NetworkConfig } from "./config/schema.js";
export type {
  BatchSettlementIntent,
  BatchSettlementStore,
  BatchSettlementStoreHost,
} from "./domain/batchSettlementStore.js";
export type { Clock } from "./domain/clock.js";
export {
  ConfigError,
  DataDirLockedError,
  FacilitatorError,
  InvalidTransitionError,
  JournalLockedError,
  QueueFullError,
  RouterMisconfiguredError,
  RpcUnavailableError,
  ShuttingDownError,
  TransactionGasCapError,
} from "./domain/errors.js";
export { allReasons, Reason, reasonCode, reasonCodes, type X402Version } from "./domain/reasons.js";
export { canTransition, transitions } from "./domain/stateMachine.js";
export type { FinalOutcome, NewSettlement, PaymentStore, Submission } from "./domain/store.js";
export type {
  Authorization,
  ExactPayment,
  PaymentRequest,
  SettlementKey,
  SettlementRecord,
  SettlementState,
  SettleOutcome,
  TxAttempt,
} from "./domain/types.js";
export { createSettlementEngine, type SettlementEngine } from "./engine/createSettlementEngine.js";
export {
  createFacilitatorEvents,
  type FacilitatorEvent,
  type FacilitatorEventListener,
  type FacilitatorEvents,
  type SettleAnsweredEvent,
  type SettlementChangedEvent,
  type TransactionMinedEvent,
  type VerifiedEvent,
} from "./events/createFacilitatorEvents.js";
export { observeStore } from "./events/observeStore.js";
export {
  type CreateFacilitatorOptions,
  createFacilitator,
  type Facilitator,
  type FacilitatorHealth,
} from "./facilitator/createFacilitator.js";
export { type SettlementView, toSettlementView } from "./facilitator/toSettlementView.js";
export { type AppDeps, createApp } from "./http/createApp.js";
export {
  type CreateHttpServerParameters,
  createHttpServer,
  DEFAULT_HTTP_LIMITS,
  type HttpLimits,
} from "./http/createHttpServer.js";
export { type HttpErrorBody, type HttpErrorReason, httpErrorBody } from "./http/httpError.js";
export {
  httpLimitsOf,
  listenFacilitator,
  type ServedFacilitator,
  serveFacilitator,
} from "./http/serveFacilitator.js";
export type {
  BatchItemResult,
  BatchSubmitter,
  RouterFailure,
  SimulateBatchParameters,
} from "./modes/batchSubmitter.js";
export {
  classifyRouterFailure,
  type RouterFailureDecision,
} from "./modes/router/classifyRouterFailure.js";
export {
  type CreateRouterSubmitterParameters,
  createRouterSubmitter,
  ROUTER_MAX_ITEMS,
} from "./modes/router/createRouterSubmitter.js";
export type { BatchSettlementOptions } from "./schemes/batchSettlement/createBatchSettlementScheme.js";
export {
  type CreatePostgresStoreParameters,
  createPostgresStore,
  type PostgresStore,
} from "./store/postgres/createPostgresStore.js";
export { type CreateSqliteStoreParameters, createSqliteStore } from "./store/sqlite/createSqliteStore.js";
