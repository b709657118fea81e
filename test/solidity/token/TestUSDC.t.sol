// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ITestUSDC} from "../../../contracts/interfaces/ITestUSDC.sol";
import {TestUSDCFixture} from "./TestUSDCFixture.sol";
import {vm} from "../utils/Vm.sol";

/// @notice ERC-20 behaviour with FiatToken's pause and blocklist rules.
contract TestUSDCERC20Test is TestUSDCFixture {
    address internal constant ALICE = address(0xA1);
    address internal constant BOB = address(0xB2);
    address internal constant CAROL = address(0xC3);

    function setUp() public override {
        super.setUp();
        _mintTo(ALICE, INITIAL_BALANCE);
    }

    function test_transfer_movesFunds() public {
        vm.expectEmit(address(token));
        emit IERC20.Transfer(ALICE, BOB, 1e6);
        vm.prank(ALICE);
        assertTrue(token.transfer(BOB, 1e6));
        assertEq(token.balanceOf(ALICE), INITIAL_BALANCE - 1e6);
        assertEq(token.balanceOf(BOB), 1e6);
        assertEq(token.totalSupply(), INITIAL_BALANCE);
    }

    function test_transfer_toSelfKeepsBalance() public {
        vm.prank(ALICE);
        token.transfer(ALICE, INITIAL_BALANCE);
        assertEq(token.balanceOf(ALICE), INITIAL_BALANCE);
    }

    function test_transfer_rejectsInsufficientBalance() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector,
                ALICE,
                INITIAL_BALANCE,
                INITIAL_BALANCE + 1
            )
        );
        vm.prank(ALICE);
        token.transfer(BOB, INITIAL_BALANCE + 1);
    }

    function test_transfer_rejectsZeroAddressRecipient() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        vm.prank(ALICE);
        token.transfer(address(0), 1);
    }

    function test_transfer_rejectsWhenPaused() public {
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(ALICE);
        token.transfer(BOB, 1);
    }

    function test_transfer_rejectsBlocklistedSender() public {
        vm.prank(ADMIN);
        token.blocklist(ALICE);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, ALICE));
        vm.prank(ALICE);
        token.transfer(BOB, 1);
    }

    function test_transfer_rejectsBlocklistedRecipient() public {
        vm.prank(ADMIN);
        token.blocklist(BOB);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, BOB));
        vm.prank(ALICE);
        token.transfer(BOB, 1);
    }

    function test_approve_setsAllowance() public {
        vm.expectEmit(address(token));
        emit IERC20.Approval(ALICE, BOB, 5e6);
        vm.prank(ALICE);
        assertTrue(token.approve(BOB, 5e6));
        assertEq(token.allowance(ALICE, BOB), 5e6);
    }

    function test_approve_rejectsZeroAddressSpender() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidSpender.selector, address(0)));
        vm.prank(ALICE);
        token.approve(address(0), 1);
    }

    function test_approve_rejectsWhenPaused() public {
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(ALICE);
        token.approve(BOB, 1);
    }

    function test_approve_rejectsBlocklistedOwnerOrSpender() public {
        vm.prank(ADMIN);
        token.blocklist(BOB);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, BOB));
        vm.prank(ALICE);
        token.approve(BOB, 1);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, BOB));
        vm.prank(BOB);
        token.approve(ALICE, 1);
    }

    function test_transferFrom_movesFundsAndLowersAllowance() public {
        vm.prank(ALICE);
        token.approve(BOB, 5e6);
        vm.prank(BOB);
        assertTrue(token.transferFrom(ALICE, CAROL, 2e6));
        assertEq(token.balanceOf(CAROL), 2e6);
        assertEq(token.allowance(ALICE, BOB), 3e6);
    }

    function test_transferFrom_lowersEvenMaxAllowance() public {
        // FiatToken has no infinite allowance.
        vm.prank(ALICE);
        token.approve(BOB, type(uint256).max);
        vm.prank(BOB);
        token.transferFrom(ALICE, CAROL, 2e6);
        assertEq(token.allowance(ALICE, BOB), type(uint256).max - 2e6);
    }

    function test_transferFrom_rejectsInsufficientAllowance() public {
        vm.prank(ALICE);
        token.approve(BOB, 1e6);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, BOB, 1e6, 1e6 + 1));
        vm.prank(BOB);
        token.transferFrom(ALICE, CAROL, 1e6 + 1);
    }

    function test_transferFrom_rejectsBlocklistedSpender() public {
        vm.prank(ALICE);
        token.approve(BOB, 1e6);
        vm.prank(ADMIN);
        token.blocklist(BOB);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, BOB));
        vm.prank(BOB);
        token.transferFrom(ALICE, CAROL, 1);
    }

    function test_transferFrom_rejectsWhenPaused() public {
        vm.prank(ALICE);
        token.approve(BOB, 1e6);
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(BOB);
        token.transferFrom(ALICE, CAROL, 1);
    }
}

