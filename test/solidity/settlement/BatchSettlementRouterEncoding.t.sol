// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {BatchSettlementRouter} from "../../../contracts/settlement/BatchSettlementRouter.sol";
import {BatchSettlementRouterFixture} from "./BatchSettlementRouterFixture.sol";
import {vm} from "../utils/Vm.sol";

/// @dev Exposes the router's literal selectors and topic for the derivation test.
contract BatchSettlementRouterHarness is BatchSettlementRouter {
    function literals() external pure returns (bytes4, bytes4, bytes4, bytes4, bytes4, bytes32) {
        return (TRANSFER_VRS, TRANSFER_BYTES, RECEIVE_VRS, RECEIVE_BYTES, SETTLE_FEE_ITEM, AUTHORIZATION_SETTLED_TOPIC);
    }

    function feeSettledTopic() external pure returns (bytes32) {
        return FEE_AUTHORIZATION_SETTLED_TOPIC;
    }
}

/**
 * @notice The packed format: whole-call faults (empty, truncated, over-long, unknown flags, bad indices)
 * revert with their values and undo every item, and the literal constants match their derivations.
 */
contract BatchSettlementRouterEncodingTest is BatchSettlementRouterFixture {
    function setUp() public override {
        super.setUp();
        _fundPayers(usdc, 4);
    }

    function _good(uint256 i) internal view returns (Item memory) {
        return _item(i, usdc, PAYEE, VALUE, keccak256(abi.encode("good", i)));
    }

    function _expectRevertSettle(bytes memory batch, bytes memory revertData) internal {
        vm.expectRevert(revertData);
        router.settle(batch, ITEM_GAS);
    }

    function test_literals_matchTheirDerivations() public {
        BatchSettlementRouterHarness harness = new BatchSettlementRouterHarness();
        (
            bytes4 transferVrs,
            bytes4 transferBytes,
            bytes4 receiveVrs,
            bytes4 receiveBytes,
            bytes4 settleFeeItem,
            bytes32 topic
        ) = harness.literals();
        assertEq(settleFeeItem, BatchSettlementRouter.settleFeeItem.selector);
        assertEq(
            transferVrs,
            bytes4(
                keccak256(
                    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
                )
            )
        );
        assertEq(
            transferBytes,
            bytes4(keccak256("transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"))
        );
        assertEq(
            receiveVrs,
            bytes4(
                keccak256(
                    "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
                )
            )
        );
        assertEq(
            receiveBytes,
            bytes4(keccak256("receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"))
        );
        assertEq(topic, IBatchSettlementRouter.AuthorizationSettled.selector);
        assertEq(harness.feeSettledTopic(), IBatchSettlementRouter.FeeAuthorizationSettled.selector);
        assertEq(
            harness.feeSettledTopic(),
            keccak256("FeeAuthorizationSettled(uint256,address,uint256,address,bytes32)")
        );
    }

    function test_settle_revertsOnEmptyBatch() public {
        _expectRevertSettle(
            hex"0000_0000",
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementEmptyBatch.selector)
        );
        _expectRevertSettle(
            hex"0000_0001_000000000000000000000000000000000000beef",
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementEmptyBatch.selector)
        );
    }

    function test_settle_revertsOnTruncatedHeader() public {
        _expectRevertSettle(
            hex"0001",
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementTruncated.selector, 4, 2)
        );
        _expectRevertSettle("", abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementTruncated.selector, 4, 0));
    }

    function test_settle_revertsOnTruncatedTable() public {
        // Three addresses declared, two present.
        bytes memory batch = abi.encodePacked(uint16(1), uint16(3), address(usdc), PAYEE);
        _expectRevertSettle(
            batch,
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementTruncated.selector, 64, 44)
        );
    }

    function test_settle_revertsOnTruncatedItem() public {
        bytes memory batch = _encode(_one(_good(0)));
        bytes memory cut = _prefix(batch, batch.length - 1);
        _expectRevertSettle(
            cut,
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementTruncated.selector, batch.length, cut.length)
        );
    }

    function test_settle_revertsOnMissingItems() public {
        // Two items declared, one present: the second would start at the end of the batch.
        bytes memory batch = _encode(_one(_good(0)));
        batch[1] = bytes1(uint8(2));
        _expectRevertSettle(
            batch,
            abi.encodeWithSelector(
                IBatchSettlementRouter.BatchSettlementTruncated.selector,
                batch.length + 127,
                batch.length
            )
        );
    }

    function test_settle_revertsOnTrailingBytes() public {
        bytes memory batch = abi.encodePacked(_encode(_one(_good(0))), uint8(0));
        _expectRevertSettle(
            batch,
            abi.encodeWithSelector(
                IBatchSettlementRouter.BatchSettlementLengthMismatch.selector,
                batch.length - 1,
                batch.length
            )
        );
    }

    function test_settle_revertsOnUnknownFlags() public {
        bytes memory batch = _encode(_one(_good(0)));
        uint256 flagsAt = 4 + 3 * 20;
        for (uint256 flags = 4; flags < 256; flags *= 2) {
            batch[flagsAt] = bytes1(uint8(flags));
            _expectRevertSettle(
                batch,
                abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementUnknownFlags.selector, 0, flags)
            );
        }
    }

    function test_settle_revertsOnAddressIndexOutOfRange() public {
        bytes memory batch = _encode(_one(_good(0)));
        uint256 itemAt = 4 + 3 * 20;
        // token, from, to indices at item bytes 1..2, 3..4, 5..6; the table has 3 entries.
        for (uint256 k; k < 3; ++k) {
            bytes memory bad = bytes.concat(batch);
            bad[itemAt + 2 + 2 * k] = bytes1(uint8(3 + k));
            _expectRevertSettle(
                bad,
                abi.encodeWithSelector(
                    IBatchSettlementRouter.BatchSettlementAddressIndexOutOfRange.selector,
                    0,
                    3 + k,
                    3
                )
            );
        }
    }

    function test_settle_revertsOnOverlongSignature() public {
        // A bytes signature whose length runs past the end of the batch.
        Item[] memory items = _one(_good(0));
        bytes memory batch = _encode(items, true);
        uint256 lengthAt = 4 + 3 * 20 + 63;
        batch[lengthAt] = 0xff;
        batch[lengthAt + 1] = 0xff;
        _expectRevertSettle(
            batch,
            abi.encodeWithSelector(
                IBatchSettlementRouter.BatchSettlementTruncated.selector,
                lengthAt + 2 + 0xffff,
                batch.length
            )
        );
    }

    function test_settle_malformedItemUndoesTheWholeBatch() public {
        Item[] memory items = new Item[](3);
        for (uint256 i; i < 3; ++i) items[i] = _good(i);
        bytes memory batch = abi.encodePacked(_encode(items), uint8(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IBatchSettlementRouter.BatchSettlementLengthMismatch.selector,
                batch.length - 1,
                batch.length
            )
        );
        router.settle(batch, ITEM_GAS);
        for (uint256 i; i < 3; ++i) assertFalse(usdc.authorizationState(items[i].from, items[i].nonce));
        assertEq(usdc.balanceOf(PAYEE), 0);
    }

    function test_settleWithFees_revertsOnMalformedBatches() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, 1, FEE_RECIPIENT, "fee");
        bytes memory batch = _encodeFee(_oneFee(a));
        uint256 itemAt = 4 + 4 * 20;

        vm.expectRevert(abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementEmptyBatch.selector));
        router.settleWithFees(hex"00000000", ITEM_GAS);

        bytes memory bad = bytes.concat(batch);
        bad[itemAt] = 0x80;
        vm.expectRevert(abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementUnknownFlags.selector, 0, 0x80));
        router.settleWithFees(bad, ITEM_GAS);

        bad = bytes.concat(batch);
        bad[itemAt + 8] = 0x09; // feeRecipient index 9 of 4
        vm.expectRevert(
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementAddressIndexOutOfRange.selector, 0, 9, 4)
        );
        router.settleWithFees(bad, ITEM_GAS);

        bad = _prefix(batch, batch.length - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IBatchSettlementRouter.BatchSettlementTruncated.selector, batch.length, bad.length)
        );
        router.settleWithFees(bad, ITEM_GAS);

        bad = abi.encodePacked(batch, uint16(0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IBatchSettlementRouter.BatchSettlementLengthMismatch.selector,
                batch.length,
                bad.length
            )
        );
        router.settleWithFees(bad, ITEM_GAS);
        assertEq(batch.length, 4 + 4 * 20 + 141);
    }

    function test_encoding_itemSizes() public view {
        // 127 bytes per narrow compact item, 199 WIDE; table entries are 20 bytes.
        Item[] memory items = new Item[](2);
        items[0] = _good(0);
        items[1] = _good(1);
        assertEq(_encode(items).length, 4 + 4 * 20 + 2 * 127);
        items[1].validBefore = type(uint256).max;
        assertEq(_encode(items).length, 4 + 4 * 20 + 127 + 199);
    }

    function _prefix(bytes memory data, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i; i < length; ++i) out[i] = data[i];
    }
}
