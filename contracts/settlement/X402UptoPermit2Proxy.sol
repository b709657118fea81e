// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "../interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../interfaces/IX402Permit2Proxy.sol";
import {IX402UptoPermit2Proxy} from "../interfaces/IX402UptoPermit2Proxy.sol";
import {X402Permit2ProxyBase} from "./X402Permit2ProxyBase.sol";

/**
 * @title X402UptoPermit2Proxy
 * @notice x402kit's proxy for x402's EVM `upto` scheme, wire-compatible with the official x402 EVM SDK 2.27 client
 * and facilitator (same ABI, same witness type). The specification is {IX402UptoPermit2Proxy}.
 *
 * NOTE: The witness names the facilitator, and only that facilitator may settle: it alone chooses the amount, up to
 * the signed maximum. Permit2 checks the amount against the signed maximum too; the check here comes first so the
 * official facilitator gets its own reason (`AmountExceedsPermitted`).
 */
contract X402UptoPermit2Proxy is IX402UptoPermit2Proxy, X402Permit2ProxyBase {
    /// @inheritdoc IX402Permit2Proxy
    string public constant WITNESS_TYPE_STRING =
        "Witness witness)TokenPermissions(address token,uint256 amount)"
        "Witness(address to,address facilitator,uint256 validAfter)";

    /// @inheritdoc IX402Permit2Proxy
    bytes32 public constant WITNESS_TYPEHASH = keccak256("Witness(address to,address facilitator,uint256 validAfter)");

    /// @inheritdoc IX402UptoPermit2Proxy
    function settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _settle(permit, amount, owner, witness, signature);
        emit Settled();
    }

    /// @inheritdoc IX402UptoPermit2Proxy
    function settleWithPermit(
        EIP2612Permit calldata permit2612,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) external nonReentrant {
        _permit2612(permit.permitted.token, owner, permit2612, permit.permitted.amount);
        _settle(permit, amount, owner, witness, signature);
        emit SettledWithPermit();
    }

    function _settle(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        Witness calldata witness,
        bytes calldata signature
    ) private {
        if (msg.sender != witness.facilitator) revert UnauthorizedFacilitator();
        if (amount > permit.permitted.amount) revert AmountExceedsPermitted();
        _transfer(
            permit,
            amount,
            owner,
            witness.to,
            witness.validAfter,
            keccak256(abi.encode(WITNESS_TYPEHASH, witness.to, witness.facilitator, witness.validAfter)),
            WITNESS_TYPE_STRING,
            signature
        );
    }
}
