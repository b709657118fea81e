// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {BatchSettlementRouter} from "../../../contracts/settlement/BatchSettlementRouter.sol";
import {TestUSDC} from "../../../contracts/token/TestUSDC.sol";
import {Test} from "../utils/Test.sol";
import {Vm, vm} from "../utils/Vm.sol";

/**
 * @title BatchSettlementRouterFixture
 * @notice Shared setup for the router tests: two TestUSDC deployments, the router, fixed keys, EIP-3009
 * signing from the pinned type hashes, and an independent Solidity encoder of the packed batch format
 * (written from the interface's NatSpec, not from the router's decoder).
 */
abstract contract BatchSettlementRouterFixture is Test {
    /// @dev A standard item: a signed `TransferWithAuthorization`.
    struct Item {
        address token;
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
        bytes signature;
    }

    /// @dev A fee item: a signed `ReceiveWithAuthorization` to the router whose nonce commits to the split.
    struct FeeItem {
        address token;
        address from;
        address payTo;
        address feeRecipient;
        uint256 value;
        uint256 fee;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 salt;
        bytes signature;
    }

    bytes32 internal constant TRANSFER_TYPEHASH = 0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267;
    bytes32 internal constant RECEIVE_TYPEHASH = 0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8;
    bytes32 internal constant CANCEL_TYPEHASH = 0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429;
    bytes32 internal constant FEE_COMMITMENT_TYPEHASH = keccak256(
        "FeeCommitment(uint256 chainId,address router,address payTo,uint256 fee,address feeRecipient,bytes32 salt)"
    );
    bytes32 internal constant SETTLED_TOPIC = keccak256("AuthorizationSettled(uint256)");
    bytes32 internal constant FEE_SETTLED_TOPIC = keccak256(
        "FeeAuthorizationSettled(uint256,address,uint256,address,bytes32)"
    );
    bytes32 internal constant AUTHORIZATION_USED_TOPIC = keccak256("AuthorizationUsed(address,bytes32)");
    bytes32 internal constant FAILED_TOPIC = keccak256(
        "AuthorizationFailed(address,address,bytes32,uint256,uint8,bytes4)"
    );
    bytes32 internal constant TRANSFER_TOPIC = keccak256("Transfer(address,address,uint256)");
    uint256 internal constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 internal constant CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint256 internal constant START_TIME = 1_750_000_000;
    uint256 internal constant ITEM_GAS = 150_000;
    uint256 internal constant VALUE = 10_000; // 0.01 USDC
    uint256 internal constant INITIAL_BALANCE = 1_000e6;

    address internal constant ADMIN = address(0xAD);
    address internal constant PAYEE = address(0xBEEF);
    address internal constant PAYEE_2 = address(0xBEEF2);
    address internal constant FEE_RECIPIENT = address(0xFEE5);
    address internal constant RELAYER = address(0x5E1A);

    TestUSDC internal usdc;
    TestUSDC internal eurc;
    BatchSettlementRouter internal router;

    function setUp() public virtual {
        vm.warp(START_TIME);
        usdc = new TestUSDC("USDC", "USDC", "2", ADMIN);
        eurc = new TestUSDC("EURC", "EURC", "2", ADMIN);
        router = new BatchSettlementRouter();
        vm.startPrank(ADMIN);
        usdc.configureMinter(ADMIN, type(uint256).max);
        eurc.configureMinter(ADMIN, type(uint256).max);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------------
    // Accounts and funds
    // ------------------------------------------------------------------------------------------------

    function _key(uint256 i) internal pure returns (uint256) {
        return (uint256(keccak256(abi.encode("router payer", i))) % (CURVE_ORDER - 1)) + 1;
    }

    function _payer(uint256 i) internal pure returns (address) {
        return vm.addr(_key(i));
    }

    function _mint(TestUSDC token, address to, uint256 amount) internal {
        vm.prank(ADMIN);
        token.mint(to, amount);
    }

    function _fundPayers(TestUSDC token, uint256 count) internal {
        for (uint256 i; i < count; ++i) _mint(token, _payer(i), INITIAL_BALANCE);
    }

    // ------------------------------------------------------------------------------------------------
    // Signing
    // ------------------------------------------------------------------------------------------------

    function _digest(address token, bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", TestUSDC(token).DOMAIN_SEPARATOR(), structHash));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _split(bytes memory signature) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
    }

    function _transferDigest(Item memory a) internal view returns (bytes32) {
        return
            _digest(
                a.token,
                keccak256(abi.encode(TRANSFER_TYPEHASH, a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce))
            );
    }

    /// @dev An item from payer `i` to `to`, valid from ten minutes ago for an hour (x402's window), signed.
    function _item(
        uint256 i,
        TestUSDC token,
        address to,
        uint256 value,
        bytes32 nonce
    ) internal view returns (Item memory a) {
        a = Item({
            token: address(token),
            from: _payer(i),
            to: to,
            value: value,
            validAfter: block.timestamp - 600,
            validBefore: block.timestamp + 3600,
            nonce: nonce,
            signature: ""
        });
        a.signature = _sign(_key(i), _transferDigest(a));
    }

    function _resign(Item memory a, uint256 key) internal view {
        a.signature = _sign(key, _transferDigest(a));
    }

    function _commitment(
        address payTo,
        uint256 fee,
        address feeRecipient,
        bytes32 salt
    ) internal view returns (bytes32) {
        return
            keccak256(
                abi.encode(FEE_COMMITMENT_TYPEHASH, block.chainid, address(router), payTo, fee, feeRecipient, salt)
            );
    }

    function _receiveDigest(FeeItem memory a, bytes32 nonce) internal view returns (bytes32) {
        return
            _digest(
                a.token,
                keccak256(
                    abi.encode(RECEIVE_TYPEHASH, a.from, address(router), a.value, a.validAfter, a.validBefore, nonce)
                )
            );
    }

    /// @dev A fee item from payer `i`: `value` split into `value - fee` for `payTo` and `fee` for `feeRecipient`.
    function _feeItem(
        uint256 i,
        TestUSDC token,
        address payTo,
        uint256 value,
        uint256 fee,
        address feeRecipient,
        bytes32 salt
    ) internal view returns (FeeItem memory a) {
        a = FeeItem({
            token: address(token),
            from: _payer(i),
            payTo: payTo,
            feeRecipient: feeRecipient,
            value: value,
            fee: fee,
            validAfter: block.timestamp - 600,
            validBefore: block.timestamp + 3600,
            salt: salt,
            signature: ""
        });
        a.signature = _sign(_key(i), _receiveDigest(a, _commitment(payTo, fee, feeRecipient, salt)));
    }

    // ------------------------------------------------------------------------------------------------
    // Packed encoding (IBatchSettlementRouter's format)
    // ------------------------------------------------------------------------------------------------

    function _encode(Item[] memory items) internal pure returns (bytes memory) {
        return _encode(items, false);
    }

    /// @dev `forceBytes`: every signature goes as `length ‖ bytes` (the token's bytes overload).
    function _encode(Item[] memory items, bool forceBytes) internal pure returns (bytes memory) {
        address[] memory table = new address[](3 * items.length);
        uint256 tableLength;
        bytes memory body;
        for (uint256 i; i < items.length; ++i) {
            Item memory a = items[i];
            uint256 tokenIndex;
            uint256 fromIndex;
            uint256 toIndex;
            (tokenIndex, tableLength) = _indexOf(table, tableLength, a.token);
            (fromIndex, tableLength) = _indexOf(table, tableLength, a.from);
            (toIndex, tableLength) = _indexOf(table, tableLength, a.to);
            (uint8 signatureFlags, bytes memory signature) = _packSignature(a.signature, forceBytes);
            bool wide = a.value >= 2 ** 96 || a.validAfter >= 2 ** 48 || a.validBefore >= 2 ** 48;
            bytes memory numbers =
                wide
                    ? abi.encodePacked(a.value, a.validAfter, a.validBefore)
                    : abi.encodePacked(uint96(a.value), uint48(a.validAfter), uint48(a.validBefore));
            body = abi.encodePacked(
                body,
                uint8(signatureFlags | (wide ? 2 : 0)),
                uint16(tokenIndex),
                uint16(fromIndex),
                uint16(toIndex),
                numbers,
                a.nonce,
                signature
            );
        }
        return abi.encodePacked(uint16(items.length), uint16(tableLength), _tableBytes(table, tableLength), body);
    }

    function _encodeFee(FeeItem[] memory items) internal pure returns (bytes memory) {
        address[] memory table = new address[](4 * items.length);
        uint256 tableLength;
        bytes memory body;
        for (uint256 i; i < items.length; ++i) {
            FeeItem memory a = items[i];
            bytes memory head;
            {
                uint256 tokenIndex;
                uint256 fromIndex;
                uint256 payToIndex;
                uint256 feeRecipientIndex;
                (tokenIndex, tableLength) = _indexOf(table, tableLength, a.token);
                (fromIndex, tableLength) = _indexOf(table, tableLength, a.from);
                (payToIndex, tableLength) = _indexOf(table, tableLength, a.payTo);
                (feeRecipientIndex, tableLength) = _indexOf(table, tableLength, a.feeRecipient);
                head = abi.encodePacked(
                    uint16(tokenIndex),
                    uint16(fromIndex),
                    uint16(payToIndex),
                    uint16(feeRecipientIndex)
                );
            }
            (uint8 signatureFlags, bytes memory signature) = _packSignature(a.signature, false);
            bool wide = a.value >= 2 ** 96 || a.fee >= 2 ** 96 || a.validAfter >= 2 ** 48 || a.validBefore >= 2 ** 48;
            bytes memory numbers =
                wide
                    ? abi.encodePacked(a.value, a.fee, a.validAfter, a.validBefore)
                    : abi.encodePacked(uint96(a.value), uint96(a.fee), uint48(a.validAfter), uint48(a.validBefore));
            body = abi.encodePacked(body, uint8(signatureFlags | (wide ? 2 : 0)), head, numbers, a.salt, signature);
        }
        return abi.encodePacked(uint16(items.length), uint16(tableLength), _tableBytes(table, tableLength), body);
    }

    /// @dev Compact (EIP-2098) when the signature is 65 well-formed ECDSA bytes (and `forceBytes` is not set),
    /// else `length ‖ bytes`.
    function _packSignature(
        bytes memory signature,
        bool forceBytes
    ) internal pure returns (uint8 flags, bytes memory packed) {
        if (signature.length == 65 && !forceBytes) {
            bytes32 r;
            bytes32 s;
            uint8 v;
            assembly ("memory-safe") {
                r := mload(add(signature, 0x20))
                s := mload(add(signature, 0x40))
                v := byte(0, mload(add(signature, 0x60)))
            }
            if ((v == 27 || v == 28) && uint256(s) <= HALF_CURVE_ORDER) {
                return (0, abi.encodePacked(r, bytes32(uint256(s) | (uint256(v - 27) << 255))));
            }
        }
        return (1, abi.encodePacked(uint16(signature.length), signature));
    }

    function _indexOf(
        address[] memory table,
        uint256 length,
        address account
    ) private pure returns (uint256 index, uint256 newLength) {
        for (uint256 i; i < length; ++i) if (table[i] == account) return (i, length);
        table[length] = account;
        return (length, length + 1);
    }

    function _tableBytes(address[] memory table, uint256 length) private pure returns (bytes memory packed) {
        for (uint256 i; i < length; ++i) packed = abi.encodePacked(packed, table[i]);
    }

    function _one(Item memory a) internal pure returns (Item[] memory items) {
        items = new Item[](1);
        items[0] = a;
    }

    function _oneFee(FeeItem memory a) internal pure returns (FeeItem[] memory items) {
        items = new FeeItem[](1);
        items[0] = a;
    }

    // ------------------------------------------------------------------------------------------------
    // Outcomes
    // ------------------------------------------------------------------------------------------------

    function _settle(Item[] memory items) internal returns (bytes memory) {
        vm.prank(RELAYER);
        return router.settle(_encode(items), ITEM_GAS);
    }

    function _settleFees(FeeItem[] memory items) internal returns (bytes memory) {
        vm.prank(RELAYER);
        return router.settleWithFees(_encodeFee(items), ITEM_GAS);
    }

    function _reason(bytes memory results, uint256 index) internal pure returns (IBatchSettlementRouter.FailureReason) {
        return IBatchSettlementRouter.FailureReason(uint8(results[index]));
    }

    function _assertReason(
        bytes memory results,
        uint256 index,
        IBatchSettlementRouter.FailureReason expected
    ) internal pure {
        assertEq(uint256(uint8(results[index])), uint256(expected), "failure reason");
    }

    /// @dev The AuthorizationFailed logs among `logs`, decoded.
    function _failures(
        Vm.Log[] memory logs
    )
        internal
        view
        returns (
            uint256 count,
            address[] memory tokens,
            address[] memory froms,
            bytes32[] memory nonces,
            uint256[] memory indices,
            uint8[] memory reasons,
            bytes4[] memory selectors
        )
    {
        tokens = new address[](logs.length);
        froms = new address[](logs.length);
        nonces = new bytes32[](logs.length);
        indices = new uint256[](logs.length);
        reasons = new uint8[](logs.length);
        selectors = new bytes4[](logs.length);
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(router) || logs[i].topics[0] != FAILED_TOPIC) continue;
            tokens[count] = address(uint160(uint256(logs[i].topics[1])));
            froms[count] = address(uint160(uint256(logs[i].topics[2])));
            nonces[count] = logs[i].topics[3];
            (indices[count], reasons[count], selectors[count]) = abi.decode(logs[i].data, (uint256, uint8, bytes4));
            ++count;
        }
    }

    /// @dev The indices of the AuthorizationSettled logs among `logs`, in order.
    function _settledIndices(Vm.Log[] memory logs) internal view returns (uint256[] memory indices, uint256 count) {
        indices = new uint256[](logs.length);
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(router) || logs[i].topics[0] != SETTLED_TOPIC) continue;
            indices[count++] = abi.decode(logs[i].data, (uint256));
        }
    }

    /// @dev A fee-mode settlement as an indexer rebuilds it from a receipt's logs alone.
    struct RebuiltFeeSettlement {
        uint256 index;
        address token;
        address from;
        uint256 value;
        address payTo;
        uint256 fee;
        address feeRecipient;
        bytes32 salt;
        bytes32 nonce;
    }

    /**
     * @dev Rebuilds every settled fee item from `logs` the way an indexer would, without the batch: each
     * {FeeAuthorizationSettled} gives the split and the salt; the commitment recomputed from them (router = the
     * log's emitter) finds the token's `AuthorizationUsed(from, nonce)`, whose emitter is the token; the token's
     * next `Transfer(from, router, value)` gives the value.
     */
    function _rebuildFeeSettlements(
        Vm.Log[] memory logs
    ) internal view returns (RebuiltFeeSettlement[] memory rebuilt, uint256 count) {
        rebuilt = new RebuiltFeeSettlement[](logs.length);
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(router) || logs[i].topics[0] != FEE_SETTLED_TOPIC) continue;
            RebuiltFeeSettlement memory r = rebuilt[count++];
            (r.index, r.payTo, r.fee, r.feeRecipient, r.salt) = abi.decode(
                logs[i].data,
                (uint256, address, uint256, address, bytes32)
            );
            r.nonce = keccak256(
                abi.encode(
                    FEE_COMMITMENT_TYPEHASH,
                    block.chainid,
                    logs[i].emitter,
                    r.payTo,
                    r.fee,
                    r.feeRecipient,
                    r.salt
                )
            );
            uint256 used = type(uint256).max;
            for (uint256 j; j < logs.length; ++j) {
                if (logs[j].topics[0] == AUTHORIZATION_USED_TOPIC && logs[j].topics[2] == r.nonce) {
                    assertEq(used, type(uint256).max, "one AuthorizationUsed per commitment");
                    used = j;
                }
            }
            assertTrue(used != type(uint256).max, "AuthorizationUsed found by the recomputed commitment");
            r.token = logs[used].emitter;
            r.from = address(uint160(uint256(logs[used].topics[1])));
            for (uint256 j = used + 1; j < logs.length; ++j) {
                Vm.Log memory t = logs[j];
                if (
                    t.emitter == r.token &&
                    t.topics[0] == TRANSFER_TOPIC &&
                    t.topics[1] == bytes32(uint256(uint160(r.from))) &&
                    t.topics[2] == bytes32(uint256(uint160(address(router))))
                ) {
                    r.value = abi.decode(t.data, (uint256));
                    break;
                }
            }
        }
    }

    /// @dev Checks that the settled items of `items` (by `results`) and only those rebuild exactly from `logs`.
    function _assertRebuildsFromLogs(FeeItem[] memory items, bytes memory results, Vm.Log[] memory logs) internal view {
        (RebuiltFeeSettlement[] memory rebuilt, uint256 count) = _rebuildFeeSettlements(logs);
        uint256 settled;
        for (uint256 i; i < items.length; ++i) {
            if (uint8(results[i]) != 0) continue;
            RebuiltFeeSettlement memory r = rebuilt[settled++];
            FeeItem memory a = items[i];
            assertEq(r.index, i, "rebuilt index");
            assertEq(r.token, a.token, "rebuilt token");
            assertEq(r.from, a.from, "rebuilt from");
            assertEq(r.value, a.value, "rebuilt value");
            assertEq(r.payTo, a.payTo, "rebuilt payTo");
            assertEq(r.fee, a.fee, "rebuilt fee");
            assertEq(r.feeRecipient, a.feeRecipient, "rebuilt fee recipient");
            assertEq(r.salt, a.salt, "rebuilt salt");
        }
        assertEq(count, settled, "one FeeAuthorizationSettled per settled item");
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(router))
                assertTrue(logs[i].topics[0] != SETTLED_TOPIC, "no AuthorizationSettled");
        }
    }
}
