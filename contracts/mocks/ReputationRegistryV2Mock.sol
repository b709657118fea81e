// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

import {ReputationRegistry} from "../erc8004/ReputationRegistry.sol";

/**
 * @title ReputationRegistryV2Mock
 * @notice A second implementation of the Reputation Registry for upgrade tests: the same storage, one new function,
 * and a reinitializer, so a test can show that an upgrade keeps every record and runs a migration once.
 */
contract ReputationRegistryV2Mock is ReputationRegistry {
    /// @custom:storage-location erc7201:x402kit.mocks.reputation-v2
    struct V2Storage {
        uint256 migrated;
    }

    // keccak256(abi.encode(uint256(keccak256("x402kit.mocks.reputation-v2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _V2_STORAGE_LOCATION = 0x1f3d13dbd8875c74497effd55d8c8ea16b6c9a4c6cbd7ddc08c068c5f6771500;

    /// @notice Runs once, as an `upgradeToAndCall` payload.
    function initializeV2(uint256 migrated) external reinitializer(2) {
        _getV2Storage().migrated = migrated;
    }

    /// @notice A function only V2 has.
    function v2Marker() external view returns (uint256) {
        return _getV2Storage().migrated;
    }

    function _getV2Storage() private pure returns (V2Storage storage $) {
        assembly ("memory-safe") {
            $.slot := _V2_STORAGE_LOCATION
        }
    }
}
