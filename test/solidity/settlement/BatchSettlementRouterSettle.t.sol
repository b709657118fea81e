// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1271GasBurnerMock} from "../../../contracts/mocks/ERC1271GasBurnerMock.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {ERC3009MisbehavingTokenMock} from "../../../contracts/mocks/ERC3009MisbehavingTokenMock.sol";
import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {IERC3009} from "../../../contracts/interfaces/IERC3009.sol";
import {BatchSettlementRouterFixture} from "./BatchSettlementRouterFixture.sol";
import {Vm, vm} from "../utils/Vm.sol";

/**
 * @notice {IBatchSettlementRouter-settle}: ordinary x402 `exact` authorizations in one call, each failure kind
 * isolated to its item, results, events, signatures in every form, and the per-item gas limit.
 */
contract BatchSettlementRouterSettleTest is BatchSettlementRouterFixture {
    using FailureReasons for IBatchSettlementRouter.FailureReason;

    function setUp() public override {
        super.setUp();
        _fundPayers(usdc, 8);
        _fundPayers(eurc, 8);
        _mint(usdc, PAYEE, 1);
    }

    // ------------------------------------------------------------------------------------------------
    // Settling
    // ------------------------------------------------------------------------------------------------

    function test_settle_movesFundsFromPayerToPayee() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, keccak256("one"));
        vm.recordLogs();
        bytes memory results = _settle(_one(a));
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(results, hex"00");
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE);
        assertEq(usdc.balanceOf(a.from), INITIAL_BALANCE - VALUE);
        assertTrue(usdc.authorizationState(a.from, a.nonce));
        assertEq(usdc.balanceOf(address(router)), 0);
        // The token's AuthorizationUsed and Transfer, then the router's AuthorizationSettled(0).
        assertEq(logs.length, 3);
        assertEq(logs[0].emitter, address(usdc));
        assertEq(logs[1].topics[0], TRANSFER_TOPIC);
        assertEq(logs[2].emitter, address(router));
        assertEq(logs[2].topics[0], SETTLED_TOPIC);
        assertEq(abi.decode(logs[2].data, (uint256)), 0);
    }

    function test_settle_settlesAcrossTokensAndPayees() public {
        Item[] memory items = new Item[](6);
        address[3] memory payees = [PAYEE, PAYEE_2, address(0xC0FFEE)];
        for (uint256 i; i < 6; ++i) {
            items[i] = _item(i, i % 2 == 0 ? usdc : eurc, payees[i % 3], VALUE * (i + 1), bytes32(i));
        }
        bytes memory results = _settle(items);

        assertEq(results, hex"000000000000");
        // usdc: items 0 (PAYEE), 2 (0xC0FFEE), 4 (PAYEE_2); eurc: 1 (PAYEE_2), 3 (PAYEE), 5 (0xC0FFEE).
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE);
        assertEq(usdc.balanceOf(address(0xC0FFEE)), 3 * VALUE);
        assertEq(usdc.balanceOf(PAYEE_2), 5 * VALUE);
        assertEq(eurc.balanceOf(PAYEE_2), 2 * VALUE);
        assertEq(eurc.balanceOf(PAYEE), 4 * VALUE);
        assertEq(eurc.balanceOf(address(0xC0FFEE)), 6 * VALUE);
        assertEq(usdc.balanceOf(address(router)) + eurc.balanceOf(address(router)), 0);
    }

    function test_settle_reportsEachItemOfAMixedBatch() public {
        Item[] memory items = new Item[](5);
        items[0] = _item(0, usdc, PAYEE, VALUE, "good 0");
        items[1] = _item(1, usdc, PAYEE, VALUE, "expired");
        items[1].validBefore = block.timestamp;
        _resign(items[1], _key(1));
        items[2] = _item(2, eurc, PAYEE, VALUE, "good 2");
        items[3] = _item(3, usdc, PAYEE, INITIAL_BALANCE + 1, "too much");
        items[4] = _item(4, usdc, PAYEE_2, VALUE, "good 4");

        vm.recordLogs();
        bytes memory results = _settle(items);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(results, hex"0003000600");
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE);
        assertEq(usdc.balanceOf(PAYEE_2), VALUE);
        assertEq(eurc.balanceOf(PAYEE), VALUE);
        assertFalse(usdc.authorizationState(items[1].from, items[1].nonce));
        assertFalse(usdc.authorizationState(items[3].from, items[3].nonce));

        (uint256[] memory settled, uint256 settledCount) = _settledIndices(logs);
        assertEq(settledCount, 3);
        assertEq(settled[0], 0);
        assertEq(settled[1], 2);
        assertEq(settled[2], 4);
        (
            uint256 count,
            address[] memory tokens,
            address[] memory froms,
            bytes32[] memory nonces,
            uint256[] memory indices,
            uint8[] memory reasons,
            bytes4[] memory selectors
        ) = _failures(logs);
        assertEq(count, 2);
        assertEq(tokens[0], address(usdc));
        assertEq(froms[0], items[1].from);
        assertEq(nonces[0], items[1].nonce);
        assertEq(indices[0], 1);
        assertEq(reasons[0], uint8(IBatchSettlementRouter.FailureReason.Expired));
        assertEq(selectors[0], IERC3009.ERC3009AuthorizationExpired.selector);
        assertEq(froms[1], items[3].from);
        assertEq(indices[1], 3);
        assertEq(reasons[1], uint8(IBatchSettlementRouter.FailureReason.InsufficientBalance));
        assertEq(selectors[1], bytes4(keccak256("ERC20InsufficientBalance(address,uint256,uint256)")));
    }

    function test_settle_logsTheFailureKeyAndSelector() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "wrong key");
        _resign(a, _key(1));
        vm.expectEmit(true, true, true, true, address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(usdc),
            a.from,
            a.nonce,
            0,
            IBatchSettlementRouter.FailureReason.InvalidSignature,
            IERC3009.ERC3009InvalidSignature.selector
        );
        _settle(_one(a));
    }

    // ------------------------------------------------------------------------------------------------
    // One failure kind per test: the bad item is skipped, the good one next to it settles
    // ------------------------------------------------------------------------------------------------

    /// @dev Settles [good, bad] and checks the outcome and that nothing moved for `bad`.
    function _assertSkipped(Item memory bad, IBatchSettlementRouter.FailureReason expected) internal {
        Item[] memory items = new Item[](2);
        items[0] = _item(7, eurc, PAYEE_2, VALUE, keccak256(abi.encode("neighbour", bad.nonce)));
        items[1] = bad;
        uint256 payeeBefore = TestUSDCLike(bad.token).balanceOf(bad.to);
        uint256 payerBefore = TestUSDCLike(bad.token).balanceOf(bad.from);
        bytes memory results = _settle(items);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
        _assertReason(results, 1, expected);
        assertEq(eurc.balanceOf(PAYEE_2), VALUE, "neighbour settled");
        assertEq(TestUSDCLike(bad.token).balanceOf(bad.to), payeeBefore, "payee unchanged");
        assertEq(TestUSDCLike(bad.token).balanceOf(bad.from), payerBefore, "payer unchanged");
    }

    function test_settle_skipsUsedNonce() public {
        Item memory first = _item(0, usdc, PAYEE, VALUE, "reused");
        _settle(_one(first));
        // A new, valid signature over different terms with the same nonce.
        Item memory second = _item(0, usdc, PAYEE_2, 2 * VALUE, "reused");
        _assertSkipped(second, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
    }

    function test_settle_skipsCanceledNonce() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "canceled");
        usdc.cancelAuthorization(
            a.from,
            a.nonce,
            _sign(_key(0), _digest(address(usdc), keccak256(abi.encode(CANCEL_TYPEHASH, a.from, a.nonce))))
        );
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
    }

    function test_settle_skipsFrontRunItem() public {
        // Someone saw the signature and submitted it to the token first: the payee is paid once.
        Item memory a = _item(0, usdc, PAYEE, VALUE, "front-run");
        usdc.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.signature);
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE);
    }

    function test_settle_skipsDuplicateWithinTheBatch() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "twice");
        Item[] memory items = new Item[](2);
        items[0] = a;
        items[1] = a;
        bytes memory results = _settle(items);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
        _assertReason(results, 1, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE);
    }

    function test_settle_skipsExpiredAuthorization() public {
        // "block.timestamp < validBefore" is strict.
        Item memory a = _item(0, usdc, PAYEE, VALUE, "expired");
        a.validBefore = block.timestamp;
        _resign(a, _key(0));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.Expired);
    }

    function test_settle_skipsNotYetValidAuthorization() public {
        // "block.timestamp > validAfter" is strict.
        Item memory a = _item(0, usdc, PAYEE, VALUE, "early");
        a.validAfter = block.timestamp;
        _resign(a, _key(0));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.NotYetValid);
    }

    function test_settle_skipsSignatureByAnotherKey() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "other key");
        _resign(a, _key(1));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settle_skipsTamperedValue() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "tampered");
        a.value = 2 * VALUE;
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settle_skipsTamperedPayee() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "redirected");
        a.to = PAYEE_2;
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settle_skipsHighSSignature() public {
        // Not expressible in compact form: it goes to the bytes overload, which rejects it.
        Item memory a = _item(0, usdc, PAYEE, VALUE, "high s");
        (uint8 v, bytes32 r, bytes32 s) = _split(a.signature);
        a.signature = abi.encodePacked(r, bytes32(CURVE_ORDER - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settle_skipsInsufficientBalance() public {
        Item memory a = _item(0, usdc, PAYEE, INITIAL_BALANCE + 1, "too much");
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InsufficientBalance);
    }

    function test_settle_skipsItemsOfAPausedToken() public {
        vm.prank(ADMIN);
        usdc.pause();
        _assertSkipped(_item(0, usdc, PAYEE, VALUE, "paused"), IBatchSettlementRouter.FailureReason.Paused);
    }

    function test_settle_skipsBlocklistedPayer() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "blocked payer");
        vm.prank(ADMIN);
        usdc.blocklist(a.from);
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.Blocklisted);
    }

    function test_settle_skipsBlocklistedPayee() public {
        vm.prank(ADMIN);
        usdc.blocklist(PAYEE);
        _assertSkipped(_item(0, usdc, PAYEE, VALUE, "blocked payee"), IBatchSettlementRouter.FailureReason.Blocklisted);
    }

    function test_settle_skipsTokenWithoutCode() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "no code");
        a.token = address(0xDEAD);
        Item[] memory items = new Item[](2);
        items[0] = a;
        items[1] = _item(1, usdc, PAYEE, VALUE, "fine");
        vm.expectEmit(true, true, true, true, address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(0xDEAD),
            a.from,
            a.nonce,
            0,
            IBatchSettlementRouter.FailureReason.InvalidToken,
            bytes4(0)
        );
        bytes memory results = _settle(items);
        assertEq(results, abi.encodePacked(IBatchSettlementRouter.FailureReason.InvalidToken.code(), uint8(0)));
    }

    function test_settle_skipsRouterAsPayee() public {
        // A transfer to the router would strand the funds there.
        Item memory a = _item(0, usdc, address(router), VALUE, "to router");
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidPayee);
        assertFalse(usdc.authorizationState(a.from, a.nonce));
    }

    function test_settle_decodesFiatTokenRevertStrings() public {
        vm.prank(ADMIN);
        usdc.setFiatTokenRevertStrings(true);
        Item memory used = _item(0, usdc, PAYEE, VALUE, "used");
        _settle(_one(used));

        Item[] memory items = new Item[](6);
        items[0] = used;
        items[1] = _item(1, usdc, PAYEE, VALUE, "expired");
        items[1].validBefore = block.timestamp;
        _resign(items[1], _key(1));
        items[2] = _item(2, usdc, PAYEE, VALUE, "early");
        items[2].validAfter = block.timestamp;
        _resign(items[2], _key(2));
        items[3] = _item(3, usdc, PAYEE, VALUE, "other key");
        _resign(items[3], _key(4));
        items[4] = _item(4, usdc, PAYEE, INITIAL_BALANCE + 1, "too much");
        items[5] = _item(5, usdc, PAYEE, VALUE, "blocked");
        vm.prank(ADMIN);
        usdc.blocklist(items[5].from);

        vm.recordLogs();
        bytes memory results = _settle(items);
        assertEq(
            results,
            abi.encodePacked(
                IBatchSettlementRouter.FailureReason.UsedOrCanceled.code(),
                IBatchSettlementRouter.FailureReason.Expired.code(),
                IBatchSettlementRouter.FailureReason.NotYetValid.code(),
                IBatchSettlementRouter.FailureReason.InvalidSignature.code(),
                IBatchSettlementRouter.FailureReason.InsufficientBalance.code(),
                IBatchSettlementRouter.FailureReason.Blocklisted.code()
            )
        );
        (uint256 count, , , , , , bytes4[] memory selectors) = _failures(vm.getRecordedLogs());
        assertEq(count, 6);
        for (uint256 i; i < 6; ++i) assertEq(selectors[i], bytes4(keccak256("Error(string)")));

        vm.prank(ADMIN);
        usdc.pause();
        results = _settle(_one(_item(6, usdc, PAYEE, VALUE, "paused")));
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.Paused);
    }

    function test_settle_reportsUnknownErrorsAsOtherWithTheirSelector() public {
        // The reentering token bubbles up the router's ReentrancyGuardReentrantCall(): not an EIP-3009 reason.
        ERC3009MisbehavingTokenMock token = new ERC3009MisbehavingTokenMock(
            ERC3009MisbehavingTokenMock.Mode.Reenter,
            address(router)
        );
        token.mint(_payer(0), VALUE);
        Item memory a = _item(0, usdc, PAYEE, VALUE, "reenter");
        a.token = address(token);
        vm.expectEmit(true, true, true, true, address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(token),
            a.from,
            a.nonce,
            0,
            IBatchSettlementRouter.FailureReason.Other,
            bytes4(keccak256("ReentrancyGuardReentrantCall()"))
        );
        bytes memory results = _settle(_one(a));
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.Other);
        assertEq(token.balanceOf(_payer(0)), VALUE);
    }

    // ------------------------------------------------------------------------------------------------
    // Signature forms
    // ------------------------------------------------------------------------------------------------

    function test_settle_acceptsBytesSignatureOfAnEoa() public {
        // A 65-byte signature can also go to the bytes overload (flag SIGNATURE_BYTES).
        Item memory a = _item(0, usdc, PAYEE, VALUE, "bytes eoa");
        bytes memory batch = _encode(_one(a), true);
        assertEq(uint8(batch[4 + 3 * 20]), 1, "flags");
        vm.prank(RELAYER);
        bytes memory results = router.settle(batch, ITEM_GAS);
        assertEq(results, hex"00");
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE);
    }

    function test_settle_acceptsErc1271WalletPayer() public {
        // Sent compact, the router expands it to (v, r, s) and the token passes r ‖ s ‖ v to ERC-1271; sent
        // as bytes, the token passes the signature unchanged.
        ERC1271WalletMock wallet = new ERC1271WalletMock(_payer(5), false);
        _mint(usdc, address(wallet), VALUE * 2);
        Item[] memory items = new Item[](1);
        for (uint256 form; form < 2; ++form) {
            items[0] = _item(5, usdc, PAYEE, VALUE, keccak256(abi.encode("wallet", form)));
            items[0].from = address(wallet);
            _resign(items[0], _key(5));
            vm.prank(RELAYER);
            assertEq(router.settle(_encode(items, form == 1), ITEM_GAS), hex"00");
        }
        assertEq(usdc.balanceOf(address(wallet)), 0);
        assertEq(usdc.balanceOf(PAYEE), 1 + 2 * VALUE);
    }

    function test_settle_skipsWalletThatRefuses() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(_payer(5), true);
        _mint(usdc, address(wallet), VALUE);
        Item memory a = _item(5, usdc, PAYEE, VALUE, "refused");
        a.from = address(wallet);
        _resign(a, _key(5));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settle_encodesWideNumbers() public {
        // validBefore = 2^256 - 1 and a value above 2^96 need the WIDE layout.
        uint256 big = 2 ** 100;
        _mint(usdc, _payer(6), big);
        Item memory a = _item(6, usdc, PAYEE, big, "wide");
        a.validBefore = type(uint256).max;
        _resign(a, _key(6));
        bytes memory batch = _encode(_one(a));
        assertEq(batch.length, 4 + 3 * 20 + 199);
        vm.prank(RELAYER);
        assertEq(router.settle(batch, ITEM_GAS), hex"00");
        assertEq(usdc.balanceOf(PAYEE), 1 + big);
    }

    // ------------------------------------------------------------------------------------------------
    // Gas
    // ------------------------------------------------------------------------------------------------

    function test_settle_containsAGasBurningWallet() public {
        // The hostile wallet burns its item's limit inside the token's ERC-1271 STATICCALL; the token then
        // rejects the signature and the batch goes on.
        ERC1271GasBurnerMock burner = new ERC1271GasBurnerMock();
        _mint(usdc, address(burner), VALUE);
        Item memory hostile = _item(0, usdc, PAYEE, VALUE, "burner");
        hostile.from = address(burner);
        Item[] memory items = new Item[](3);
        items[0] = _item(1, usdc, PAYEE, VALUE, "before");
        items[1] = hostile;
        items[2] = _item(2, usdc, PAYEE, VALUE, "after");
        bytes memory batch = _encode(items);
        uint256 gasBefore = gasleft();
        bytes memory results = router.settle(batch, ITEM_GAS);
        uint256 gasUsed = gasBefore - gasleft();
        _assertReason(results, 1, IBatchSettlementRouter.FailureReason.InvalidSignature);
        assertEq(
            results,
            abi.encodePacked(uint8(0), IBatchSettlementRouter.FailureReason.InvalidSignature.code(), uint8(0))
        );
        assertEq(usdc.balanceOf(PAYEE), 1 + 2 * VALUE);
        // Two honest items (~40k each) and at most one item limit for the hostile one.
        assertLe(gasUsed, 2 * 60_000 + ITEM_GAS + 30_000);
    }

    function test_settle_reportsItemsAboveTheirGasLimit() public {
        Item memory a = _item(0, usdc, PAYEE, VALUE, "starved");
        vm.prank(RELAYER);
        bytes memory results = router.settle(_encode(_one(a)), 25_000);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.GasLimitExceeded);
        assertFalse(usdc.authorizationState(a.from, a.nonce));
    }

    function test_settle_revertsWhenTheItemLimitCannotBeForwarded() public {
        bytes memory batch = _encode(_one(_item(0, usdc, PAYEE, VALUE, "big limit")));
        uint256 limit = 50_000_000;
        uint256 required = limit + limit / 63 + 10_000;
        try router.settle{gas: 5_000_000}(batch, limit) {
            revert("expected a revert");
        } catch (bytes memory data) {
            assertEq(bytes4(data), IBatchSettlementRouter.BatchSettlementInsufficientGas.selector);
            (uint256 index, uint256 gasLeft, uint256 gasRequired) = abi.decode(
                _slice(data, 4, data.length - 4),
                (uint256, uint256, uint256)
            );
            assertEq(index, 0);
            assertEq(gasRequired, required);
            assertLe(gasLeft, 5_000_000);
            assertGe(gasLeft, 4_000_000);
        }
        // An absurd limit saturates instead of overflowing.
        try router.settle{gas: 5_000_000}(batch, type(uint256).max) {
            revert("expected a revert");
        } catch (bytes memory data) {
            (, , uint256 gasRequired) = abi.decode(_slice(data, 4, data.length - 4), (uint256, uint256, uint256));
            assertEq(gasRequired, type(uint256).max);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Guards
    // ------------------------------------------------------------------------------------------------

    function test_settleFeeItem_rejectsOtherCallers() public {
        vm.expectRevert(
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementUnauthorizedCaller.selector, RELAYER)
        );
        vm.prank(RELAYER);
        router.settleFeeItem(address(usdc), "", 0, PAYEE, 0, FEE_RECIPIENT);
    }

    function test_settle_holdsNoFunds() public {
        Item[] memory items = new Item[](4);
        for (uint256 i; i < 4; ++i) items[i] = _item(i, usdc, PAYEE, VALUE, bytes32(i));
        _settle(items);
        assertEq(usdc.balanceOf(address(router)), 0);
        assertEq(address(router).balance, 0);
    }

    function _slice(bytes memory data, uint256 start, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i; i < length; ++i) out[i] = data[start + i];
    }
}

/// @dev The balance getter every token here has.
interface TestUSDCLike {
    function balanceOf(address account) external view returns (uint256);
}

/// @dev `reason.code()`: the result byte of a reason.
library FailureReasons {
    function code(IBatchSettlementRouter.FailureReason reason) internal pure returns (uint8) {
        return uint8(reason);
    }
}
