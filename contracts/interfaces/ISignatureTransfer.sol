// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ISignatureTransfer
 * @notice The part of Uniswap's Permit2 signature-transfer interface the x402 Permit2 proxies call: one-time,
 * signature-authorised transfers with a witness the signer commits to. Declared here (rather than imported from
 * Permit2's 0.8.17 sources) with the same struct layouts, so the ABI the official x402 SDK encodes matches.
 */
interface ISignatureTransfer {
    /// @notice The token and the maximum amount a signature lets the spender move.
    struct TokenPermissions {
        address token;
        uint256 amount;
    }

    /// @notice The signed transfer: what may be moved, under which unordered nonce, until when.
    struct PermitTransferFrom {
        TokenPermissions permitted;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice Where the spender sends the tokens and how many (at most `permitted.amount`).
    struct SignatureTransferDetails {
        address to;
        uint256 requestedAmount;
    }

    /**
     * @notice Transfers `transferDetails.requestedAmount` of `permit.permitted.token` from `owner` to
     * `transferDetails.to`, when `signature` is `owner`'s EIP-712 signature over `permit`, the caller as spender and
     * the witness `witness` of type `witnessTypeString`.
     * @dev Reverts `SignatureExpired(deadline)` after the deadline, `InvalidAmount(maxAmount)` above the permitted
     * amount, `InvalidNonce()` on a used nonce, `InvalidSigner()` / `InvalidSignature()` on a bad signature.
     */
    function permitWitnessTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 witness,
        string calldata witnessTypeString,
        bytes calldata signature
    ) external;

    /// @notice Bitmap of used unordered nonces: bit `nonce & 0xff` of word `nonce >> 8`.
    function nonceBitmap(address owner, uint256 wordPosition) external view returns (uint256);
}
