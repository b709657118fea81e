/**
 * `IBatchSettlementRouter.FailureReason`, in enum order: byte `i` of the router's `results`, and the `reason` of
 * its `AuthorizationFailed` event, is an index into this list. `failureReasons.test.ts` checks it against the
 * Solidity enum.
 *
 * - `None`: the item settled.
 * - `Other`: unrecognised revert data (see the event's `errorSelector`).
 * - `NotYetValid` / `Expired`: `block.timestamp <= validAfter` / `>= validBefore`.
 * - `UsedOrCanceled`: the nonce was used (possibly front-run: the payee was paid) or canceled (nobody was);
 *   tell them apart by the token's `AuthorizationUsed` / `AuthorizationCanceled` logs.
 * - `InvalidSignature`: wrong signer, tampered field, malformed signature, or refused by ERC-1271.
 * - `InsufficientBalance`, `Paused`, `Blocklisted`: as the token reports them.
 * - `GasLimitExceeded`: the item ran out of its `itemGasLimit`.
 * - `InvalidToken`: the token address has no code. `InvalidPayee`: a payee is the router itself.
 * - `FeeExceedsValue`, `AmountMismatch`: fee mode only.
 * - `InsufficientAllowance`: Permit2 mode only, the payer's ERC-20 allowance to Permit2 is below the amount.
 * - `AmountExceedsPermitted`, `UnauthorizedSettler`: Permit2 `upto` only, the amount is above the signed maximum /
 *   the witness does not name the router or the nonce does not commit to the caller (`uptoSettlerNonce`).
 */
export const failureReasons = [
  "None",
  "Other",
  "NotYetValid",
  "Expired",
  "UsedOrCanceled",
  "InvalidSignature",
  "InsufficientBalance",
  "Paused",
  "Blocklisted",
  "GasLimitExceeded",
  "InvalidToken",
  "InvalidPayee",
  "FeeExceedsValue",
  "AmountMismatch",
  "InsufficientAllowance",
  "AmountExceedsPermitted",
  "UnauthorizedSettler",
] as const;

/** A `FailureReason` name; `"None"` means the item settled. */
export type FailureReason = (typeof failureReasons)[number];
