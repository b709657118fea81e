// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC3009} from "../../../contracts/interfaces/IERC3009.sol";
import {ITestUSDC} from "../../../contracts/interfaces/ITestUSDC.sol";
import {TestUSDCFixture} from "./TestUSDCFixture.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Property tests: nonces, validity window, supply conservation, balance bounds, faucet limits.
contract TestUSDCFuzzTest is TestUSDCFixture {
    uint256 internal constant SUPPLY_CAP = (1 << 255) - 1;
    uint256 internal constant KEY_LIMIT = CURVE_ORDER - 1;

    address internal payer;

    function setUp() public override {
        super.setUp();
        payer = vm.addr(PAYER_KEY);
        _mintTo(payer, INITIAL_BALANCE);
    }

    function _transferAuth(Authorization memory a, bool bytesForm) internal {
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(a));
        if (bytesForm) {
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        } else {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
        }
    }

    /// @dev A nonce is spent by its first use; any later transfer (either form), receive or cancel with it
    /// reverts with the authorizer and nonce.
    function testFuzz_authorizationState_nonceUsableOnce(
        bytes32 nonce,
        uint256 value,
        uint8 firstKind,
        uint8 secondKind
    ) public {
        Authorization memory a = _auth(payer, nonce);
        a.value = bound(value, 0, INITIAL_BALANCE / 2);
        _useNonce(a, firstKind % 4, "");
        assertTrue(token.authorizationState(payer, nonce));
        _useNonce(
            a,
            secondKind % 4,
            abi.encodeWithSelector(IERC3009.ERC3009AuthorizationUsedOrCanceled.selector, payer, nonce)
        );
        assertEq(token.balanceOf(PAYEE), firstKind % 4 == 3 ? 0 : a.value);
    }

    /// @dev Uses `a.nonce` by transfer (bytes), transfer (v, r, s), receive or cancel; expects `revertData`
    /// when it is not empty.
    function _useNonce(Authorization memory a, uint8 kind, bytes memory revertData) internal {
        bytes memory signature = _sign(
            PAYER_KEY,
            kind < 2
                ? _transferDigest(a)
                : kind == 2
                    ? _receiveDigest(a)
                    : _cancelDigest(a.from, a.nonce)
        );
        if (revertData.length != 0) vm.expectRevert(revertData);
        if (kind == 0) {
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        } else if (kind == 1) {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
        } else if (kind == 2) {
            vm.prank(a.to);
            token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        } else {
            token.cancelAuthorization(a.from, a.nonce, signature);
        }
    }

    /// @dev Valid exactly when validAfter < now < validBefore, around both boundaries.
    function testFuzz_transferWithAuthorization_enforcesStrictWindow(
        uint256 warpTo,
        uint256 afterOffset,
        uint256 beforeOffset,
        bool bytesForm
    ) public {
        uint256 time = bound(warpTo, 600, type(uint64).max);
        vm.warp(time);
        Authorization memory a = _auth(payer, keccak256(abi.encode(warpTo, afterOffset, beforeOffset)));
        a.validAfter = time - 3 + bound(afterOffset, 0, 6);
        a.validBefore = time - 3 + bound(beforeOffset, 0, 6);

        if (a.validAfter >= time) {
            vm.expectRevert(
                abi.encodeWithSelector(IERC3009.ERC3009AuthorizationNotYetValid.selector, a.validAfter, time)
            );
        } else if (a.validBefore <= time) {
            vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009AuthorizationExpired.selector, a.validBefore, time));
        }
        _transferAuth(a, bytesForm);
        bool valid = a.validAfter < time && time < a.validBefore;
        assertEq(token.authorizationState(payer, a.nonce), valid);
        assertEq(token.balanceOf(PAYEE), valid ? a.value : 0);
    }

    /// @dev Any key but the payer's is rejected, and the error names the key's address.
    function testFuzz_transferWithAuthorization_rejectsOtherSigners(uint256 key, bytes32 nonce) public {
        key = bound(key, 1, KEY_LIMIT);
        vm.assume(key != PAYER_KEY);
        Authorization memory a = _auth(payer, nonce);
        bytes memory signature = _sign(key, _transferDigest(a));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignature.selector, vm.addr(key), payer));
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
    }

    /// @dev Transfers of every kind between three holders never change the total supply, and the
    /// balances always sum to it.
    function testFuzz_transfers_conserveSupply(uint256 seed) public {
        uint256[3] memory keys = [PAYER_KEY, OTHER_KEY, uint256(0xC0FFEE)];
        address[3] memory holders = [payer, vm.addr(OTHER_KEY), vm.addr(0xC0FFEE)];
        _mintTo(holders[1], 3e6);
        uint256 supply = token.totalSupply();

        for (uint256 step; step < 6; ++step) {
            _randomTransfer(uint256(keccak256(abi.encode(seed, step))), keys, holders);
            assertEq(token.totalSupply(), supply);
            assertEq(token.balanceOf(holders[0]) + token.balanceOf(holders[1]) + token.balanceOf(holders[2]), supply);
        }
    }

    /// @dev One transfer, chosen by `r`: plain, transferWithAuthorization or receiveWithAuthorization, of up
    /// to the sender's whole balance, possibly to itself.
    function _randomTransfer(uint256 r, uint256[3] memory keys, address[3] memory holders) internal {
        uint256 i = r % 3;
        uint256 balance = token.balanceOf(holders[i]);
        Authorization memory a = Authorization({
            from: holders[i],
            to: holders[(r >> 8) % 3],
            value: balance == 0 ? 0 : (r >> 16) % (balance + 1),
            validAfter: 0,
            validBefore: type(uint256).max,
            nonce: bytes32(r)
        });
        uint256 kind = (r >> 128) % 3;
        if (kind == 0) {
            vm.prank(a.from);
            token.transfer(a.to, a.value);
        } else if (kind == 1) {
            bytes memory signature = _sign(keys[i], _transferDigest(a));
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        } else {
            bytes memory signature = _sign(keys[i], _receiveDigest(a));
            vm.prank(a.to);
            token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        }
    }

    /// @dev Spending more than the balance reverts with the exact shortfall; otherwise the balance drops
    /// by exactly `value` (never below zero).
    function testFuzz_transfer_neverGoesNegative(uint256 value) public {
        if (value > INITIAL_BALANCE) {
            vm.expectRevert(
                abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, payer, INITIAL_BALANCE, value)
            );
        }
        vm.prank(payer);
        token.transfer(PAYEE, value);
        if (value <= INITIAL_BALANCE) {
            assertEq(token.balanceOf(payer), INITIAL_BALANCE - value);
            assertEq(token.balanceOf(PAYEE), value);
        }
    }

    /// @dev Minting up to the cap and concentrating everything in one account never spills into the
    /// blocklist bit; minting past the cap reverts with the supply and amount.
    function testFuzz_mint_neverOverflowsBalance(uint256 first, uint256 second) public {
        address alice = address(0xA1);
        address bob = address(0xB2);
        uint256 supply = token.totalSupply();
        first = bound(first, 1, SUPPLY_CAP - supply);
        _mintTo(alice, first);
        supply += first;
        vm.prank(ADMIN);
        token.configureMinter(ADMIN, type(uint256).max); // leave only the supply cap in the way

        if (second == 0) {
            vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCZeroAmount.selector));
        } else if (second > SUPPLY_CAP - supply) {
            vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCSupplyCapExceeded.selector, supply, second));
        }
        vm.prank(ADMIN);
        token.mint(bob, second);
        if (second != 0 && second <= SUPPLY_CAP - supply) supply += second;

        uint256 bobBalance = token.balanceOf(bob);
        vm.prank(alice);
        token.transfer(bob, first);
        assertEq(token.balanceOf(bob), bobBalance + first);
        assertLe(token.balanceOf(bob), SUPPLY_CAP);
        assertFalse(token.isBlocklisted(bob));
        assertEq(token.totalSupply(), supply);
    }

    /// @dev Blocklisting neither changes a balance nor the supply; unblocklisting restores transfers.
    function testFuzz_blocklist_keepsBalance(uint256 amount) public {
        amount = bound(amount, 0, INITIAL_BALANCE);
        vm.startPrank(ADMIN);
        token.blocklist(payer);
        assertEq(token.balanceOf(payer), INITIAL_BALANCE);
        token.unblocklist(payer);
        vm.stopPrank();
        vm.prank(payer);
        token.transfer(PAYEE, amount);
        assertEq(token.balanceOf(payer), INITIAL_BALANCE - amount);
    }

    /// @dev The faucet never mints more than the cap per call nor twice within a cooldown.
    function testFuzz_faucet_respectsCapAndCooldown(uint128 cap, uint64 cooldown, uint256 amount, uint64 wait) public {
        cap = uint128(bound(cap, 1, type(uint128).max));
        vm.prank(ADMIN);
        token.configureFaucet(true, cap, cooldown);
        address to = address(0xFA);

        if (amount == 0) {
            vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCZeroAmount.selector));
            token.faucet(to, amount);
            return;
        }
        if (amount > cap) {
            vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCFaucetCapExceeded.selector, amount, cap));
            token.faucet(to, amount);
            return;
        }
        token.faucet(to, amount);
        assertEq(token.balanceOf(to), amount);
        uint256 readyAt = block.timestamp + cooldown;
        assertEq(token.faucetReadyAt(to), readyAt);

        vm.warp(block.timestamp + wait);
        if (wait < cooldown) {
            vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCFaucetCooldown.selector, to, readyAt));
        }
        token.faucet(to, 1);
        assertEq(token.balanceOf(to), wait < cooldown ? amount : amount + 1);
    }
}
