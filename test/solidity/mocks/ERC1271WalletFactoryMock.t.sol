// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1271WalletFactoryMock} from "../../../contracts/mocks/ERC1271WalletFactoryMock.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {Test} from "../utils/Test.sol";

contract ERC1271WalletFactoryMockTest is Test {
    ERC1271WalletFactoryMock internal factory = new ERC1271WalletFactoryMock();

    function testFuzz_createWallet_deploysAtTheCounterfactualAddress(address owner, bytes32 salt) public {
        address predicted = factory.walletAddress(owner, salt);
        assertEq(predicted.code.length, 0);
        address wallet = factory.createWallet(owner, salt);
        assertEq(wallet, predicted);
        assertEq(ERC1271WalletMock(wallet).owner(), owner);
        assertFalse(ERC1271WalletMock(wallet).refuseAll());
    }

    function test_createWallet_twiceReturnsTheSameWallet() public {
        address first = factory.createWallet(address(0xA11CE), bytes32(uint256(1)));
        address second = factory.createWallet(address(0xA11CE), bytes32(uint256(1)));
        assertEq(first, second);
        assertTrue(factory.walletAddress(address(0xA11CE), bytes32(uint256(2))) != first);
    }
}
