// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {PERMIT2_ADDRESS} from "../utils/Permit2Etch.sol";
import {vm} from "../utils/Vm.sol";
import {BatchSettlementRouterPermit2Fixture} from "./BatchSettlementRouterPermit2Fixture.sol";

/// @notice Properties of {IBatchSettlementRouter-settlePermit2} over random batches and random tampering.
contract BatchSettlementRouterPermit2FuzzTest is BatchSettlementRouterPermit2Fixture {
    /// @dev Exact item `i` (payer `i`, nonce `100 + i`) with a random defect, and the reason the router must report.
    function _randomExactItem(
        uint256 seed,
        uint256 i
    ) internal returns (IBatchSettlementRouter.Permit2ExactItem memory item, IBatchSettlementRouter.FailureReason r) {
        uint256 rand = uint256(keccak256(abi.encode("exact", seed, i)));
        item = _exactItem(i, PAY_TO, bound(rand >> 8, 1, PAYER_BALANCE), 100 + i);
        uint256 kind = rand % 7;
        if (kind == 1) {
            item.witness.to = address(uint160(rand >> 96)) == address(0) ? address(1) : address(uint160(rand >> 96));
            r = IBatchSettlementRouter.FailureReason.InvalidSignature; // payTo changed after signing
        } else if (kind == 2) {
            item.permit.permitted.amount += 1; // amount changed after signing
            r = IBatchSettlementRouter.FailureReason.InvalidSignature;
        } else if (kind == 3) {
            exact.settle(item.permit, item.owner, item.witness, item.signature);
            r = IBatchSettlementRouter.FailureReason.UsedOrCanceled;
        } else if (kind == 4) {
            vm.prank(item.owner);
            token.approve(PERMIT2_ADDRESS, item.permit.permitted.amount - 1);
            r = IBatchSettlementRouter.FailureReason.InsufficientAllowance;
        } else if (kind == 5) {
            item.permit.deadline = block.timestamp - 1 - (rand >> 250);
            _resignExact(item, i);
            r = IBatchSettlementRouter.FailureReason.Expired;
        } else if (kind == 6) {
            item.permit.permitted.amount = PAYER_BALANCE + 1 + (rand >> 200);
            _resignExact(item, i);
            r = IBatchSettlementRouter.FailureReason.InsufficientBalance;
        }
    }

    /// "one failing item ... does not revert the others": each item gets its own reason, and exactly the settled
    /// items move money, each exactly its signed amount to its signed payee.
    function testFuzz_settlePermit2_isolatesEachItem(uint256 seed) public {
        uint256 n = bound(seed, 1, PAYERS);
        IBatchSettlementRouter.Permit2ExactItem[] memory items = new IBatchSettlementRouter.Permit2ExactItem[](n);
        IBatchSettlementRouter.FailureReason[] memory expected = new IBatchSettlementRouter.FailureReason[](n);
        uint256[] memory balanceBefore = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            (items[i], expected[i]) = _randomExactItem(seed, i);
            balanceBefore[i] = token.balanceOf(items[i].owner);
        }
        uint256 payeeBefore = token.balanceOf(PAY_TO);
        vm.prank(RELAYER);
        bytes memory results = router.settlePermit2(items, _noUpto(), ITEM_GAS);
        assertEq(results.length, n, "one result per item");
        uint256 paid;
        for (uint256 i; i < n; ++i) {
            _assertReason(results, i, expected[i]);
            bool settled = expected[i] == IBatchSettlementRouter.FailureReason.None;
            uint256 debit = settled ? items[i].permit.permitted.amount : 0;
            paid += debit;
            assertEq(token.balanceOf(items[i].owner), balanceBefore[i] - debit, "payer debited its signed amount");
            bool spent = settled || expected[i] == IBatchSettlementRouter.FailureReason.UsedOrCanceled;
            assertTrue(_nonceUsed(items[i].owner, 100 + i) == spent, "nonce used only by a settlement");
        }
        assertEq(token.balanceOf(PAY_TO) - payeeBefore, paid, "payee got exactly the settled amounts");
        assertEq(token.balanceOf(address(router)), 0, "the router holds nothing");
    }

    /// An upto payer is never charged more than the signed maximum, whatever amount the settler asks.
    function testFuzz_settlePermit2_neverChargesMoreThanSigned(uint256 maxAmount, uint256 amount) public {
        maxAmount = bound(maxAmount, 0, PAYER_BALANCE);
        amount = bound(amount, 0, type(uint256).max);
        if (amount % 2 == 0) amount = bound(amount, 0, maxAmount); // half the runs within the maximum
        IBatchSettlementRouter.Permit2UptoItem memory item = _uptoItem(0, PAY_TO, maxAmount, amount, FACILITATOR, "s");
        uint256 before = token.balanceOf(item.owner);
        vm.prank(FACILITATOR);
        bytes memory results = router.settlePermit2(_noExact(), _uptoOnly(item), ITEM_GAS);
        uint256 charged = before - token.balanceOf(item.owner);
        assertLe(charged, maxAmount);
        if (amount <= maxAmount) {
            _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
            assertEq(charged, amount, "charged the usage");
        } else {
            _assertReason(results, 0, IBatchSettlementRouter.FailureReason.AmountExceedsPermitted);
            assertEq(charged, 0, "nothing charged");
            assertFalse(_nonceUsed(item.owner, item.permit.nonce), "nonce unused");
        }
    }

    /// A signature for (payTo, amount) settles nothing with another payTo or amount, and settles once.
    function testFuzz_settlePermit2_noReplayAcrossPayToOrAmount(address otherPayTo, uint256 otherAmount) public {
        IBatchSettlementRouter.Permit2ExactItem memory signed = _exactItem(0, PAY_TO, PRICE, 42);
        vm.assume(otherPayTo != PAY_TO && otherPayTo != address(0) && otherPayTo != address(router));
        otherAmount = bound(otherAmount, 1, PAYER_BALANCE);
        vm.assume(otherAmount != PRICE);

        IBatchSettlementRouter.Permit2ExactItem[] memory tampered = new IBatchSettlementRouter.Permit2ExactItem[](3);
        tampered[0] = _exactItem(0, PAY_TO, PRICE, 42);
        tampered[0].witness.to = otherPayTo;
        tampered[1] = _exactItem(0, PAY_TO, PRICE, 42);
        tampered[1].permit.permitted.amount = otherAmount;
        tampered[2] = _exactItem(0, PAY_TO, PRICE, 42);
        tampered[2].witness.to = otherPayTo;
        tampered[2].permit.permitted.amount = otherAmount;
        bytes memory results = router.settlePermit2(tampered, _noUpto(), ITEM_GAS);
        for (uint256 i; i < 3; ++i) _assertReason(results, i, IBatchSettlementRouter.FailureReason.InvalidSignature);
        assertFalse(_nonceUsed(signed.owner, 42), "nonce unused");

        // Upto: the settler changing the payee is refused too (amount is the settler's to choose, up to the max).
        IBatchSettlementRouter.Permit2UptoItem memory upto = _uptoItem(1, PAY_TO, PRICE, PRICE, FACILITATOR, "r");
        upto.witness.to = otherPayTo;
        vm.prank(FACILITATOR);
        results = router.settlePermit2(_noExact(), _uptoOnly(upto), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.InvalidSignature);

        IBatchSettlementRouter.Permit2ExactItem[] memory twice = new IBatchSettlementRouter.Permit2ExactItem[](2);
        twice[0] = signed;
        twice[1] = signed;
        uint256 otherBefore = token.balanceOf(otherPayTo);
        results = router.settlePermit2(twice, _noUpto(), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
        _assertReason(results, 1, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        assertEq(token.balanceOf(PAY_TO), 1 + PRICE, "paid once, to the signed payee");
        assertEq(token.balanceOf(otherPayTo), otherBefore, "nothing to the other payee");
        assertEq(token.balanceOf(signed.owner), PAYER_BALANCE - PRICE, "charged the signed amount once");
    }
}
