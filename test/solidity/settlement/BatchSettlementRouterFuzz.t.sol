// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {TestUSDC} from "../../../contracts/token/TestUSDC.sol";
import {BatchSettlementRouterFixture} from "./BatchSettlementRouterFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice Properties over random mixed batches: the router never keeps funds, every settled item moves
 * exactly its value (fee mode: exactly its split), failed items move nothing, and each item gets the
 * reason its defect calls for.
 */
contract BatchSettlementRouterFuzzTest is BatchSettlementRouterFixture {
    uint256 internal constant MAX_ITEMS = 10;
    uint256 internal constant DONATION = 3e6;

    function setUp() public override {
        super.setUp();
        _fundPayers(usdc, MAX_ITEMS);
        _fundPayers(eurc, MAX_ITEMS);
        _mint(usdc, address(router), DONATION);
    }

    function _cancel(TestUSDC token, uint256 i, bytes32 nonce) internal {
        token.cancelAuthorization(
            _payer(i),
            nonce,
            _sign(_key(i), _digest(address(token), keccak256(abi.encode(CANCEL_TYPEHASH, _payer(i), nonce))))
        );
    }

    /// @dev Item `i` with defect `kind`, and the reason the router must report for it.
    function _standardItem(
        uint256 seed,
        uint256 i,
        Item memory previous,
        IBatchSettlementRouter.FailureReason previousReason
    ) internal returns (Item memory a, IBatchSettlementRouter.FailureReason expected) {
        uint256 r = uint256(keccak256(abi.encode(seed, i)));
        TestUSDC token = r & 1 == 0 ? usdc : eurc;
        uint256 value = bound(r >> 8, 1, INITIAL_BALANCE);
        a = _item(i, token, (r >> 2) & 1 == 0 ? PAYEE : PAYEE_2, value, bytes32(r));
        uint256 kind = (r >> 4) % 8;
        if (kind == 1) {
            a.validBefore = block.timestamp;
            _resign(a, _key(i));
            expected = IBatchSettlementRouter.FailureReason.Expired;
        } else if (kind == 2) {
            _resign(a, _key(i + 1));
            expected = IBatchSettlementRouter.FailureReason.InvalidSignature;
        } else if (kind == 3) {
            a.value = INITIAL_BALANCE + 1;
            _resign(a, _key(i));
            expected = IBatchSettlementRouter.FailureReason.InsufficientBalance;
        } else if (kind == 4 && i > 0) {
            a = previous; // the same authorization twice
            expected =
                previousReason == IBatchSettlementRouter.FailureReason.None
                    ? IBatchSettlementRouter.FailureReason.UsedOrCanceled
                    : previousReason;
        } else if (kind == 5) {
            _cancel(token, i, a.nonce);
            expected = IBatchSettlementRouter.FailureReason.UsedOrCanceled;
        } else if (kind == 6) {
            a.to = address(router);
            _resign(a, _key(i));
            expected = IBatchSettlementRouter.FailureReason.InvalidPayee;
        }
    }

    function testFuzz_settle_movesExactlyTheSettledValues(uint256 seed) public {
        uint256 n = bound(seed, 1, MAX_ITEMS);
        Item[] memory items = new Item[](n);
        IBatchSettlementRouter.FailureReason[] memory expected = new IBatchSettlementRouter.FailureReason[](n);
        for (uint256 i; i < n; ++i) {
            (items[i], expected[i]) = _standardItem(
                seed,
                i,
                i > 0 ? items[i - 1] : items[0],
                i > 0 ? expected[i - 1] : IBatchSettlementRouter.FailureReason.None
            );
        }
        uint256[2] memory paidBefore = [
            usdc.balanceOf(PAYEE) + usdc.balanceOf(PAYEE_2),
            eurc.balanceOf(PAYEE) + eurc.balanceOf(PAYEE_2)
        ];
        bytes memory results = _settle(items);

        uint256[2] memory settledValue;
        for (uint256 i; i < n; ++i) {
            _assertReason(results, i, expected[i]);
            bool settled = expected[i] == IBatchSettlementRouter.FailureReason.None;
            if (settled) settledValue[items[i].token == address(usdc) ? 0 : 1] += items[i].value;
            // A settled payer lost exactly its value; any other payer (or a duplicate's) is judged by the sum.
            assertEq(
                TestUSDC(items[i].token).authorizationState(items[i].from, items[i].nonce),
                settled || _spent(expected[i])
            );
        }
        assertEq(usdc.balanceOf(PAYEE) + usdc.balanceOf(PAYEE_2) - paidBefore[0], settledValue[0], "usdc paid");
        assertEq(eurc.balanceOf(PAYEE) + eurc.balanceOf(PAYEE_2) - paidBefore[1], settledValue[1], "eurc paid");
        uint256 payersUsdc;
        uint256 payersEurc;
        for (uint256 i; i < MAX_ITEMS; ++i) {
            payersUsdc += usdc.balanceOf(_payer(i));
            payersEurc += eurc.balanceOf(_payer(i));
        }
        assertEq(MAX_ITEMS * INITIAL_BALANCE - payersUsdc, settledValue[0], "usdc debited");
        assertEq(MAX_ITEMS * INITIAL_BALANCE - payersEurc, settledValue[1], "eurc debited");
        assertEq(usdc.balanceOf(address(router)), DONATION, "router usdc");
        assertEq(eurc.balanceOf(address(router)), 0, "router eurc");
    }

    function _spent(IBatchSettlementRouter.FailureReason reason) internal pure returns (bool) {
        return reason == IBatchSettlementRouter.FailureReason.UsedOrCanceled;
    }

    /// @dev Fee item `i` with a random defect, and the reason the router must report for it.
    function _randomFeeItem(
        uint256 seed,
        uint256 i
    ) internal returns (FeeItem memory a, IBatchSettlementRouter.FailureReason expected) {
        uint256 r = uint256(keccak256(abi.encode("fee", seed, i)));
        uint256 value = bound(r >> 8, 1, INITIAL_BALANCE);
        uint256 fee = bound(r >> 100, 0, value);
        a = _feeItem(i, usdc, (r >> 2) & 1 == 0 ? PAYEE : PAYEE_2, value, fee, FEE_RECIPIENT, bytes32(r));
        uint256 kind = (r >> 4) % 7;
        if (kind == 1) {
            a.fee = value + 1 + (r >> 200);
            expected = IBatchSettlementRouter.FailureReason.FeeExceedsValue;
        } else if (kind == 2) {
            a.fee = fee == 0 ? 1 : fee - 1; // tampered split
            expected = IBatchSettlementRouter.FailureReason.InvalidSignature;
        } else if (kind == 3) {
            a.payTo = address(0xB10C); // blocklisted payee: the payout fails after the pull, which unwinds
            a.signature = _sign(_key(i), _receiveDigest(a, _commitment(a.payTo, a.fee, a.feeRecipient, a.salt)));
            expected =
                a.value == a.fee
                    ? IBatchSettlementRouter.FailureReason.None // nothing to pay to the blocklisted payee
                    : IBatchSettlementRouter.FailureReason.Blocklisted;
        } else if (kind == 4) {
            _cancel(usdc, i, _commitment(a.payTo, a.fee, a.feeRecipient, a.salt));
            expected = IBatchSettlementRouter.FailureReason.UsedOrCanceled;
        } else if (kind == 5) {
            a.value = INITIAL_BALANCE + 1;
            a.fee = 0;
            a.signature = _sign(_key(i), _receiveDigest(a, _commitment(a.payTo, 0, a.feeRecipient, a.salt)));
            expected = IBatchSettlementRouter.FailureReason.InsufficientBalance;
        }
    }

    function testFuzz_settleWithFees_paysExactlyTheSettledSplits(uint256 seed) public {
        vm.prank(ADMIN);
        usdc.blocklist(address(0xB10C));
        uint256 n = bound(seed, 1, MAX_ITEMS);
        FeeItem[] memory items = new FeeItem[](n);
        IBatchSettlementRouter.FailureReason[] memory expected = new IBatchSettlementRouter.FailureReason[](n);
        for (uint256 i; i < n; ++i) (items[i], expected[i]) = _randomFeeItem(seed, i);
        uint256 payeesBefore = usdc.balanceOf(PAYEE) + usdc.balanceOf(PAYEE_2) + usdc.balanceOf(address(0xB10C));
        uint256 feesBefore = usdc.balanceOf(FEE_RECIPIENT);
        vm.recordLogs();
        bytes memory results = _settleFees(items);
        _assertRebuildsFromLogs(items, results, vm.getRecordedLogs());

        uint256 paid;
        uint256 fees;
        for (uint256 i; i < n; ++i) {
            _assertReason(results, i, expected[i]);
            if (expected[i] != IBatchSettlementRouter.FailureReason.None) continue;
            paid += items[i].value - items[i].fee;
            fees += items[i].fee;
        }
        uint256 payeesAfter = usdc.balanceOf(PAYEE) + usdc.balanceOf(PAYEE_2) + usdc.balanceOf(address(0xB10C));
        assertEq(payeesAfter - payeesBefore, paid, "paid to payees");
        assertEq(usdc.balanceOf(FEE_RECIPIENT) - feesBefore, fees, "paid as fees");
        uint256 payers;
        for (uint256 i; i < MAX_ITEMS; ++i) payers += usdc.balanceOf(_payer(i));
        assertEq(MAX_ITEMS * INITIAL_BALANCE - payers, paid + fees, "debited from payers");
        assertEq(usdc.balanceOf(address(router)), DONATION, "router keeps only what it held");
    }
}
