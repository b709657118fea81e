// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1271GasBurnerMock} from "../../../contracts/mocks/ERC1271GasBurnerMock.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {ERC3009MisbehavingTokenMock} from "../../../contracts/mocks/ERC3009MisbehavingTokenMock.sol";
import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {IERC3009} from "../../../contracts/interfaces/IERC3009.sol";
import {BatchSettlementRouter} from "../../../contracts/settlement/BatchSettlementRouter.sol";
import {BatchSettlementRouterFixture} from "./BatchSettlementRouterFixture.sol";
import {Vm, vm} from "../utils/Vm.sol";

/**
 * @notice {IBatchSettlementRouter-settleWithFees}: the split is bound by the signed nonce, only the router can
 * pull, a failed payout unwinds the pull, and what arrived is counted by balance change (the x402-exec
 * cancel-and-drain attack fails).
 */
contract BatchSettlementRouterFeesTest is BatchSettlementRouterFixture {
    uint256 internal constant FEE = 100;
    /// @dev Other facilitators' money sitting in the router (never paid out by items).
    uint256 internal constant DONATION = 5e6;

    function setUp() public override {
        super.setUp();
        _fundPayers(usdc, 8);
        _fundPayers(eurc, 8);
        _mint(usdc, PAYEE, 1);
        _mint(usdc, FEE_RECIPIENT, 1);
        _mint(usdc, address(router), DONATION);
    }

    function _assertRouterUntouched() internal view {
        assertEq(usdc.balanceOf(address(router)), DONATION, "router balance");
    }

    // ------------------------------------------------------------------------------------------------
    // Settling
    // ------------------------------------------------------------------------------------------------

    function test_settleWithFees_splitsValueBetweenPayeeAndFeeRecipient() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "salt");
        bytes32 nonce = _commitment(PAYEE, FEE, FEE_RECIPIENT, "salt");
        vm.recordLogs();
        bytes memory results = _settleFees(_oneFee(a));
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(results, hex"00");
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE - FEE);
        assertEq(usdc.balanceOf(FEE_RECIPIENT), 1 + FEE);
        assertEq(usdc.balanceOf(a.from), INITIAL_BALANCE - VALUE);
        assertTrue(usdc.authorizationState(a.from, nonce));
        _assertRouterUntouched();
        // AuthorizationUsed, Transfer(from → router), Transfer(router → payTo), Transfer(router → fee
        // recipient), then AuthorizationSettled(0).
        assertEq(logs.length, 5);
        assertEq(logs[0].topics[2], nonce);
        assertEq(logs[1].topics[2], bytes32(uint256(uint160(address(router)))));
        assertEq(logs[2].topics[2], bytes32(uint256(uint160(PAYEE))));
        assertEq(abi.decode(logs[2].data, (uint256)), VALUE - FEE);
        assertEq(logs[3].topics[2], bytes32(uint256(uint160(FEE_RECIPIENT))));
        assertEq(abi.decode(logs[3].data, (uint256)), FEE);
        assertEq(logs[4].emitter, address(router));
        assertEq(logs[4].topics.length, 1);
        assertEq(logs[4].topics[0], FEE_SETTLED_TOPIC);
        assertEq(logs[4].data, abi.encode(uint256(0), PAYEE, FEE, FEE_RECIPIENT, bytes32("salt")));
        _assertRebuildsFromLogs(_oneFee(a), results, logs);
    }

    function test_settleWithFees_logsTheSplitAndSalt() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "event");
        vm.expectEmit(true, true, true, true, address(router));
        emit IBatchSettlementRouter.FeeAuthorizationSettled(0, PAYEE, FEE, FEE_RECIPIENT, "event");
        _settleFees(_oneFee(a));
    }

    function test_settleWithFees_rebuildsEverySettlementFromLogs() public {
        // A zero fee (fee recipient and salt in no Transfer), a zero share for payTo, a WIDE item, an ERC-1271
        // payer, a skipped item in between and a second token: each settled item rebuilds from logs alone.
        ERC1271WalletMock wallet = new ERC1271WalletMock(_payer(5), false);
        _mint(usdc, address(wallet), VALUE);
        uint256 big = 2 ** 100;
        _mint(eurc, _payer(3), big);
        FeeItem[] memory items = new FeeItem[](6);
        items[0] = _feeItem(0, usdc, PAYEE, VALUE, 0, FEE_RECIPIENT, "zero fee");
        items[1] = _feeItem(1, usdc, PAYEE, VALUE, VALUE, PAYEE_2, "all fee");
        items[2] = _feeItem(2, usdc, PAYEE, INITIAL_BALANCE + 1, FEE, FEE_RECIPIENT, "too much");
        items[3] = _feeItem(3, eurc, PAYEE_2, big, big / 2, FEE_RECIPIENT, "wide");
        items[3].validBefore = type(uint256).max;
        _resignFee(items[3], _key(3));
        items[4] = _feeItem(5, usdc, PAYEE_2, VALUE, FEE, FEE_RECIPIENT, "wallet");
        items[4].from = address(wallet);
        _resignFee(items[4], _key(5));
        items[5] = _feeItem(0, usdc, FEE_RECIPIENT, VALUE, FEE, PAYEE, "same payer again");
        vm.recordLogs();
        bytes memory results = _settleFees(items);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(results, hex"000006000000");
        _assertRebuildsFromLogs(items, results, logs);
        _assertRouterUntouched();
    }

    function test_settleWithFees_skipsEmptyShares() public {
        FeeItem[] memory items = new FeeItem[](2);
        items[0] = _feeItem(0, usdc, PAYEE, VALUE, 0, FEE_RECIPIENT, "no fee");
        items[1] = _feeItem(1, usdc, PAYEE, VALUE, VALUE, FEE_RECIPIENT, "all fee");
        vm.recordLogs();
        assertEq(_settleFees(items), hex"0000");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 transfers;
        for (uint256 i; i < logs.length; ++i) if (logs[i].topics[0] == TRANSFER_TOPIC) ++transfers;
        assertEq(transfers, 4); // two pulls and one payout each
        // The router's log still names the fee recipient of the zero fee and the payee of the zero share.
        _assertRebuildsFromLogs(items, hex"0000", logs);
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE);
        assertEq(usdc.balanceOf(FEE_RECIPIENT), 1 + VALUE);
        _assertRouterUntouched();
    }

    function test_settleWithFees_acceptsErc1271WalletPayer() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(_payer(5), false);
        _mint(usdc, address(wallet), VALUE);
        FeeItem memory a = _feeItem(5, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "wallet");
        a.from = address(wallet);
        a.signature = _sign(_key(5), _receiveDigest(a, _commitment(PAYEE, FEE, FEE_RECIPIENT, "wallet")));
        assertEq(_settleFees(_oneFee(a)), hex"00");
        assertEq(usdc.balanceOf(address(wallet)), 0);
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE - FEE);
    }

    // ------------------------------------------------------------------------------------------------
    // The split is bound by the signature
    // ------------------------------------------------------------------------------------------------

    /**
     * @dev Settles [good, bad, good], the good items on another token (so that a paused `usdc` cannot touch
     * them): checks that both neighbours settled, that `bad` failed with `expected` (result byte and
     * {AuthorizationFailed} with its key), that nothing moved for it, and that the router kept no funds.
     * Returns the failure's error selector.
     */
    function _assertSkipped(
        FeeItem memory bad,
        IBatchSettlementRouter.FailureReason expected
    ) internal returns (bytes4 errorSelector) {
        FeeItem[] memory items = new FeeItem[](3);
        items[0] = _feeItem(6, eurc, PAYEE_2, VALUE, FEE, FEE_RECIPIENT, keccak256(abi.encode("before", bad.salt)));
        items[1] = bad;
        items[2] = _feeItem(7, eurc, PAYEE_2, VALUE, FEE, FEE_RECIPIENT, keccak256(abi.encode("after", bad.salt)));
        FeeTokenLike token = FeeTokenLike(bad.token);
        uint256 neighbourBefore = eurc.balanceOf(PAYEE_2);
        uint256 payerBefore = _balance(token, bad.from);
        uint256 payToBefore = _balance(token, bad.payTo);
        uint256 feeRecipientBefore = _balance(token, bad.feeRecipient);
        uint256 routerBefore = _balance(token, address(router));
        vm.recordLogs();
        bytes memory results = _settleFees(items);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
        _assertReason(results, 1, expected);
        _assertReason(results, 2, IBatchSettlementRouter.FailureReason.None);
        errorSelector = _assertOneFailure(logs, bad);
        _assertRebuildsFromLogs(items, results, logs);
        assertEq(eurc.balanceOf(PAYEE_2), neighbourBefore + 2 * (VALUE - FEE), "neighbours settled");
        assertEq(_balance(token, bad.from), payerBefore, "payer unchanged");
        assertEq(_balance(token, bad.payTo), payToBefore, "payTo unchanged");
        assertEq(_balance(token, bad.feeRecipient), feeRecipientBefore, "fee recipient unchanged");
        assertEq(_balance(token, address(router)), routerBefore, "router balance of the bad item's token");
        assertEq(eurc.balanceOf(address(router)), 0, "router balance of the neighbours' token");
        _assertRouterUntouched();
    }

    /// @dev Checks that `logs` hold exactly one {AuthorizationFailed}, for item 1 `bad`; returns its selector.
    function _assertOneFailure(Vm.Log[] memory logs, FeeItem memory bad) internal view returns (bytes4) {
        (
            uint256 count,
            address[] memory tokens,
            address[] memory froms,
            bytes32[] memory nonces,
            uint256[] memory indices,
            ,
            bytes4[] memory selectors
        ) = _failures(logs);
        assertEq(count, 1, "one failure log");
        assertEq(tokens[0], bad.token, "failed token");
        assertEq(froms[0], bad.from, "failed from");
        assertEq(nonces[0], _commitment(bad.payTo, bad.fee, bad.feeRecipient, bad.salt), "failed nonce");
        assertEq(indices[0], 1, "failed index");
        return selectors[0];
    }

    /// @dev `token.balanceOf(account)`, or 0 for an address without code (the tokenless item).
    function _balance(FeeTokenLike token, address account) internal view returns (uint256) {
        return address(token).code.length == 0 ? 0 : token.balanceOf(account);
    }

    /// @dev Signs `a` again with `key`, over the commitment of its (possibly changed) fields.
    function _resignFee(FeeItem memory a, uint256 key) internal view {
        a.signature = _sign(key, _receiveDigest(a, _commitment(a.payTo, a.fee, a.feeRecipient, a.salt)));
    }

    function test_settleWithFees_rejectsTamperedFee() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "fee");
        a.fee = FEE * 10;
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_rejectsTamperedPayTo() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "payTo");
        a.payTo = address(0xBAD);
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_rejectsTamperedFeeRecipient() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "recipient");
        a.feeRecipient = address(0xBAD);
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_rejectsTamperedSalt() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "salt");
        a.salt = "other salt";
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_rejectsTamperedValue() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "value");
        a.value = 2 * VALUE;
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_rejectsTransferTypeSignature() public {
        // A TransferWithAuthorization signature is never a ReceiveWithAuthorization one.
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "type");
        bytes32 nonce = _commitment(PAYEE, FEE, FEE_RECIPIENT, "type");
        a.signature = _sign(
            _key(0),
            _digest(
                address(usdc),
                keccak256(
                    abi.encode(TRANSFER_TYPEHASH, a.from, address(router), a.value, a.validAfter, a.validBefore, nonce)
                )
            )
        );
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_rejectsCommitmentForAnotherRouter() public {
        // Same split, but committed to (and signed for) another deployment: no replay across routers.
        BatchSettlementRouter other = new BatchSettlementRouter();
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "elsewhere");
        bytes32 foreignNonce = other.feeCommitment(PAYEE, FEE, FEE_RECIPIENT, "elsewhere");
        a.signature = _sign(_key(0), _receiveDigest(a, foreignNonce));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_cannotBeFrontRun() public {
        // Only `to` (the router) may execute a receive authorization: a watcher's direct call reverts.
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "front-run");
        bytes32 nonce = _commitment(PAYEE, FEE, FEE_RECIPIENT, "front-run");
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009CallerMustBePayee.selector, RELAYER, address(router)));
        vm.prank(RELAYER);
        usdc.receiveWithAuthorization(
            a.from,
            address(router),
            a.value,
            a.validAfter,
            a.validBefore,
            nonce,
            a.signature
        );
        assertEq(_settleFees(_oneFee(a)), hex"00");
    }

    // ------------------------------------------------------------------------------------------------
    // Skips and unwinds
    // ------------------------------------------------------------------------------------------------

    function test_settleWithFees_skipsFeeAboveValue() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, VALUE + 1, FEE_RECIPIENT, "greedy");
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.FeeExceedsValue);
    }

    function test_settleWithFees_skipsRouterAsPayee() public {
        _assertSkipped(
            _feeItem(0, usdc, address(router), VALUE, FEE, FEE_RECIPIENT, "payTo router"),
            IBatchSettlementRouter.FailureReason.InvalidPayee
        );
        _assertSkipped(
            _feeItem(1, usdc, PAYEE, VALUE, FEE, address(router), "recipient router"),
            IBatchSettlementRouter.FailureReason.InvalidPayee
        );
    }

    function test_settleWithFees_unwindsWhenThePayoutFails() public {
        // The pull succeeds, the payout to a blocklisted payTo reverts: the whole item unwinds, so the nonce
        // stays unused and the payer keeps the money. It settles once payTo is cleared.
        address blocked = address(0xB10C);
        vm.prank(ADMIN);
        usdc.blocklist(blocked);
        FeeItem memory a = _feeItem(0, usdc, blocked, VALUE, FEE, FEE_RECIPIENT, "blocked payTo");
        bytes32 nonce = _commitment(blocked, FEE, FEE_RECIPIENT, "blocked payTo");
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.Blocklisted);
        assertFalse(usdc.authorizationState(a.from, nonce));

        vm.prank(ADMIN);
        usdc.unblocklist(blocked);
        assertEq(_settleFees(_oneFee(a)), hex"00");
        assertEq(usdc.balanceOf(blocked), VALUE - FEE);
        _assertRouterUntouched();
    }

    function test_settleWithFees_unwindsWhenTheFeePayoutFails() public {
        address blocked = address(0xB10C);
        vm.prank(ADMIN);
        usdc.blocklist(blocked);
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, blocked, "blocked recipient");
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.Blocklisted);
        assertFalse(usdc.authorizationState(a.from, _commitment(PAYEE, FEE, blocked, "blocked recipient")));
    }

    // ------------------------------------------------------------------------------------------------
    // One failure kind per test, as {settle}'s: the bad item is skipped, the good ones around it settle
    // ------------------------------------------------------------------------------------------------

    function test_settleWithFees_skipsItemsOfAPausedToken() public {
        vm.prank(ADMIN);
        usdc.pause();
        _assertSkipped(
            _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "paused"),
            IBatchSettlementRouter.FailureReason.Paused
        );
    }

    function test_settleWithFees_skipsNotYetValidAuthorization() public {
        // "block.timestamp > validAfter" is strict.
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "early");
        a.validAfter = block.timestamp;
        _resignFee(a, _key(0));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.NotYetValid);
    }

    function test_settleWithFees_skipsExpiredAuthorization() public {
        // "block.timestamp < validBefore" is strict.
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "expired");
        a.validBefore = block.timestamp;
        _resignFee(a, _key(0));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.Expired);
    }

    function test_settleWithFees_skipsUsedNonce() public {
        // The same commitment settled once already (a later batch, or a repeat within this one).
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "reused");
        assertEq(_settleFees(_oneFee(a)), hex"00");
        uint256 payeeAfterFirst = usdc.balanceOf(PAYEE);
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        assertEq(usdc.balanceOf(PAYEE), payeeAfterFirst, "paid once");
    }

    function test_settleWithFees_skipsDuplicateWithinTheBatch() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "twice");
        FeeItem[] memory items = new FeeItem[](2);
        items[0] = a;
        items[1] = a;
        bytes memory results = _settleFees(items);
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.None);
        _assertReason(results, 1, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        assertEq(usdc.balanceOf(PAYEE), 1 + VALUE - FEE);
        assertEq(usdc.balanceOf(FEE_RECIPIENT), 1 + FEE);
        _assertRouterUntouched();
    }

    function test_settleWithFees_skipsCanceledNonce() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "canceled");
        bytes32 nonce = _commitment(PAYEE, FEE, FEE_RECIPIENT, "canceled");
        usdc.cancelAuthorization(
            a.from,
            nonce,
            _sign(_key(0), _digest(address(usdc), keccak256(abi.encode(CANCEL_TYPEHASH, a.from, nonce))))
        );
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
    }

    function test_settleWithFees_skipsSignatureByAnotherKey() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "other key");
        _resignFee(a, _key(1));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_skipsWalletThatRefuses() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(_payer(5), true);
        _mint(usdc, address(wallet), VALUE);
        FeeItem memory a = _feeItem(5, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "refused");
        a.from = address(wallet);
        _resignFee(a, _key(5));
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidSignature);
    }

    function test_settleWithFees_containsAGasBurningWallet() public {
        // The hostile wallet burns the item's limit inside the token's ERC-1271 STATICCALL, within the item's
        // own frame: the token rejects the signature, the item unwinds and the batch goes on.
        ERC1271GasBurnerMock burner = new ERC1271GasBurnerMock();
        _mint(usdc, address(burner), VALUE);
        FeeItem memory hostile = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "burner");
        hostile.from = address(burner);
        _assertSkipped(hostile, IBatchSettlementRouter.FailureReason.InvalidSignature);

        FeeItem[] memory items = new FeeItem[](3);
        items[0] = _feeItem(1, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "before burner");
        items[1] = hostile;
        items[2] = _feeItem(2, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "after burner");
        bytes memory batch = _encodeFee(items);
        uint256 gasBefore = gasleft();
        bytes memory results = router.settleWithFees(batch, ITEM_GAS);
        uint256 gasUsed = gasBefore - gasleft();
        assertEq(
            results,
            abi.encodePacked(uint8(0), uint8(IBatchSettlementRouter.FailureReason.InvalidSignature), uint8(0))
        );
        // Two honest items (~60k each) and at most one item limit for the hostile one.
        assertLe(gasUsed, 2 * 80_000 + ITEM_GAS + 30_000);
        _assertRouterUntouched();
    }

    function test_settleWithFees_reportsAReentrantTokenAsOther() public {
        // The token's receiveWithAuthorization calls settleWithFees again: the guard's error unwinds the item.
        ERC3009MisbehavingTokenMock token = new ERC3009MisbehavingTokenMock(
            ERC3009MisbehavingTokenMock.Mode.Reenter,
            address(router)
        );
        token.mint(_payer(0), VALUE);
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "reenter");
        a.token = address(token);
        bytes4 selector = _assertSkipped(a, IBatchSettlementRouter.FailureReason.Other);
        assertEq(selector, bytes4(keccak256("ReentrancyGuardReentrantCall()")));
        assertEq(token.balanceOf(_payer(0)), VALUE);
    }

    function test_settleWithFees_skipsBlocklistedPayer() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "blocked payer");
        vm.prank(ADMIN);
        usdc.blocklist(a.from);
        _assertSkipped(a, IBatchSettlementRouter.FailureReason.Blocklisted);
    }

    function test_settleWithFees_skipsInsufficientBalance() public {
        _assertSkipped(
            _feeItem(1, usdc, PAYEE, INITIAL_BALANCE + 1, FEE, FEE_RECIPIENT, "too much"),
            IBatchSettlementRouter.FailureReason.InsufficientBalance
        );
    }

    /**
     * @dev The x402-exec flaw: a router that reads "nonce used" as "funds arrived" pays out money it never
     * received. A payer with no funds commits a split worth the router's balance, cancels the nonce on the
     * token, then has the item submitted. Here the pull fails and the router pays nothing.
     */
    function test_settleWithFees_cancelAndDrainFails() public {
        uint256 thiefKey = _key(100);
        address thief = vm.addr(thiefKey);
        address thiefPayTo = address(0x7A1F);
        FeeItem memory a = _feeItem(100, usdc, thiefPayTo, DONATION, 0, FEE_RECIPIENT, "drain");
        bytes32 nonce = _commitment(thiefPayTo, 0, FEE_RECIPIENT, "drain");
        usdc.cancelAuthorization(
            thief,
            nonce,
            _sign(thiefKey, _digest(address(usdc), keccak256(abi.encode(CANCEL_TYPEHASH, thief, nonce))))
        );
        assertTrue(usdc.authorizationState(thief, nonce));

        bytes memory results = _settleFees(_oneFee(a));
        _assertReason(results, 0, IBatchSettlementRouter.FailureReason.UsedOrCanceled);
        assertEq(usdc.balanceOf(thiefPayTo), 0);
        _assertRouterUntouched();
    }

    function test_settleWithFees_countsWhatArrivedNotWhatWasClaimed() public {
        // A token whose receiveWithAuthorization "succeeds" without moving funds cannot make the router pay
        // from its own balance.
        ERC3009MisbehavingTokenMock token = new ERC3009MisbehavingTokenMock(
            ERC3009MisbehavingTokenMock.Mode.NoPull,
            address(router)
        );
        token.mint(address(router), DONATION);
        token.mint(_payer(0), VALUE);
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "no pull");
        a.token = address(token);
        vm.expectEmit(true, true, true, true, address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(token),
            a.from,
            _commitment(PAYEE, FEE, FEE_RECIPIENT, "no pull"),
            0,
            IBatchSettlementRouter.FailureReason.AmountMismatch,
            IBatchSettlementRouter.BatchSettlementReceivedAmountMismatch.selector
        );
        _settleFees(_oneFee(a));
        assertEq(token.balanceOf(address(router)), DONATION);
        assertEq(token.balanceOf(PAYEE), 0);
    }

    function test_settleWithFees_requiresTheRouterBalanceBackAfterPayouts() public {
        // A token whose transfer does not debit the sender would leave the router holding the pull.
        ERC3009MisbehavingTokenMock token = new ERC3009MisbehavingTokenMock(
            ERC3009MisbehavingTokenMock.Mode.NoDebit,
            address(router)
        );
        token.mint(_payer(0), VALUE);
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "no debit");
        a.token = address(token);
        vm.expectEmit(true, true, true, true, address(router));
        emit IBatchSettlementRouter.AuthorizationFailed(
            address(token),
            a.from,
            _commitment(PAYEE, FEE, FEE_RECIPIENT, "no debit"),
            0,
            IBatchSettlementRouter.FailureReason.AmountMismatch,
            IBatchSettlementRouter.BatchSettlementBalanceNotRestored.selector
        );
        _settleFees(_oneFee(a));
        assertEq(token.balanceOf(address(router)), 0);
        assertEq(token.balanceOf(_payer(0)), VALUE);
    }

    function test_settleWithFees_skipsTokenWithoutCode() public {
        FeeItem memory a = _feeItem(0, usdc, PAYEE, VALUE, FEE, FEE_RECIPIENT, "no code");
        a.token = address(0xDEAD);
        assertEq(_assertSkipped(a, IBatchSettlementRouter.FailureReason.InvalidToken), bytes4(0));
    }

    // ------------------------------------------------------------------------------------------------
    // The commitment
    // ------------------------------------------------------------------------------------------------

    function test_feeCommitment_matchesTheDocumentedEncoding() public view {
        assertEq(router.FEE_COMMITMENT_TYPEHASH(), FEE_COMMITMENT_TYPEHASH);
        assertEq(router.FEE_COMMITMENT_TYPEHASH(), 0x2c9d7c90201b05ba941666737535c2e3341bbde3b079df1a8030d4d6e515e260);
        assertEq(router.feeCommitment(PAYEE, FEE, FEE_RECIPIENT, "s"), _commitment(PAYEE, FEE, FEE_RECIPIENT, "s"));
    }

    /// @dev The pinned test vector (the TS signer and test/contracts/settlement mirror it byte for byte).
    function test_feeCommitment_testVector() public {
        address fixedRouter = 0x1000000000000000000000000000000000000001;
        vm.etch(fixedRouter, address(router).code);
        vm.chainId(84532);
        bytes32 commitment = BatchSettlementRouter(fixedRouter).feeCommitment(
            0x2000000000000000000000000000000000000002,
            1000,
            0x3000000000000000000000000000000000000003,
            bytes32(uint256(1))
        );
        assertEq(commitment, 0xea49826df16298f2e6d817e34e83f7b482b3b3a381c10694dc692f47df4dfed6);
    }

    function testFuzz_feeCommitment_bindsEveryField(
        address payTo,
        uint256 fee,
        address feeRecipient,
        bytes32 salt,
        uint8 field
    ) public {
        bytes32 original = router.feeCommitment(payTo, fee, feeRecipient, salt);
        field = uint8(bound(field, 0, 5));
        if (field == 0) payTo = address(uint160(payTo) ^ 1);
        if (field == 1) fee ^= 1;
        if (field == 2) feeRecipient = address(uint160(feeRecipient) ^ 1);
        if (field == 3) salt ^= bytes32(uint256(1));
        if (field == 4) vm.chainId(block.chainid + 1);
        BatchSettlementRouter target = field == 5 ? new BatchSettlementRouter() : router;
        assertTrue(target.feeCommitment(payTo, fee, feeRecipient, salt) != original);
    }
}

/// @dev The balance getter every token here has.
interface FeeTokenLike {
    function balanceOf(address account) external view returns (uint256);
}
