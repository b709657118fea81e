// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "../interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../interfaces/IX402Permit2Proxy.sol";
import {IX402ExactPermit2Proxy} from "../interfaces/IX402ExactPermit2Proxy.sol";
import {X402Permit2ProxyBase} from "./X402Permit2ProxyBase.sol";

/**
 * @title X402ExactPermit2Proxy
 * @notice x402kit's proxy for x402's EVM `exact` scheme with `assetTransferMethod: "permit2"`, wire-compatible with
 * the official x402 EVM SDK 2.27 client and facilitator (same ABI, same witness type). The specification is
 * {IX402ExactPermit2Proxy}.
 *
 * NOTE: Permit2 binds the signature to this contract as spender, to the permit (token, amount, nonce, deadline) and to
 * the witness hash; the amount moved is always `permit.permitted.amount`, so the settler picks nothing but the gas.
 */
contract X402ExactPermit2Proxy is IX402ExactPermit2Proxy, X402Permit2ProxyBase {
    /// @inheritdoc IX402Permit2Proxy
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)";

    /// @inheritdoc IX402Permit2Proxy
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,uint256 validAfter)");

    /// @inheritdoc IX402ExactPermit2Proxy
    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settle(permit, owner, witness, signature);
        emit Settled();
    }

    /// @inheritdoc IX402ExactPermit2Proxy
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _permit2612(permit.permitted.token, owner, permit2612, permit.permitted.amount);
        _settle(permit, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        _transfer(
            permit,
            permit.permitted.amount,
            owner,
            witness.to,
            witness.validAfter,
            keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.validAfter)),
            WITNESS_TYPE_STRING,
            signature
        );
    }
}
