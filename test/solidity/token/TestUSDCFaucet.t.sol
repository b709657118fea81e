// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ITestUSDC} from "../../../contracts/interfaces/ITestUSDC.sol";
import {TestUSDCFixture} from "./TestUSDCFixture.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The public faucet: off by default, per-call cap, per-recipient cooldown.
contract TestUSDCFaucetTest is TestUSDCFixture {
    address internal constant ALICE = address(0xA1);
    uint128 internal constant CAP = 10_000e6;
    uint64 internal constant COOLDOWN = 1 hours;

    function _enable() internal {
        vm.prank(ADMIN);
        token.configureFaucet(true, CAP, COOLDOWN);
    }

    function test_faucet_isOffAtDeployment() public {
        (bool enabled, uint256 cap, uint256 cooldown) = token.faucetConfig();
        assertFalse(enabled);
        assertEq(cap, 0);
        assertEq(cooldown, 0);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCFaucetDisabled.selector));
        token.faucet(ALICE, 1);
    }

    function test_configureFaucet_setsAndEmits() public {
        vm.expectEmit(address(token));
        emit ITestUSDC.FaucetConfigured(true, CAP, COOLDOWN);
        _enable();
        (bool enabled, uint256 cap, uint256 cooldown) = token.faucetConfig();
        assertTrue(enabled);
        assertEq(cap, CAP);
        assertEq(cooldown, COOLDOWN);
    }

    function test_configureFaucet_rejectsCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                ALICE,
                token.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(ALICE);
        token.configureFaucet(true, CAP, COOLDOWN);
    }

    function test_faucet_mintsToRecipientAndStartsCooldown() public {
        _enable();
        vm.expectEmit(address(token));
        emit IERC20.Transfer(address(0), ALICE, CAP);
        vm.expectEmit(address(token));
        emit ITestUSDC.FaucetDripped(ALICE, CAP, block.timestamp + COOLDOWN);
        vm.prank(RELAYER); // anyone may drip to anyone
        token.faucet(ALICE, CAP);
        assertEq(token.balanceOf(ALICE), CAP);
        assertEq(token.totalSupply(), CAP);
        assertEq(token.faucetReadyAt(ALICE), block.timestamp + COOLDOWN);
    }

    function test_faucet_rejectsAboveCap() public {
        _enable();
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCFaucetCapExceeded.selector, uint256(CAP) + 1, CAP));
        token.faucet(ALICE, uint256(CAP) + 1);
    }

    function test_faucet_rejectsDuringCooldownAndReopensAtReadyAt() public {
        _enable();
        token.faucet(ALICE, 1e6);
        uint256 readyAt = block.timestamp + COOLDOWN;
        vm.warp(readyAt - 1);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCFaucetCooldown.selector, ALICE, readyAt));
        token.faucet(ALICE, 1e6);
        vm.warp(readyAt);
        token.faucet(ALICE, 1e6);
        assertEq(token.balanceOf(ALICE), 2e6);
    }

    function test_faucet_cooldownIsPerRecipient() public {
        _enable();
        token.faucet(ALICE, 1e6);
        token.faucet(PAYEE, 1e6);
        assertEq(token.balanceOf(PAYEE), 1e6);
    }

    function test_faucet_withoutCooldownAllowsRepeats() public {
        vm.prank(ADMIN);
        token.configureFaucet(true, CAP, 0);
        token.faucet(ALICE, 1e6);
        token.faucet(ALICE, 1e6);
        assertEq(token.balanceOf(ALICE), 2e6);
    }

    function test_faucet_rejectsAfterSwitchOff() public {
        _enable();
        vm.prank(ADMIN);
        token.configureFaucet(false, CAP, COOLDOWN);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCFaucetDisabled.selector));
        token.faucet(ALICE, 1);
    }

    function test_faucet_rejectsZeroAmount() public {
        _enable();
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCZeroAmount.selector));
        token.faucet(ALICE, 0);
    }

    function test_faucet_rejectsZeroAddressRecipient() public {
        _enable();
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        token.faucet(address(0), 1);
    }

    function test_faucet_rejectsBlocklistedRecipient() public {
        _enable();
        vm.prank(ADMIN);
        token.blocklist(ALICE);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, ALICE));
        token.faucet(ALICE, 1);
    }

    function test_faucet_rejectsWhenPaused() public {
        _enable();
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        token.faucet(ALICE, 1);
    }
}