/// @notice Minters (FiatToken `configureMinter` semantics), burn, supply cap.
contract TestUSDCMinterTest is TestUSDCFixture {
    address internal constant MINTER = address(0x3173);
    address internal constant ALICE = address(0xA1);

    function setUp() public override {
        super.setUp();
        vm.prank(ADMIN);
        token.configureMinter(MINTER, 100e6);
    }

    function test_configureMinter_setsAllowance() public view {
        assertTrue(token.isMinter(MINTER));
        assertEq(token.minterAllowance(MINTER), 100e6);
        assertFalse(token.isMinter(ALICE));
    }

    function test_configureMinter_replacesAllowanceAndEmits() public {
        vm.expectEmit(address(token));
        emit ITestUSDC.MinterConfigured(MINTER, 5e6);
        vm.prank(ADMIN);
        assertTrue(token.configureMinter(MINTER, 5e6));
        assertEq(token.minterAllowance(MINTER), 5e6);
    }

    function test_configureMinter_rejectsCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                ALICE,
                token.MASTER_MINTER_ROLE()
            )
        );
        vm.prank(ALICE);
        token.configureMinter(ALICE, 1);
    }

    function test_configureMinter_rejectsZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCZeroAddress.selector));
        vm.prank(ADMIN);
        token.configureMinter(address(0), 1);
    }

    function test_configureMinter_rejectsWhenPaused() public {
        vm.startPrank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        token.configureMinter(ALICE, 1);
        vm.stopPrank();
    }

    function test_mint_createsTokensAndLowersAllowance() public {
        vm.expectEmit(address(token));
        emit ITestUSDC.Mint(MINTER, ALICE, 40e6);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(address(0), ALICE, 40e6);
        vm.prank(MINTER);
        assertTrue(token.mint(ALICE, 40e6));
        assertEq(token.balanceOf(ALICE), 40e6);
        assertEq(token.totalSupply(), 40e6);
        assertEq(token.minterAllowance(MINTER), 60e6);
    }

    function test_mint_rejectsAboveAllowance() public {
        vm.expectRevert(
            abi.encodeWithSelector(ITestUSDC.TestUSDCMinterAllowanceExceeded.selector, MINTER, 100e6, 100e6 + 1)
        );
        vm.prank(MINTER);
        token.mint(ALICE, 100e6 + 1);
    }

    function test_mint_rejectsNonMinter() public {
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCUnauthorizedMinter.selector, ALICE));
        vm.prank(ALICE);
        token.mint(ALICE, 1);
    }

    function test_mint_rejectsZeroAmount() public {
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCZeroAmount.selector));
        vm.prank(MINTER);
        token.mint(ALICE, 0);
    }

    function test_mint_rejectsZeroAddressRecipient() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        vm.prank(MINTER);
        token.mint(address(0), 1);
    }

    function test_mint_rejectsBlocklistedMinterOrRecipient() public {
        vm.prank(ADMIN);
        token.blocklist(ALICE);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, ALICE));
        vm.prank(MINTER);
        token.mint(ALICE, 1);

        vm.prank(ADMIN);
        token.blocklist(MINTER);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, MINTER));
        vm.prank(MINTER);
        token.mint(PAYEE, 1);
    }

    function test_mint_rejectsWhenPaused() public {
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(MINTER);
        token.mint(ALICE, 1);
    }

    function test_mint_rejectsSupplyAboveCap() public {
        uint256 cap = (1 << 255) - 1;
        vm.startPrank(ADMIN);
        token.mint(ALICE, cap);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCSupplyCapExceeded.selector, cap, 1));
        token.mint(PAYEE, 1);
        vm.stopPrank();
        assertEq(token.balanceOf(ALICE), cap);
        assertFalse(token.isBlocklisted(ALICE));
    }

    function test_removeMinter_revokesMinting() public {
        vm.expectEmit(address(token));
        emit ITestUSDC.MinterRemoved(MINTER);
        vm.prank(ADMIN);
        assertTrue(token.removeMinter(MINTER));
        assertFalse(token.isMinter(MINTER));
        assertEq(token.minterAllowance(MINTER), 0);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCUnauthorizedMinter.selector, MINTER));
        vm.prank(MINTER);
        token.mint(ALICE, 1);
    }

    function test_removeMinter_rejectsCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                ALICE,
                token.MASTER_MINTER_ROLE()
            )
        );
        vm.prank(ALICE);
        token.removeMinter(MINTER);
    }

    function test_burn_destroysCallerTokens() public {
        vm.startPrank(MINTER);
        token.mint(MINTER, 10e6);
        vm.expectEmit(address(token));
        emit ITestUSDC.Burn(MINTER, 4e6);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(MINTER, address(0), 4e6);
        token.burn(4e6);
        vm.stopPrank();
        assertEq(token.balanceOf(MINTER), 6e6);
        assertEq(token.totalSupply(), 6e6);
    }

    function test_burn_rejectsAboveBalance() public {
        vm.startPrank(MINTER);
        token.mint(MINTER, 1e6);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, MINTER, 1e6, 1e6 + 1));
        token.burn(1e6 + 1);
        vm.stopPrank();
    }

    function test_burn_rejectsZeroAmount() public {
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCZeroAmount.selector));
        vm.prank(MINTER);
        token.burn(0);
    }

    function test_burn_rejectsNonMinter() public {
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCUnauthorizedMinter.selector, ALICE));
        vm.prank(ALICE);
        token.burn(1);
    }

    function test_burn_rejectsBlocklistedMinter() public {
        vm.prank(ADMIN);
        token.blocklist(MINTER);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, MINTER));
        vm.prank(MINTER);
        token.burn(1);
    }

    function test_burn_rejectsWhenPaused() public {
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(MINTER);
        token.burn(1);
    }
}

