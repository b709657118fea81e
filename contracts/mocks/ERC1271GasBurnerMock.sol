// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/**
 * @title ERC1271GasBurnerMock
 * @notice A hostile contract wallet whose ERC-1271 `isValidSignature` burns all the gas it is given: the
 * griefing a batch router must contain with a per-item gas limit.
 */
contract ERC1271GasBurnerMock is IERC1271 {
    /// @inheritdoc IERC1271
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4 magicValue) {
        uint256 x;
        while (x != type(uint256).max) {
            unchecked {
                x += 1;
            }
        }
        magicValue = IERC1271.isValidSignature.selector; // never reached: the loop runs out of gas first
    }
}
