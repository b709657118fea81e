// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

contract ERC1271WalletMockTest is Test {
    uint256 internal constant OWNER_KEY = 0xA11CE;

    function test_isValidSignature_acceptsOwnerSignature() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(vm.addr(OWNER_KEY), false);
        bytes32 digest = keccak256("x402kit");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_KEY, digest);
        assertEq(wallet.isValidSignature(digest, abi.encodePacked(r, s, v)), IERC1271.isValidSignature.selector);
    }

    function test_isValidSignature_refusesWhenRefuseAll() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(vm.addr(OWNER_KEY), true);
        bytes32 digest = keccak256("x402kit");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_KEY, digest);
        assertEq(wallet.isValidSignature(digest, abi.encodePacked(r, s, v)), bytes4(0xffffffff));
    }

    function testFuzz_isValidSignature_refusesOtherKeys(uint256 key, bytes32 digest) public {
        key = bound(key, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        vm.assume(key != OWNER_KEY);
        ERC1271WalletMock wallet = new ERC1271WalletMock(vm.addr(OWNER_KEY), false);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        assertEq(wallet.isValidSignature(digest, abi.encodePacked(r, s, v)), bytes4(0xffffffff));
    }
}
