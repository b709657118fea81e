/**
 * Reason codes of the Permit2 schemes (`exact` with `assetTransferMethod: "permit2"`, and `upto`), spelled exactly
 * as `@x402/evm` 2.27's exact and upto facilitators answer them (`exact/facilitator/errors.ts`,
 * `upto/facilitator/errors.ts`), so a resource server sees the same `invalidReason` / `errorReason` from either
 * facilitator. `settlement_pending` is x402's shared "not final yet" answer.
 */
export const permit2Reasons = {
  /** exact: the payload or the requirements are not `exact` (the official exact facilitator's answer). */
  unsupportedPayloadType: "unsupported_payload_type",
  exactNetworkMismatch: "invalid_exact_evm_network_mismatch",
  exactTransactionFailed: "invalid_exact_evm_transaction_failed",
  uptoScheme: "invalid_upto_evm_scheme",
  uptoNetworkMismatch: "invalid_upto_evm_network_mismatch",
  uptoTransactionFailed: "invalid_upto_evm_transaction_failed",
  uptoSettlementExceedsAmount: "invalid_upto_evm_payload_settlement_exceeds_amount",
  uptoFacilitatorMismatch: "upto_facilitator_mismatch",
  uptoAmountExceedsPermitted: "upto_amount_exceeds_permitted",
  uptoUnauthorizedFacilitator: "upto_unauthorized_facilitator",
  assetNotDeployedContract: "asset_not_deployed_contract",
  invalidSpender: "invalid_permit2_spender",
  recipientMismatch: "invalid_permit2_recipient_mismatch",
  deadlineExpired: "permit2_deadline_expired",
  notYetValid: "permit2_not_yet_valid",
  amountMismatch: "permit2_amount_mismatch",
  tokenMismatch: "permit2_token_mismatch",
  invalidSignature: "invalid_permit2_signature",
  allowanceRequired: "permit2_allowance_required",
  simulationFailed: "permit2_simulation_failed",
  insufficientBalance: "permit2_insufficient_balance",
  proxyNotDeployed: "permit2_proxy_not_deployed",
  invalidAmount: "permit2_invalid_amount",
  invalidDestination: "permit2_invalid_destination",
  invalidOwner: "permit2_invalid_owner",
  paymentTooEarly: "permit2_payment_too_early",
  invalidNonce: "permit2_invalid_nonce",
  permit2612AmountMismatch: "permit2_2612_amount_mismatch",
  eip2612InvalidFormat: "invalid_eip2612_extension_format",
  eip2612FromMismatch: "eip2612_from_mismatch",
  eip2612AssetMismatch: "eip2612_asset_mismatch",
  eip2612SpenderNotPermit2: "eip2612_spender_not_permit2",
  eip2612DeadlineExpired: "eip2612_deadline_expired",
  settlementPending: "settlement_pending",
  /** Ours: the asset or the payee is not on this facilitator's allowlist (as the EIP-3009 path answers). */
  notAllowed: "invalid_payment_requirements",
  /** Ours, not the official facilitator's: the same Permit2 nonce arrived with a different payload (I3). */
  idempotencyConflict: "permit2_idempotency_conflict",
} as const;

/** One of {@link permit2Reasons}. */
export type Permit2Reason = (typeof permit2Reasons)[keyof typeof permit2Reasons];
