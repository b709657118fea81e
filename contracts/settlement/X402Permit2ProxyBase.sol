// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISignatureTransfer} from "../interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../interfaces/IX402Permit2Proxy.sol";

/**
 * @title X402Permit2ProxyBase
 * @notice What x402kit's `exact` and `upto` Permit2 proxies share: the Permit2 constant, the checks on owner,
 * recipient and validAfter, the optional EIP-2612 permit, and the Permit2 call itself.
 *
 * NOTE: No immutables, no constructor, no storage (the reentrancy guard is transient): the runtime code works
 * unchanged wherever it is placed, e.g. at the official addresses with `hardhat_setCode`. The proxy never holds
 * tokens: Permit2 moves them from the payer straight to the recipient.
 */
abstract contract X402Permit2ProxyBase is IX402Permit2Proxy, ReentrancyGuardTransient {
    /// @inheritdoc IX402Permit2Proxy
    ISignatureTransfer public constant PERMIT2 = ISignatureTransfer(0x000000000022D473030F116dDEE9F6B43aC78BA3);

    /**
     * @dev Applies the payer's EIP-2612 permit of `token` for Permit2. A revert is swallowed: the permit may have been
     * used by someone else already (front-running) and the transfer fails anyway if the allowance is missing.
     */
    function _permit2612(address token, address owner, EIP2612Permit calldata permit2612, uint256 permitted) internal {
        if (permit2612.value < permitted) revert Permit2612AmountMismatch();
        try
            IERC20Permit(token).permit(
                owner,
                address(PERMIT2),
                permit2612.value,
                permit2612.deadline,
                permit2612.v,
                permit2612.r,
                permit2612.s
            )
        {} catch {} // solhint-disable-line no-empty-blocks
    }

    /**
     * @dev Checks owner, recipient and validAfter, then has Permit2 move `amount` from `owner` to `to` against the
     * payer's signature over `permit`, this contract as spender, and `witnessHash` of `witnessTypeString`.
     */
    function _transfer(
        ISignatureTransfer.PermitTransferFrom calldata permit,
        uint256 amount,
        address owner,
        address to,
        uint256 validAfter,
        bytes32 witnessHash,
        string memory witnessTypeString,
        bytes calldata signature
    ) internal {
        if (owner == address(0)) revert InvalidOwner();
        if (to == address(0)) revert InvalidDestination();
        if (block.timestamp < validAfter) revert PaymentTooEarly();
        PERMIT2.permitWitnessTransferFrom(
            permit,
            ISignatureTransfer.SignatureTransferDetails({to: to, requestedAmount: amount}),
            owner,
            witnessHash,
            witnessTypeString,
            signature
        );
    }
}
