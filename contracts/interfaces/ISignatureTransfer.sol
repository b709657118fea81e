// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ISignatureTransfer
 * @notice The part of Uniswap's Permit2 `ISignatureTransfer` (MIT, https://github.com/Uniswap/permit2) that the
 * x402kit deposit collectors and x402 Permit2 proxies call: one-time, signature-based transfers bound to a spender,
 * a nonce, a deadline and a witness. Permit2 lives at `0x000000000022D473030F116dDEE9F6B43aC78BA3` on every chain
 * that has it.
 */
interface ISignatureTransfer {
    /// @dev The token and amount the owner permits the spender to transfer.
    struct TokenPermissions {
        address token;
        uint256 amount;
    }

    /// @dev The signed part of a single-token transfer: what, under which unordered nonce, until when.
    struct PermitTransferFrom {
        TokenPermissions permitted;
        uint256 nonce;
        uint256 deadline;
    }

    /// @dev The spender's choice at transfer time: the recipient and an amount at most the permitted one.
    struct SignatureTransferDetails {
        address to;
        uint256 requestedAmount;
    }

    /**
     * @notice Transfers `transferDetails.requestedAmount` of `permit.permitted.token` from `owner` to
     * `transferDetails.to`, checking `signature` of `owner` over `PermitWitnessTransferFrom` (spender: the caller)
     * extended with `witness` typed by `witnessTypeString`, and consumes the nonce.
     * @dev Requirements (enforced by Permit2): `block.timestamp <= permit.deadline`, the nonce unused,
     * `requestedAmount <= permit.permitted.amount`, a valid signature, and an ERC-20 allowance of `owner` to Permit2.
     */
    function permitWitnessTransferFrom(
        PermitTransferFrom calldata permit,
        SignatureTransferDetails calldata transferDetails,
        address owner,
        bytes32 witness,
        string calldata witnessTypeString,
        bytes calldata signature
    ) external;

    /// @notice The bitmap of used unordered nonces of `owner` in word `wordPosition` (`nonce >> 8`).
    function nonceBitmap(address owner, uint256 wordPosition) external view returns (uint256);
}
