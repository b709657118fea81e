/**
 * Every reason code this facilitator can put in `invalidReason` / `errorReason`, in one place.
 *
 * x402 reason codes are plain strings and implementations have drifted (research notes x402.md §3.6).
 * We keep one internal name per failure and render it per protocol version:
 * - v2 answers use the x402 spec name (v1/v2 spec §9) where one exists, and the `@x402/evm` name
 *   otherwise (the v2 client treats the code as opaque text).
 * - v1 answers must use a value from the legacy `x402` package's `ErrorReasons` enum, because the legacy
 *   resource server validates facilitator answers against it. The one deliberate exception is
 *   `settlement_pending`, which has no legacy equivalent and must never be disguised as a failure.
 *
 * `reasons.test.ts` proves both renderings against the published lists.
 */

/** Internal reason names. */
export const Reason = {
  /** `scheme` is not `exact`, or payload and requirements disagree on it. */
  unsupportedScheme: "unsupportedScheme",
  /** The network is not configured here, or payload and requirements disagree on it. */
  invalidNetwork: "invalidNetwork",
  /** `x402Version` is neither 1 nor 2, or the body and the payload disagree. */
  invalidX402Version: "invalidX402Version",
  /** The scheme payload is not an EIP-3009 authorization (bad addresses, numbers, nonce or signature encoding). */
  invalidPayload: "invalidPayload",
  /** Requirements are unusable: missing EIP-712 `extra.name`/`extra.version`, bad amount or address. */
  invalidPaymentRequirements: "invalidPaymentRequirements",
  /** The asset or the payee is not on this facilitator's allowlist. */
  notAllowed: "notAllowed",
  /** The signature does not authorize this transfer for `from` (ECDSA or ERC-1271). */
  invalidSignature: "invalidSignature",
  /** A smart-wallet signature for an account that has no code and no ERC-6492 deployment to make it one. */
  undeployedSmartWallet: "undeployedSmartWallet",
  /** An ERC-6492 signature whose factory is not on this network's `walletFactories` allowlist (closed by default). */
  factoryNotAllowed: "factoryNotAllowed",
  /** `authorization.to` differs from `payTo`. */
  recipientMismatch: "recipientMismatch",
  /** `validAfter` is in the future. */
  validAfter: "validAfter",
  /** `validBefore` is too close (less than the buffer) or already past. */
  validBefore: "validBefore",
  /** `authorization.value` differs from the required amount. */
  valueMismatch: "valueMismatch",
  /** The payer's balance is below the amount. */
  insufficientFunds: "insufficientFunds",
  /** The authorization nonce has been used or canceled on chain, by a transaction that is not ours. */
  nonceAlreadyUsed: "nonceAlreadyUsed",
  /** The token's EIP-712 `name()` differs from `extra.name`. */
  tokenNameMismatch: "tokenNameMismatch",
  /** The token's EIP-712 `version()` differs from `extra.version`. */
  tokenVersionMismatch: "tokenVersionMismatch",
  /** The asset does not implement EIP-3009 (`authorizationState` reverted). */
  eip3009NotSupported: "eip3009NotSupported",
  /** A simulation of the transfer reverted for a reason none of the checks above explains. */
  simulationFailed: "simulationFailed",
  /** The settlement transaction was mined and reverted. */
  transactionFailed: "transactionFailed",
  /** The same (chainId, asset, from, nonce) was already presented with a different payload. */
  duplicateSettlement: "duplicateSettlement",
  /** The transaction is on its way but not yet mined within the wait; ask again for the outcome. */
  settlementPending: "settlementPending",
} as const;

/** An internal reason name. */
export type Reason = (typeof Reason)[keyof typeof Reason];

/** How each reason is spelled on the wire, per x402 protocol version. */
export const reasonCodes = {
  unsupportedScheme: { v1: "unsupported_scheme", v2: "unsupported_scheme" },
  invalidNetwork: { v1: "invalid_network", v2: "invalid_network" },
  invalidX402Version: { v1: "invalid_x402_version", v2: "invalid_x402_version" },
  invalidPayload: { v1: "invalid_payload", v2: "invalid_payload" },
  invalidPaymentRequirements: { v1: "invalid_payment_requirements", v2: "invalid_payment_requirements" },
  notAllowed: { v1: "invalid_payment_requirements", v2: "invalid_payment_requirements" },
  invalidSignature: { v1: "invalid_exact_evm_payload_signature", v2: "invalid_exact_evm_signature" },
  undeployedSmartWallet: {
    v1: "invalid_exact_evm_payload_undeployed_smart_wallet",
    v2: "invalid_exact_evm_payload_undeployed_smart_wallet",
  },
  factoryNotAllowed: {
    v1: "invalid_exact_evm_payload_undeployed_smart_wallet",
    v2: "eip6492_factory_not_allowed",
  },
  recipientMismatch: {
    v1: "invalid_exact_evm_payload_recipient_mismatch",
    v2: "invalid_exact_evm_recipient_mismatch",
  },
  validAfter: {
    v1: "invalid_exact_evm_payload_authorization_valid_after",
    v2: "invalid_exact_evm_payload_authorization_valid_after",
  },
  validBefore: {
    v1: "invalid_exact_evm_payload_authorization_valid_before",
    v2: "invalid_exact_evm_payload_authorization_valid_before",
  },
  valueMismatch: {
    v1: "invalid_exact_evm_payload_authorization_value",
    v2: "invalid_exact_evm_payload_authorization_value_mismatch",
  },
  insufficientFunds: { v1: "insufficient_funds", v2: "insufficient_funds" },
  nonceAlreadyUsed: { v1: "invalid_transaction_state", v2: "invalid_exact_evm_nonce_already_used" },
  tokenNameMismatch: { v1: "invalid_exact_evm_payload_signature", v2: "invalid_exact_evm_token_name_mismatch" },
  tokenVersionMismatch: {
    v1: "invalid_exact_evm_payload_signature",
    v2: "invalid_exact_evm_token_version_mismatch",
  },
  eip3009NotSupported: { v1: "invalid_payment_requirements", v2: "invalid_exact_evm_eip3009_not_supported" },
  simulationFailed: { v1: "invalid_transaction_state", v2: "invalid_exact_evm_transaction_simulation_failed" },
  transactionFailed: { v1: "invalid_transaction_state", v2: "invalid_transaction_state" },
  duplicateSettlement: { v1: "duplicate_settlement", v2: "duplicate_settlement" },
  settlementPending: { v1: "settlement_pending", v2: "settlement_pending" },
} as const satisfies Record<Reason, { v1: string; v2: string }>;

/** x402 protocol versions this facilitator speaks. */
export type X402Version = 1 | 2;

/**
 * Renders an internal reason as the wire code for one protocol version.
 *
 * @param reason - The internal reason.
 * @param version - The x402 version of the request being answered.
 * @returns The reason code to put in `invalidReason` / `errorReason`.
 */
export function reasonCode(reason: Reason, version: X402Version): string {
  return reasonCodes[reason][version === 1 ? "v1" : "v2"];
}

/** Internal reason names in declaration order. */
export const allReasons: readonly Reason[] = Object.values(Reason);
