// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {IX402Permit2Proxy} from "../../../contracts/interfaces/IX402Permit2Proxy.sol";
import {BatchSettlementRouter} from "../../../contracts/settlement/BatchSettlementRouter.sol";
import {PERMIT2_ADDRESS} from "../utils/Permit2Etch.sol";
import {vm} from "../utils/Vm.sol";
import {BatchSettlementRouterPermit2Fixture} from "./BatchSettlementRouterPermit2Fixture.sol";

/// @dev Permit2 selectors the router decodes (Uniswap permit2 src/PermitErrors.sol, SignatureVerification.sol).
interface IPermit2RouterPermit2Errors {
    error InvalidNonce();
    error InvalidSigner();
    error SignatureExpired(uint256 signatureDeadline);
}

/// @notice {IBatchSettlementRouter-settlePermit2}: exact and upto Permit2 items, each isolated.
contract BatchSettlementRouterPermit2Test is BatchSettlementRouterPermit2Fixture {
    function test_constants_matchTheOfficialAddressesAndTypeString() public view {
        assertEq(router.EXACT_PERMIT2_PROXY(), EXACT_PROXY);
        assertEq(router.UPTO_PERMIT2_PROXY(), UPTO_PROXY);
        assertEq(router.UPTO_SETTLER_TYPEHASH(), UPTO_SETTLER_TYPEHASH);
        assertEq(
            router.uptoSettlerNonce(FACILITATOR, bytes32(uint256(7))),
            _settlerNonce(FACILITATOR, bytes32(uint256(7)))
        );
    }

    /// The vector that the bindings' computeUptoSettlerNonce test pins.
    function test_uptoSettlerNonce_testVector() public {
        address fixedRouter = 0x1000000000000000000000000000000000000001;
        vm.etch(fixedRouter, address(router).code);
        vm.chainId(84532);
        uint256 nonce = BatchSettlementRouter(fixedRouter).uptoSettlerNonce(
            0x2000000000000000000000000000000000000002,
            bytes32(uint256(1))
        );
        assertEq(nonce, 0xed782cb7c8789f1b7add5f672c939b1afc3bf0cfd901b34394a15de989f58ca1);
    }

    function test_settlePermit2_settlesExactAndUptoItems() public {
        IBatchSettlementRouter.Permit2ExactItem[] memory exactItems = new IBatchSettlementRouter.Permit2ExactItem[](2);
        exactItems[0] = _exactItem(0, PAY_TO, PRICE, 11);
        exactItems[1] = _exactItem(1, address(0xCAFE), 2 * PRICE, 12);
        IBatchSettlementRouter.Permit2UptoItem[] memory uptoItems = _uptoOnly(
            _uptoItem(2, PAY_TO, 1e6, 3 * PRICE, FACILITATOR, "salt")
        );
        vm.expectEmit(address(router));
        emit IBatchSettlementRouter.Permit2PaymentSettled(0);
        vm.expectEmit(address(router));
        emit IBatchSettlementRouter.Permit2PaymentSettled(1);
        vm.expectEmit(UPTO_PROXY);
        emit IX402Permit2Proxy.Settled();
        vm.expectEmit(address(router));
        emit IBatchSettlementRouter.Permit2PaymentSettled(2);
        vm.prank(FACILITATOR);
        bytes memory results = router.settlePermit2(exactItems, uptoItems, ITEM_GAS);
        assertEq(results, hex"000000");
        assertEq(token.balanceOf(PAY_TO), 1 + PRICE + 3 * PRICE, "payee");
        assertEq(token.balanceOf(address(0xCAFE)), 2 * PRICE, "second payee");
        assertEq(token.balanceOf(_payerAt(2)), PAYER_BALANCE - 3 * PRICE, "upto charged the usage, not the maximum");
        assertTrue(_nonceUsed(_payerAt(0), 11) && _nonceUsed(_payerAt(1), 12), "exact nonces used");
        assertTrue(_nonceUsed(_payerAt(2), uptoItems[0].permit.nonce), "upto nonce used");
        assertEq(token.balanceOf(address(router)), 0, "the router holds nothing");
    }

    /// "one failing item ... does not revert the others": every defect in one batch, between good items.
    function test_settlePermit2_isolatesEachFailingItem() public {
        IBatchSettlementRouter.Permit2ExactItem[] memory items = new IBatchSettlementRouter.Permit2ExactItem[](9);
        items[0] = _exactItem(0, PAY_TO, PRICE, 1);
        items[1] = _exactItem(1, PAY_TO, PRICE, 1);
        items[1].signature = _sign(OTHER_KEY, _exactDigest(items[1].permit, EXACT_PROXY, items[1].witness));
        items[2] = _exactItem(2, PAY_TO, PRICE, 1);
        exact.settle(items[2].permit, items[2].owner, items[2].witness, items[2].signature); // settled directly first
        items[3] = _exactItem(3, PAY_TO, PRICE, 1);
        vm.prank(_payerAt(3));
        token.approve(PERMIT2_ADDRESS, PRICE - 1);
        items[4] = _exactItem(4, PAY_TO, PRICE, 1);
        items[4].permit.deadline = block.timestamp - 1;
        _resignExact(items[4], 4);
        items[5] = _exactItem(5, PAY_TO, PRICE, 1);
        items[5].witness.validAfter = block.timestamp + 1;
        _resignExact(items[5], 5);
        items[6] = _exactItem(6, PAY_TO, PAYER_BALANCE + 1, 1);
        items[7] = _exactItem(7, address(router), PRICE, 1);
        items[8] = _exactItem(0, PAY_TO, PRICE, 2);

        vm.expectEmit(address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(token),
            _payerAt(1),
            bytes32(uint256(1)),
            1,
            IBatchSettlementRouter.FailureReason.InvalidSignature,
            IPermit2RouterPermit2Errors.InvalidSigner.selector
        );
        vm.prank(RELAYER);
        bytes memory results = router.settlePermit2(items, _noUpto(), ITEM_GAS);

        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
        _assertReason(results, 1, IBatchSettlementRouter.FailureReason.InvalidSignature);
        _assertReason(results, 2, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        _assertReason(results, 3, IBatchSettlementRouter.FailureReason.InsufficientAllowance);
        _assertReason(results, 4, IBatchSettlementRouter.FailureReason.Expired);
        _assertReason(results, 5, IBatchSettlementRouter.FailureReason.NotYetValid);
        _assertReason(results, 6, IBatchSettlementRouter.FailureReason.InsufficientBalance);
        _assertReason(results, 7, IBatchSettlementRouter.FailureReason.InvalidPayee);
        _assertReason(results, 8, IBatchSettlementRouter.FailureReason.None);
        // Items 0 and 8 by the router, item 2 directly: three payments, nothing else moved.
        assertEq(token.balanceOf(PAY_TO), 1 + 3 * PRICE, "payee");
        for (uint256 i = 1; i < 8; ++i) {
            if (i == 2) continue;
            assertEq(token.balanceOf(_payerAt(i)), PAYER_BALANCE, "a failed payer kept its balance");
            assertFalse(_nonceUsed(_payerAt(i), 1), "a failed item leaves its nonce unused");
        }
    }

    function test_settlePermit2_reportsTheSelectorOfAUsedNonce() public {
        IBatchSettlementRouter.Permit2ExactItem memory item = _exactItem(0, PAY_TO, PRICE, 5);
        router.settlePermit2(_exactOnly(item), _noUpto(), ITEM_GAS);
        vm.expectEmit(address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(token),
            item.owner,
            bytes32(uint256(5)),
            0,
            IBatchSettlementRouter.FailureReason.UsedOrCanceled,
            IPermit2RouterPermit2Errors.InvalidNonce.selector
        );
        bytes memory results = router.settlePermit2(_exactOnly(item), _noUpto(), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        assertEq(token.balanceOf(PAY_TO), 1 + PRICE, "paid once");
    }

    /// A token without code: Permit2's (solmate's) transfer would succeed there, so the router refuses the item.
    function test_settlePermit2_refusesATokenWithoutCode() public {
        IBatchSettlementRouter.Permit2ExactItem memory item = _exactItem(0, PAY_TO, PRICE, 5);
        item.permit.permitted.token = address(0xDEAD);
        _resignExact(item, 0);
        bytes memory results = router.settlePermit2(_exactOnly(item), _noUpto(), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.InvalidToken);
        assertFalse(_nonceUsed(item.owner, 5), "nonce unused");
    }

    function test_settlePermit2_reportsAnItemOutOfGas() public {
        IBatchSettlementRouter.Permit2ExactItem memory item = _exactItem(0, PAY_TO, PRICE, 5);
        bytes memory results = router.settlePermit2(_exactOnly(item), _noUpto(), 20_000);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.GasLimitExceeded);
        assertFalse(_nonceUsed(item.owner, 5), "nonce unused");
    }

    /// The upto proxy lets only `witness.facilitator` settle; through the router only the committed settler may.
    function test_settlePermit2_refusesUptoFromAnotherCaller() public {
        IBatchSettlementRouter.Permit2UptoItem memory item = _uptoItem(0, PAY_TO, 1e6, PRICE, FACILITATOR, "s");
        vm.expectEmit(address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(token),
            item.owner,
            bytes32(item.permit.nonce),
            0,
            IBatchSettlementRouter.FailureReason.UnauthorizedSettler,
            bytes4(0)
        );
        vm.prank(RELAYER);
        bytes memory results = router.settlePermit2(_noExact(), _uptoOnly(item), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.UnauthorizedSettler);
        assertFalse(_nonceUsed(item.owner, item.permit.nonce), "nonce unused");
        // The payer itself cannot burn it for nothing either.
        vm.prank(item.owner);
        results = router.settlePermit2(_noExact(), _uptoOnly(item), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.UnauthorizedSettler);
        // The committed settler can.
        vm.prank(FACILITATOR);
        results = router.settlePermit2(_noExact(), _uptoOnly(item), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
    }

    function test_settlePermit2_refusesUptoNamingAnotherFacilitator() public {
        IBatchSettlementRouter.Permit2UptoItem memory item = _uptoItem(0, PAY_TO, 1e6, PRICE, FACILITATOR, "s");
        item.witness.facilitator = FACILITATOR; // signed for direct settlement by the facilitator
        _resignUpto(item, 0);
        vm.prank(FACILITATOR);
        bytes memory results = router.settlePermit2(_noExact(), _uptoOnly(item), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.UnauthorizedSettler);
    }

    function test_settlePermit2_refusesUptoAboveTheMaximum() public {
        IBatchSettlementRouter.Permit2UptoItem memory item = _uptoItem(0, PAY_TO, PRICE, PRICE + 1, FACILITATOR, "s");
        vm.prank(FACILITATOR);
        bytes memory results = router.settlePermit2(_noExact(), _uptoOnly(item), ITEM_GAS);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.AmountExceedsPermitted);
        assertEq(token.balanceOf(item.owner), PAYER_BALANCE, "nothing charged");
    }

    function test_settlePermit2_revertsOnAnEmptyBatch() public {
        vm.expectRevert(abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementEmptyBatch.selector));
        router.settlePermit2(_noExact(), _noUpto(), ITEM_GAS);
    }

    /// A call to an account without code succeeds: the router must not report such an item as settled.
    function test_settlePermit2_revertsWithoutAProxy() public {
        vm.etch(UPTO_PROXY, "");
        IBatchSettlementRouter.Permit2UptoItem memory item = _uptoItem(0, PAY_TO, 1e6, PRICE, FACILITATOR, "s");
        vm.expectRevert(
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementProxyNotDeployed.selector, UPTO_PROXY)
        );
        vm.prank(FACILITATOR);
        router.settlePermit2(_noExact(), _uptoOnly(item), ITEM_GAS);
    }

    function test_settlePermit2_revertsWhenAnItemCannotGetItsGas() public {
        IBatchSettlementRouter.Permit2ExactItem memory item = _exactItem(0, PAY_TO, PRICE, 5);
        uint256 limit = 10_000_000;
        uint256 required = limit + limit / 63 + 10_000 + 60_000; // two token reads on a refused transfer
        (bool ok, bytes memory data) = address(router).call{gas: 5_000_000}(
            abi.encodeCall(router.settlePermit2, (_exactOnly(item), _noUpto(), limit))
        );
        assertFalse(ok, "reverted");
        assertEq(bytes4(data), IBatchSettlementRouter.BatchSettlementInsufficientGas.selector);
        (, , uint256 gasRequired) = abi.decode(_args(data), (uint256, uint256, uint256));
        assertEq(gasRequired, required, "gas required");
    }

    function _args(bytes memory data) private pure returns (bytes memory args) {
        args = new bytes(data.length - 4);
        for (uint256 i; i < args.length; ++i) args[i] = data[i + 4];
    }
}
