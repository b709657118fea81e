// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

import {IdentityRegistry} from "../erc8004/IdentityRegistry.sol";

/**
 * @title IdentityRegistryV2Mock
 * @notice A second implementation of the Identity Registry for upgrade tests: the same storage, one new function,
 * and a reinitializer, so a test can show that an upgrade keeps every record and runs a migration once.
 */
contract IdentityRegistryV2Mock is IdentityRegistry {
    /// @custom:storage-location erc7201:x402kit.mocks.identity-v2
    struct V2Storage {
        uint256 migrated;
    }

    // keccak256(abi.encode(uint256(keccak256("x402kit.mocks.identity-v2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _V2_STORAGE_LOCATION = 0xf94febceec59b75dad86ce2083ce596b790fadaefb5240a8736c1142be5c3c00;

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