/// @notice Pause, blocklist and roles.
contract TestUSDCControlTest is TestUSDCFixture {
    address internal constant ALICE = address(0xA1);

    function test_pause_togglesAndEmits() public {
        vm.expectEmit(address(token));
        emit Pausable.Paused(ADMIN);
        vm.prank(ADMIN);
        token.pause();
        assertTrue(token.paused());
        vm.expectEmit(address(token));
        emit Pausable.Unpaused(ADMIN);
        vm.prank(ADMIN);
        token.unpause();
        assertFalse(token.paused());
    }

    function test_pause_rejectsCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, ALICE, token.PAUSER_ROLE())
        );
        vm.prank(ALICE);
        token.pause();
    }

    function test_pause_worksForDelegatedPauser() public {
        vm.startPrank(ADMIN);
        token.grantRole(token.PAUSER_ROLE(), ALICE);
        vm.stopPrank();
        vm.prank(ALICE);
        token.pause();
        assertTrue(token.paused());
    }

    function test_unpause_rejectsWhenNotPaused() public {
        vm.expectRevert(abi.encodeWithSelector(Pausable.ExpectedPause.selector));
        vm.prank(ADMIN);
        token.unpause();
    }

    function test_blocklist_keepsBalanceAndIsReversible() public {
        _mintTo(ALICE, 5e6);
        vm.expectEmit(address(token));
        emit ITestUSDC.Blocklisted(ALICE);
        vm.prank(ADMIN);
        token.blocklist(ALICE);
        assertTrue(token.isBlocklisted(ALICE));
        assertEq(token.balanceOf(ALICE), 5e6);
        assertEq(token.totalSupply(), 5e6);

        vm.expectEmit(address(token));
        emit ITestUSDC.Unblocklisted(ALICE);
        vm.prank(ADMIN);
        token.unblocklist(ALICE);
        assertFalse(token.isBlocklisted(ALICE));
        assertEq(token.balanceOf(ALICE), 5e6);
        vm.prank(ALICE);
        token.transfer(PAYEE, 5e6);
        assertEq(token.balanceOf(PAYEE), 5e6);
    }

    function test_blocklist_isIdempotent() public {
        vm.startPrank(ADMIN);
        token.blocklist(ALICE);
        token.blocklist(ALICE);
        vm.stopPrank();
        assertTrue(token.isBlocklisted(ALICE));
        _mintTo(PAYEE, 1);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, ALICE));
        vm.prank(PAYEE);
        token.transfer(ALICE, 1);
    }

    function test_blocklist_rejectsCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                ALICE,
                token.BLOCKLISTER_ROLE()
            )
        );
        vm.prank(ALICE);
        token.blocklist(PAYEE);
    }

    function test_unblocklist_rejectsCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                ALICE,
                token.BLOCKLISTER_ROLE()
            )
        );
        vm.prank(ALICE);
        token.unblocklist(PAYEE);
    }

    function test_setFiatTokenRevertStrings_rejectsCallerWithoutRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                ALICE,
                token.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(ALICE);
        token.setFiatTokenRevertStrings(true);
    }
}

/**
 * @notice FiatToken revert-string mode: each failure x402 can reach reverts with FiatToken v2.2's exact
 * string (the strings the reference facilitator's expressions match), and switching back restores the
 * custom errors.
 */
