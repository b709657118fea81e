// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IERC3009
 * @notice ERC-3009 "Transfer With Authorization" as USDC (Circle's FiatToken v2.2) exposes it: both the
 * `(uint8 v, bytes32 r, bytes32 s)` and the `(bytes signature)` overload of every signed entry point, the
 * type hash getters, `authorizationState`, and the two events. See https://eips.ethereum.org/EIPS/eip-3009.
 *
 * An authorization is an EIP-712 message signed by the token holder (the "authorizer"). Its `nonce` is any
 * 32-byte value chosen by the signer (x402 clients use 32 random bytes). Each authorizer has ONE nonce space
 * shared by transfer, receive and cancel: once a nonce is used or canceled, every authorization carrying it
 * for that authorizer is void.
 *
 * Signature checking (both overloads): if the authorizer has no code, the signature must be a 65-byte
 * `r ‖ s ‖ v` ECDSA signature with `s` in the lower half order and `v` in {27, 28} that recovers to the
 * authorizer. If the authorizer has code, the token makes an ERC-1271 `isValidSignature` STATICCALL to it
 * (the v,r,s overload passes `abi.encodePacked(r, s, v)`). This is FiatToken v2.2's rule.
 *
 * The error names contain the words the reference x402 facilitator looks for in a failed settlement's
 * message (`AuthorizationExpired`, `Authorization...NotYetValid`, `Authorization...Used`, `InvalidSignature`),
 * so a facilitator that sees decoded error names maps them to the right x402 reason code.
 */
interface IERC3009 {
    /// @notice Emitted when `authorizer`'s `nonce` is consumed by a transfer or receive authorization.
    /// Emitted before the ERC-20 `Transfer` event of that authorization.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);

    /// @notice Emitted when `authorizer`'s `nonce` is consumed by `cancelAuthorization`.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice The authorization is not valid yet: it needs `validAfter < block.timestamp` (strict).
    /// @param validAfter The signed lower bound.
    /// @param currentTime `block.timestamp` of the failed call.
    error ERC3009AuthorizationNotYetValid(uint256 validAfter, uint256 currentTime);

    /// @notice The authorization has expired: it needs `block.timestamp < validBefore` (strict).
    /// @param validBefore The signed upper bound.
    /// @param currentTime `block.timestamp` of the failed call.
    error ERC3009AuthorizationExpired(uint256 validBefore, uint256 currentTime);

    /// @notice `authorizer` already used or canceled `nonce`.
    error ERC3009AuthorizationUsedOrCanceled(address authorizer, bytes32 nonce);

    /// @notice The signature does not authorize the call for `authorizer`.
    /// @param signer The address the ECDSA signature recovers to, or `address(0)` when recovery failed or
    /// when `authorizer` is a contract that refused the signature (ERC-1271).
    /// @param authorizer The account the signature had to come from (`from`, `authorizer`).
    error ERC3009InvalidSignature(address signer, address authorizer);

    /// @notice `receiveWithAuthorization` was called by `caller`, who is not the payee `payee`.
    error ERC3009CallerMustBePayee(address caller, address payee);

    /// @notice An ECDSA signature (authorizer without code) is not 65 bytes long.
    error ERC3009InvalidSignatureLength(uint256 length);

    /// @notice An ECDSA signature's `s` is in the upper half order (a malleable signature).
    error ERC3009InvalidSignatureS(bytes32 s);

    /// @notice An ECDSA signature's `v` is neither 27 nor 28.
    error ERC3009InvalidSignatureV(uint8 v);

    /**
     * @notice `keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,`
     * `uint256 validBefore,bytes32 nonce)")` = `0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267`.
     * @return The EIP-712 type hash of `transferWithAuthorization` messages.
     */
    // solhint-disable-next-line func-name-mixedcase
    function TRANSFER_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /**
     * @notice `keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,`
     * `uint256 validBefore,bytes32 nonce)")` = `0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8`.
     * @return The EIP-712 type hash of `receiveWithAuthorization` messages.
     */
    // solhint-disable-next-line func-name-mixedcase
    function RECEIVE_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /**
     * @notice `keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")`
     * = `0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429`.
     * @return The EIP-712 type hash of `cancelAuthorization` messages.
     */
    // solhint-disable-next-line func-name-mixedcase
    function CANCEL_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /**
     * @notice Whether `authorizer` has used or canceled `nonce`.
     * @dev `true` only says the nonce is spent; it does not say that tokens moved (a cancel spends it too).
     * Never read `true` as proof of payment.
     * @param authorizer The signer of the authorization.
     * @param nonce The authorization's nonce.
     * @return True when the nonce is used or canceled.
     */
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /**
     * @notice Moves `value` tokens from `from` to `to` with `from`'s signed `TransferWithAuthorization`.
     * Anyone may submit it. Emits {AuthorizationUsed} and then the ERC-20 `Transfer`.
     * @dev Requirements, checked in this order (FiatToken v2.2's order):
     * - the token is not paused;
     * - neither `from` nor `to` is blocklisted;
     * - `validAfter < block.timestamp < validBefore`;
     * - `nonce` is unused for `from`;
     * - `v, r, s` is `from`'s signature (ECDSA, or ERC-1271 when `from` has code);
     * - `from` and `to` are not the zero address and `from` holds at least `value`.
     * @param from The payer and signer.
     * @param to The payee.
     * @param value Amount in base units.
     * @param validAfter Unix time after which the authorization is valid (exclusive).
     * @param validBefore Unix time before which the authorization is valid (exclusive).
     * @param nonce Unique nonce chosen by the signer.
     * @param v Signature recovery byte (27 or 28).
     * @param r Signature `r`.
     * @param s Signature `s`.
     */
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /**
     * @notice {transferWithAuthorization} with a `bytes` signature: 65-byte `r ‖ s ‖ v` ECDSA for accounts
     * without code, any ERC-1271 signature for contract wallets. Same requirements and events.
     * @param from The payer and signer.
     * @param to The payee.
     * @param value Amount in base units.
     * @param validAfter Unix time after which the authorization is valid (exclusive).
     * @param validBefore Unix time before which the authorization is valid (exclusive).
     * @param nonce Unique nonce chosen by the signer.
     * @param signature The signature bytes.
     */
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /**
     * @notice Moves `value` tokens from `from` to `to` with `from`'s signed `ReceiveWithAuthorization`;
     * only the payee `to` may submit it, which stops front-running. Emits {AuthorizationUsed} and `Transfer`.
     * @dev Requirements, in order: not paused; `from` and `to` not blocklisted; `msg.sender == to`; then as
     * {transferWithAuthorization} (window, unused nonce, signature, balance). A `TransferWithAuthorization`
     * signature is never valid here, nor the reverse.
     * @param from The payer and signer.
     * @param to The payee, which must be the caller.
     * @param value Amount in base units.
     * @param validAfter Unix time after which the authorization is valid (exclusive).
     * @param validBefore Unix time before which the authorization is valid (exclusive).
     * @param nonce Unique nonce chosen by the signer.
     * @param v Signature recovery byte (27 or 28).
     * @param r Signature `r`.
     * @param s Signature `s`.
     */
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /**
     * @notice {receiveWithAuthorization} with a `bytes` signature (ECDSA or ERC-1271).
     * @param from The payer and signer.
     * @param to The payee, which must be the caller.
     * @param value Amount in base units.
     * @param validAfter Unix time after which the authorization is valid (exclusive).
     * @param validBefore Unix time before which the authorization is valid (exclusive).
     * @param nonce Unique nonce chosen by the signer.
     * @param signature The signature bytes.
     */
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /**
     * @notice Spends `authorizer`'s `nonce` without moving tokens, voiding every authorization that
     * carries it. Anyone may relay the signed `CancelAuthorization`. Emits {AuthorizationCanceled}.
     * @dev Requirements, in order: not paused (there is no blocklist check, as in FiatToken); `nonce`
     * unused; `v, r, s` is `authorizer`'s signature.
     * @param authorizer The signer whose nonce is canceled.
     * @param nonce The nonce to cancel.
     * @param v Signature recovery byte (27 or 28).
     * @param r Signature `r`.
     * @param s Signature `s`.
     */
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;

    /**
     * @notice {cancelAuthorization} with a `bytes` signature (ECDSA or ERC-1271).
     * @param authorizer The signer whose nonce is canceled.
     * @param nonce The nonce to cancel.
     * @param signature The signature bytes.
     */
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external;
}
