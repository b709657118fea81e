/**
 * Reason codes of the `batch-settlement` scheme, spelled exactly as `@x402/evm` 2.27's batch-settlement
 * facilitator answers them (its `errors.ts`), so a resource server sees the same `invalidReason` /
 * `errorReason` from either facilitator. `settlement_pending` is x402's shared "not final yet" answer.
 */
export const batchSettlementReasons = {
  scheme: "invalid_batch_settlement_evm_scheme",
  networkMismatch: "invalid_batch_settlement_evm_network_mismatch",
  payloadType: "invalid_batch_settlement_evm_payload_type",
  channelIdMismatch: "invalid_batch_settlement_evm_channel_id_mismatch",
  receiverMismatch: "invalid_batch_settlement_evm_receiver_mismatch",
  receiverAuthorizerMismatch: "invalid_batch_settlement_evm_receiver_authorizer_mismatch",
  tokenMismatch: "invalid_batch_settlement_evm_token_mismatch",
  withdrawDelayMismatch: "invalid_batch_settlement_evm_withdraw_delay_mismatch",
  withdrawDelayOutOfRange: "invalid_batch_settlement_evm_withdraw_delay_out_of_range",
  voucherSignature: "invalid_batch_settlement_evm_voucher_signature",
  channelNotFound: "invalid_batch_settlement_evm_channel_not_found",
  cumulativeExceedsBalance: "invalid_batch_settlement_evm_cumulative_exceeds_balance",
  cumulativeBelowClaimed: "invalid_batch_settlement_evm_cumulative_below_claimed",
  insufficientBalance: "invalid_batch_settlement_evm_insufficient_balance",
  rpcReadFailed: "invalid_batch_settlement_evm_rpc_read_failed",
  missingEip712Domain: "invalid_batch_settlement_evm_missing_eip712_domain",
  validBeforeExpired: "invalid_batch_settlement_evm_payload_authorization_valid_before",
  validAfterInFuture: "invalid_batch_settlement_evm_payload_authorization_valid_after",
  receiveAuthorizationSignature: "invalid_batch_settlement_evm_receive_authorization_signature",
  erc3009AuthorizationRequired: "invalid_batch_settlement_evm_erc3009_authorization_required",
  factoryNotAllowed: "invalid_batch_settlement_evm_eip6492_factory_not_allowed",
  permit2AuthorizationRequired: "invalid_batch_settlement_evm_permit2_authorization_required",
  permit2InvalidSpender: "invalid_batch_settlement_evm_permit2_invalid_spender",
  permit2AmountMismatch: "invalid_batch_settlement_evm_permit2_amount_mismatch",
  permit2DeadlineExpired: "invalid_batch_settlement_evm_permit2_deadline_expired",
  permit2InvalidSignature: "invalid_batch_settlement_evm_permit2_invalid_signature",
  permit2AllowanceRequired: "invalid_batch_settlement_evm_permit2_allowance_required",
  eip2612AmountMismatch: "invalid_batch_settlement_evm_eip2612_amount_mismatch",
  /** The payment carries the `erc20ApprovalGasSponsoring` extension, which this facilitator does not offer. */
  erc20ApprovalUnavailable: "invalid_batch_settlement_evm_erc20_approval_unavailable",
  depositSimulationFailed: "invalid_batch_settlement_evm_deposit_simulation_failed",
  depositTransactionFailed: "invalid_batch_settlement_evm_deposit_transaction_failed",
  authorizerNotConfigured: "invalid_batch_settlement_evm_authorizer_not_configured",
  authorizerAddressMismatch: "invalid_batch_settlement_evm_authorizer_address_mismatch",
  claimSimulationFailed: "invalid_batch_settlement_evm_claim_simulation_failed",
  claimTransactionFailed: "invalid_batch_settlement_evm_claim_transaction_failed",
  nothingToSettle: "invalid_batch_settlement_evm_nothing_to_settle",
  settleSimulationFailed: "invalid_batch_settlement_evm_settle_simulation_failed",
  settleTransactionFailed: "invalid_batch_settlement_evm_settle_transaction_failed",
  refundNoBalance: "invalid_batch_settlement_evm_refund_no_balance",
  refundSimulationFailed: "invalid_batch_settlement_evm_refund_simulation_failed",
  refundTransactionFailed: "invalid_batch_settlement_evm_refund_transaction_failed",
  settlementPending: "settlement_pending",
  /** Ours, not the official facilitator's: the same idempotency key arrived with a different payload (I3). */
  idempotencyConflict: "invalid_batch_settlement_evm_idempotency_conflict",
} as const;

/** One of {@link batchSettlementReasons}. */
export type BatchSettlementReason = (typeof batchSettlementReasons)[keyof typeof batchSettlementReasons];