contract TestUSDCRevertStringsTest is TestUSDCFixture {
    address internal payer;

    function setUp() public override {
        super.setUp();
        payer = vm.addr(PAYER_KEY);
        _mintTo(payer, INITIAL_BALANCE);
        vm.expectEmit(address(token));
        emit ITestUSDC.FiatTokenRevertStringsSet(true);
        vm.prank(ADMIN);
        token.setFiatTokenRevertStrings(true);
        assertTrue(token.fiatTokenRevertStrings());
    }

    function _transfer(Authorization memory a, bytes memory signature) internal {
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
    }

    function _expectString(string memory reason) internal {
        vm.expectRevert(abi.encodeWithSignature("Error(string)", reason));
    }

    function test_revertStrings_window() public {
        Authorization memory a = _auth(payer, keccak256("window"));
        a.validAfter = block.timestamp;
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(a));
        _expectString("FiatTokenV2: authorization is not yet valid");
        _transfer(a, signature);

        a = _auth(payer, keccak256("window 2"));
        a.validBefore = block.timestamp;
        signature = _sign(PAYER_KEY, _transferDigest(a));
        _expectString("FiatTokenV2: authorization is expired");
        _transfer(a, signature);
    }

    function test_revertStrings_nonceAndSignature() public {
        Authorization memory a = _auth(payer, keccak256("nonce"));
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(a));
        _transfer(a, signature);
        _expectString("FiatTokenV2: authorization is used or canceled");
        _transfer(a, signature);

        a = _auth(payer, keccak256("signature"));
        signature = _sign(OTHER_KEY, _transferDigest(a));
        _expectString("FiatTokenV2: invalid signature");
        _transfer(a, signature);
    }

    function test_revertStrings_payeeBalancePauseBlocklist() public {
        Authorization memory a = _auth(payer, keccak256("payee"));
        bytes memory signature = _sign(PAYER_KEY, _receiveDigest(a));
        _expectString("FiatTokenV2: caller must be the payee");
        token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);

        a = _auth(payer, keccak256("balance"));
        a.value = INITIAL_BALANCE + 1;
        signature = _sign(PAYER_KEY, _transferDigest(a));
        _expectString("ERC20: transfer amount exceeds balance");
        _transfer(a, signature);

        vm.prank(ADMIN);
        token.blocklist(PAYEE);
        _expectString("Blacklistable: account is blacklisted");
        _transfer(a, signature);

        vm.prank(ADMIN);
        token.pause();
        _expectString("Pausable: paused");
        _transfer(a, signature);
    }

    function test_revertStrings_ecrecover() public {
        Authorization memory a = _auth(payer, keccak256("ecrecover"));
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(a));
        (uint8 v, bytes32 r, bytes32 s) = _highS(signature);
        _expectString("ECRecover: invalid signature 's' value");
        _transfer(a, abi.encodePacked(r, s, v));
        _expectString("ECRecover: invalid signature 'v' value");
        _transfer(a, abi.encodePacked(r, bytes32(CURVE_ORDER - uint256(s)), uint8(29)));
        _expectString("ECRecover: invalid signature length");
        _transfer(a, new bytes(64));
        _expectString("ECRecover: invalid signature");
        _transfer(a, abi.encodePacked(bytes32(0), bytes32(uint256(1)), uint8(27)));
    }

    function test_revertStrings_erc20AndPermit() public {
        _expectString("ERC20: transfer to the zero address");
        vm.prank(payer);
        token.transfer(address(0), 1);
        _expectString("ERC20: approve to the zero address");
        vm.prank(payer);
        token.approve(address(0), 1);
        _expectString("ERC20: transfer amount exceeds allowance");
        token.transferFrom(payer, PAYEE, 1);

        _expectString("FiatTokenV2: permit is expired");
        token.permit(payer, PAYEE, 1, block.timestamp - 1, new bytes(65));
        bytes memory wrong = _sign(OTHER_KEY, _permitDigest(payer, PAYEE, 1, 0, block.timestamp));
        _expectString("EIP2612: invalid signature");
        token.permit(payer, PAYEE, 1, block.timestamp, wrong);
    }

    function test_revertStrings_switchBackRestoresCustomErrors() public {
        vm.prank(ADMIN);
        token.setFiatTokenRevertStrings(false);
        assertFalse(token.fiatTokenRevertStrings());
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        vm.prank(payer);
        token.transfer(address(0), 1);
    }

    function test_revertStrings_leaveAdminErrorsAlone() public {
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCUnauthorizedMinter.selector, payer));
        vm.prank(payer);
        token.mint(payer, 1);
    }
}
