// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm, vm} from "./Vm.sol";

/**
 * @title Test
 * @notice Minimal base for Solidity tests: the cheatcode handle and assertion helpers that forward to
 * the cheatcode assertions (which revert with a readable message on failure).
 */
abstract contract Test {
    Vm internal constant VM = vm;

    function assertTrue(bool condition) internal pure {
        vm.assertTrue(condition, "expected true");
    }

    function assertTrue(bool condition, string memory message) internal pure {
        vm.assertTrue(condition, message);
    }

    function assertFalse(bool condition) internal pure {
        vm.assertFalse(condition, "expected false");
    }

    function assertFalse(bool condition, string memory message) internal pure {
        vm.assertFalse(condition, message);
    }

    function assertEq(uint256 left, uint256 right) internal pure {
        vm.assertEq(left, right, "uint256 mismatch");
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        vm.assertEq(left, right, message);
    }

    function assertEq(int256 left, int256 right) internal pure {
        vm.assertEq(left, right, "int256 mismatch");
    }

    function assertEq(int256 left, int256 right, string memory message) internal pure {
        vm.assertEq(left, right, message);
    }

    function assertEq(address left, address right) internal pure {
        vm.assertEq(left, right, "address mismatch");
    }

    function assertEq(address left, address right, string memory message) internal pure {
        vm.assertEq(left, right, message);
    }

    function assertEq(bytes32 left, bytes32 right) internal pure {
        vm.assertEq(left, right, "bytes32 mismatch");
    }

    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        vm.assertEq(left, right, message);
    }

    function assertEq(bool left, bool right) internal pure {
        vm.assertEq(left, right, "bool mismatch");
    }

    function assertEq(string memory left, string memory right) internal pure {
        vm.assertEq(left, right, "string mismatch");
    }

    function assertEq(bytes memory left, bytes memory right) internal pure {
        vm.assertEq(left, right, "bytes mismatch");
    }

    function assertLe(uint256 left, uint256 right) internal pure {
        vm.assertLe(left, right, "expected left <= right");
    }

    function assertGe(uint256 left, uint256 right) internal pure {
        vm.assertGe(left, right, "expected left >= right");
    }

    /// @dev Maps `x` into [min, max] (inclusive) by wrapping, as forge-std's `bound` does for fuzz inputs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        unchecked {
            // size + 1 cannot overflow: size < type(uint256).max was checked above.
            return min + (x % (size + 1));
        }
    }
}
