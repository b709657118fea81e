// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "./ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "./IX402Permit2Proxy.sol";

/**
 * @title IX402UptoPermit2Proxy
 * @notice x402 `upto` scheme: the payer signs a Permit2 `PermitWitnessTransferFrom` for a maximum amount whose
 * spender is this proxy and whose witness names the recipient, the one facilitator allowed to settle and the earliest
 * settlement time; that facilitator settles once, for any amount up to the maximum (the actual usage).
 * Same ABI as the official x402 EVM SDK 2.27's `x402UptoPermit2Proxy`.
 *
 * EIP-712 types (Permit2's domain: name "Permit2", chain id, Permit2's address):
 * `PermitWitnessTransferFrom(
 * TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)`
 * `TokenPermissions(address token,uint256 amount)`,
 * `Witness(address to,address facilitator,uint256 validAfter)`.
 */
interface IX402UptoPermit2Proxy is IX402Permit2Proxy {
    /// @notice What the payer commits to beside the permit: recipient, settling facilitator, earliest settlement time.
    struct Witness {
        address to;
        address facilitator;
        uint256 validAfter;
    }

    /// @notice The settled amount is above the permitted (maximum) amount.
    error AmountExceedsPermitted();

    /// @notice The caller is not the witness's facilitator.
    error UnauthorizedFacilitator();

    /**
     * @notice Moves `amount` (at most `permit.permitted.amount`) of `permit.permitted.token` from `owner` to
     * `witness.to` through Permit2, when `signature` is `owner`'s Permit2 signature over `permit`, this proxy as
     * spender and `witness`, and the caller is `witness.facilitator`. The permit nonce is used up whatever `amount`
     * is (zero included): one settlement per signature.
     * @dev Requirements: `msg.sender == witness.facilitator` ({UnauthorizedFacilitator}),
     * `amount <= permit.permitted.amount` ({AmountExceedsPermitted}), `owner` and `witness.to` non-zero
     * ({InvalidOwner}, {InvalidDestination}), `block.timestamp >= witness.validAfter` ({PaymentTooEarly}); Permit2
     * enforces the deadline (`SignatureExpired`), the nonce (`InvalidNonce`) and the signature. Emits {Settled}.
     * @param permit The signed permit (token, maximum amount, nonce, deadline).
     * @param amount The amount to charge, at most `permit.permitted.amount`.
     * @param owner The payer, the permit's signer.
     * @param witness The signed recipient, facilitator and earliest settlement time.
     * @param signature The payer's signature (65 or 64 bytes, or ERC-1271 data for a contract payer).
     */
    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external;

    /**
     * @notice {settle}, first applying the payer's EIP-2612 permit of the token for Permit2. A failing permit call
     * is ignored (already used or front-run); the transfer then needs the allowance to be there anyway.
     * @dev Requirements: as {settle}, and `permit2612.value >= permit.permitted.amount`
     * ({Permit2612AmountMismatch}). Emits {SettledWithPermit}.
     * @param permit2612 The payer's EIP-2612 permit of `permit.permitted.token`, spender Permit2.
     * @param permit The signed permit (token, maximum amount, nonce, deadline).
     * @param amount The amount to charge, at most `permit.permitted.amount`.
     * @param owner The payer, signer of both permits.
     * @param witness The signed recipient, facilitator and earliest settlement time.
     * @param signature The payer's Permit2 signature.
     */
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external;
}
