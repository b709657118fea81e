// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IDepositCollector} from "../interfaces/IDepositCollector.sol";
import {IX402BatchSettlement} from "../interfaces/IX402BatchSettlement.sol";

/**
 * @title DepositCollectorMock
 * @notice A misbehaving deposit collector: pays the caller `amount - shortfall` out of its own balance, then
 * optionally calls `reentryTarget` with `reentryData` (to test the channel contract's reentrancy guard).
 */
contract DepositCollectorMock is IDepositCollector {
    using SafeERC20 for IERC20;

    /// @notice How much less than asked the mock pays.
    uint256 public shortfall;
    /// @notice Contract called back during `collect`, or zero.
    address public reentryTarget;
    /// @notice Calldata of the callback.
    bytes public reentryData;

    /// @notice Sets the misbehaviour.
    /// @param shortfall_ How much less than asked to pay.
    /// @param reentryTarget_ Contract to call back during `collect` (zero: none).
    /// @param reentryData_ Calldata of the callback.
    function configure(uint256 shortfall_, address reentryTarget_, bytes calldata reentryData_) external {
        shortfall = shortfall_;
        reentryTarget = reentryTarget_;
        reentryData = reentryData_;
    }

    /// @inheritdoc IDepositCollector
    function collect(IX402BatchSettlement.ChannelConfig calldata config, uint256 amount, bytes calldata) external {
        if (amount > shortfall) {
            IERC20(config.token).safeTransfer(msg.sender, amount - shortfall);
        }
        if (reentryTarget != address(0)) {
            (bool ok, bytes memory result) = reentryTarget.call(reentryData);
            if (!ok) {
                assembly ("memory-safe") {
                    // Bubble the callback's revert data up unchanged.
                    revert(add(result, 0x20), mload(result))
                }
            }
        }
    }
}
