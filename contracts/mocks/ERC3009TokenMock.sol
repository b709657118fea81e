// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/**
 * @title ERC3009TokenMock
 * @notice An ERC-20 with EIP-3009 from OpenZeppelin's draft `ERC3009` (random `bytes32` nonces, the
 * `(v, r, s)` overloads) plus the `bytes signature` overloads of Circle's FiatToken v2.2, checked with
 * `SignatureChecker` (ECDSA or ERC-1271). Anyone may mint. It stands in for TestUSDC in the signer's
 * interop tests.
 *
 * NOTE: OpenZeppelin's draft reads `validAfter`/`validBefore` as block numbers when both carry bit 47;
 * x402 timestamps never do, so the usual strict rule `validAfter < now < validBefore` applies.
 */
contract ERC3009TokenMock is ERC3009 {
    /**
     * @param name_ Token name, also the EIP-712 domain name.
     * @param version_ EIP-712 domain version.
     */
    constructor(string memory name_, string memory version_) ERC20(name_, "MOCK") EIP712(name_, version_) {}

    /// @notice Mints `amount` to `to`. Unrestricted: test only.
    /// @param to Recipient.
    /// @param amount Amount in atomic units.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @notice `transferWithAuthorization` with a `bytes` signature (ECDSA or ERC-1271).
     * @param from Payer.
     * @param to Payee.
     * @param value Amount.
     * @param validAfter Valid strictly after this time.
     * @param validBefore Valid strictly before this time.
     * @param nonce Unique nonce.
     * @param signature The payer's signature.
     */
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        bytes32 hash = _hashTypedDataV4(
            keccak256(abi.encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce))
        );
        require(SignatureChecker.isValidSignatureNow(from, hash, signature), ERC3009InvalidSignature());
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /**
     * @notice `receiveWithAuthorization` with a `bytes` signature (ECDSA or ERC-1271).
     * @param from Payer.
     * @param to Payee, who must be the caller.
     * @param value Amount.
     * @param validAfter Valid strictly after this time.
     * @param validBefore Valid strictly before this time.
     * @param nonce Unique nonce.
     * @param signature The payer's signature.
     */
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external {
        bytes32 hash = _hashTypedDataV4(
            keccak256(abi.encode(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce))
        );
        require(SignatureChecker.isValidSignatureNow(from, hash, signature), ERC3009InvalidSignature());
        require(to == _msgSender(), ERC20InvalidReceiver(to));
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /**
     * @notice `cancelAuthorization` with a `bytes` signature (ECDSA or ERC-1271).
     * @param authorizer Owner of the nonce.
     * @param nonce Nonce to burn.
     * @param signature The authorizer's signature.
     */
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external {
        bytes32 hash = _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
        require(SignatureChecker.isValidSignatureNow(authorizer, hash, signature), ERC3009InvalidSignature());
        _cancelAuthorization(authorizer, nonce);
    }
}
