// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "./ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "./IX402Permit2Proxy.sol";

/**
 * @title IX402ExactPermit2Proxy
 * @notice x402 `exact` scheme with `assetTransferMethod: "permit2"`: the payer signs a Permit2
 * `PermitWitnessTransferFrom` whose spender is this proxy and whose witness names the recipient and the earliest
 * settlement time; anyone may then settle it, and exactly the permitted amount goes to the recipient.
 * Same ABI as the official x402 EVM SDK 2.27's `x402ExactPermit2Proxy`.
 *
 * EIP-712 types (Permit2's domain: name "Permit2", chain id, Permit2's address):
 * `PermitWitnessTransferFrom(
 * TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)`
 * `TokenPermissions(address token,uint256 amount)`, `Witness(address to,uint256 validAfter)`.
 */
interface IX402ExactPermit2Proxy is IX402Permit2Proxy {
    /// @notice What the payer commits to beside the permit: the recipient and the earliest settlement time.
    struct Witness {
        address to;
        uint256 validAfter;
    }

    /// @notice Declared for ABI compatibility with the official proxy. Never raised here: the amount moved is always
    /// the permitted amount, and Permit2 checks it against the signature.
    error InvalidAmount();

    /**
     * @notice Moves exactly `permit.permitted.amount` of `permit.permitted.token` from `owner` to `witness.to`
     * through Permit2, when `signature` is `owner`'s Permit2 signature over `permit`, this proxy as spender and
     * `witness`. Callable by anyone (the signature is the authorisation); each permit nonce settles once.
     * @dev Requirements: `owner` and `witness.to` non-zero ({InvalidOwner}, {InvalidDestination}),
     * `block.timestamp >= witness.validAfter` ({PaymentTooEarly}); Permit2 enforces `block.timestamp <=
     * permit.deadline` (`SignatureExpired`), the nonce (`InvalidNonce`) and the signature (`InvalidSigner`). Emits
     * {Settled}.
     * @param permit The signed permit (token, amount, nonce, deadline).
     * @param owner The payer, the permit's signer.
     * @param witness The signed recipient and earliest settlement time.
     * @param signature The payer's signature (65 or 64 bytes, or ERC-1271 data for a contract payer).
     */
    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external;

    /**
     * @notice {settle}, first applying the payer's EIP-2612 permit of the token for Permit2 (so a payer who never
     * approved Permit2 can pay without gas). A failing permit call is ignored (it may have been used already, or
     * front-run); the transfer then needs the allowance to be there anyway.
     * @dev Requirements: as {settle}, and `permit2612.value >= permit.permitted.amount`
     * ({Permit2612AmountMismatch}). Emits {SettledWithPermit}.
     * @param permit2612 The payer's EIP-2612 permit of `permit.permitted.token`, spender Permit2.
     * @param permit The signed permit (token, amount, nonce, deadline).
     * @param owner The payer, signer of both permits.
     * @param witness The signed recipient and earliest settlement time.
     * @param signature The payer's Permit2 signature.
     */
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external;
}
