// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC3009} from "../../../contracts/interfaces/IERC3009.sol";
import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {DepositCollectorMock} from "../../../contracts/mocks/DepositCollectorMock.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {X402BatchSettlementFixture} from "./X402BatchSettlementFixture.sol";
import {Vm, vm} from "../utils/Vm.sol";

/// @notice Unit tests of X402BatchSettlement and ERC3009DepositCollector.
contract X402BatchSettlementTest is X402BatchSettlementFixture {
    bytes32 internal constant SALT = bytes32(uint256(1));
    bytes32 internal constant REENTRANCY_ERROR = bytes32(bytes4(keccak256("ReentrancyGuardReentrantCall()")));

    IX402BatchSettlement.ChannelConfig internal config;
    bytes32 internal channelId;

    function setUp() public override {
        super.setUp();
        config = _config(SALT);
        channelId = _channelId(config);
    }

    // ------------------------------------------------------------------------------------------------
    // Identity and hashes
    // ------------------------------------------------------------------------------------------------

    function test_typehashes_matchTheOfficialTypeStrings() public view {
        assertEq(settlement.CHANNEL_CONFIG_TYPEHASH(), CHANNEL_CONFIG_TYPEHASH);
        assertEq(settlement.VOUCHER_TYPEHASH(), VOUCHER_TYPEHASH);
        assertEq(settlement.REFUND_TYPEHASH(), REFUND_TYPEHASH);
        assertEq(settlement.CLAIM_ENTRY_TYPEHASH(), CLAIM_ENTRY_TYPEHASH);
        assertEq(settlement.CLAIM_BATCH_TYPEHASH(), CLAIM_BATCH_TYPEHASH);
        // As read off the official deployment on Base Sepolia (getter CHANNEL_CONFIG_TYPEHASH()).
        assertEq(CHANNEL_CONFIG_TYPEHASH, 0x1c9a06ceab9b0ebbd3301dc56c9111bb6d9af421356dc9ccb3b7084c755db308);
        assertEq(uint256(settlement.MIN_WITHDRAW_DELAY()), 900);
        assertEq(uint256(settlement.MAX_WITHDRAW_DELAY()), 2_592_000);
    }

    function test_getChannelId_isTheEip712DigestOfTheConfig() public view {
        assertEq(settlement.getChannelId(config), channelId);
        assertTrue(settlement.getChannelId(_config(bytes32(uint256(2)))) != channelId, "salt changes the id");
    }

    function test_eip712Domain_namesTheOfficialDomain() public view {
        (bytes1 fields, string memory name, string memory version, uint256 chainId, address verifying, , ) = settlement
            .eip712Domain();
        assertEq(uint256(uint8(fields)), 0x0f);
        assertEq(name, "x402 Batch Settlement");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifying, address(settlement));
    }

    /// "The hash binds config to chainId and the deployed contract address, so the same config yields different
    /// IDs across chains."
    function test_getChannelId_dependsOnChainAndAddress() public {
        address copy = address(0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003);
        vm.etch(copy, address(settlement).code);
        bytes32 atCopy = IX402BatchSettlement(copy).getChannelId(config);
        assertTrue(atCopy != channelId, "another address, another id");
        bytes32 structHash = keccak256(
            abi.encode(
                CHANNEL_CONFIG_TYPEHASH,
                config.payer,
                config.payerAuthorizer,
                config.receiver,
                config.receiverAuthorizer,
                config.token,
                config.withdrawDelay,
                config.salt
            )
        );
        assertEq(
            atCopy,
            _typedDigest(_settlementDomain(copy), structHash),
            "copied runtime code hashes for its address"
        );
        vm.chainId(8453);
        assertTrue(settlement.getChannelId(config) != channelId, "another chain, another id");
    }

    function test_digests_matchTheOfficialTypes() public view {
        assertEq(settlement.getVoucherDigest(channelId, 123), _voucherDigest(channelId, 123));
        assertEq(settlement.getRefundDigest(channelId, 7, 55), _refundDigest(channelId, 7, 55));
        IX402BatchSettlement.VoucherClaim[] memory rows = new IX402BatchSettlement.VoucherClaim[](2);
        rows[0] = _row(config, 10, 5);
        rows[1] = _row(_config(bytes32(uint256(2))), 20, 20);
        assertEq(settlement.getClaimBatchDigest(rows), _claimBatchDigest(rows));
        // Order matters: the signed array is ordered.
        IX402BatchSettlement.VoucherClaim[] memory swapped = new IX402BatchSettlement.VoucherClaim[](2);
        swapped[0] = rows[1];
        swapped[1] = rows[0];
        assertTrue(settlement.getClaimBatchDigest(swapped) != settlement.getClaimBatchDigest(rows), "order");
    }

    // ------------------------------------------------------------------------------------------------
    // deposit
    // ------------------------------------------------------------------------------------------------

    function test_deposit_pullsThroughTheCollector() public {
        bytes memory data = _collectorData(PAYER_KEY, config, DEPOSIT, 42);
        vm.expectEmit(address(settlement));
        emit IX402BatchSettlement.ChannelCreated(channelId, config);
        vm.expectEmit(address(settlement));
        emit IX402BatchSettlement.Deposited(channelId, RELAYER, DEPOSIT, DEPOSIT);
        vm.prank(RELAYER);
        settlement.deposit(config, DEPOSIT, address(collector), data);

        assertEq(_balance(channelId), DEPOSIT);
        assertEq(_claimed(channelId), 0);
        assertEq(usdc.balanceOf(address(settlement)), DEPOSIT);
        assertEq(usdc.balanceOf(address(collector)), 0);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - DEPOSIT);
        assertTrue(usdc.authorizationState(payer, keccak256(abi.encode(channelId, uint256(42)))), "nonce used");
    }

    function test_deposit_topUpAddsWithoutChannelCreated() public {
        _deposit(config, DEPOSIT, 1);
        bytes memory data = _collectorData(PAYER_KEY, config, 5e6, 2);
        vm.recordLogs();
        settlement.deposit(config, 5e6, address(collector), data);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 created;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == IX402BatchSettlement.ChannelCreated.selector) ++created;
        }
        assertEq(created, 0);
        assertEq(_balance(channelId), DEPOSIT + 5e6);
    }

    function test_deposit_revertsOnInvalidConfig() public {
        IX402BatchSettlement.ChannelConfig memory bad = _config(SALT);
        bad.receiverAuthorizer = address(0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelInvalidConfig.selector,
                bad.payer,
                bad.receiver,
                address(0),
                bad.token
            )
        );
        settlement.deposit(bad, DEPOSIT, address(collector), "");

        bad = _config(SALT);
        bad.withdrawDelay = 899;
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelWithdrawDelayOutOfRange.selector, 899, 900, 2_592_000)
        );
        settlement.deposit(bad, DEPOSIT, address(collector), "");

        bad.withdrawDelay = 30 days + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelWithdrawDelayOutOfRange.selector,
                30 days + 1,
                900,
                2_592_000
            )
        );
        settlement.deposit(bad, DEPOSIT, address(collector), "");
    }

    function test_deposit_revertsOnZeroAmountOrCollector() public {
        vm.expectRevert(IX402BatchSettlement.ChannelZeroAmount.selector);
        settlement.deposit(config, 0, address(collector), "");
        vm.expectRevert(abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidCollector.selector, address(0)));
        settlement.deposit(config, DEPOSIT, address(0), "");
    }

    function test_deposit_rejectsAuthorizationForAnotherChannel() public {
        // Signed for the channel with salt 2, submitted for the channel with salt 1: the nonce differs.
        bytes memory data = _collectorData(PAYER_KEY, _config(bytes32(uint256(2))), DEPOSIT, 9);
        (bool ok, bytes memory result) = address(settlement).call(
            abi.encodeCall(settlement.deposit, (config, DEPOSIT, address(collector), data))
        );
        assertFalse(ok, "an authorization for another channel must not verify");
        assertEq(bytes32(bytes4(result)), bytes32(IERC3009.ERC3009InvalidSignature.selector));
        assertEq(_balance(channelId), 0);
    }

    function test_deposit_rejectsAnotherAmount() public {
        bytes memory data = _collectorData(PAYER_KEY, config, DEPOSIT, 9);
        (bool ok, bytes memory result) = address(settlement).call(
            abi.encodeCall(settlement.deposit, (config, DEPOSIT + 1, address(collector), data))
        );
        assertFalse(ok, "a different amount must not verify");
        assertEq(bytes32(bytes4(result)), bytes32(IERC3009.ERC3009InvalidSignature.selector));
    }

    /// The collector is bound to its caller: a direct call derives the id under another domain and fails.
    function test_collect_rejectsACallerOtherThanTheChannelContract() public {
        bytes memory data = _collectorData(PAYER_KEY, config, DEPOSIT, 9);
        vm.prank(other);
        (bool ok, bytes memory result) = address(collector).call(
            abi.encodeCall(collector.collect, (config, DEPOSIT, data))
        );
        assertFalse(ok, "direct collect must fail");
        assertEq(bytes32(bytes4(result)), bytes32(IERC3009.ERC3009InvalidSignature.selector));
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE);
        // The same authorization still deposits through the channel contract.
        settlement.deposit(config, DEPOSIT, address(collector), data);
        assertEq(_balance(channelId), DEPOSIT);
    }

    function test_deposit_revertsWhenTheCollectorPaysShort() public {
        DepositCollectorMock mock = new DepositCollectorMock();
        _mintTo(address(mock), DEPOSIT);
        mock.configure(1, address(0), "");
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelDepositMismatch.selector,
                channelId,
                DEPOSIT,
                0,
                DEPOSIT - 1
            )
        );
        settlement.deposit(config, DEPOSIT, address(mock), "");
    }

    function test_deposit_blocksReentrancyFromTheCollector() public {
        DepositCollectorMock mock = new DepositCollectorMock();
        _mintTo(address(mock), DEPOSIT);
        mock.configure(0, address(settlement), abi.encodeCall(settlement.settle, (RECEIVER, address(usdc))));
        vm.expectRevert(bytes4(REENTRANCY_ERROR));
        settlement.deposit(config, DEPOSIT, address(mock), "");
    }

    function test_deposit_revertsOnBalanceOverflow() public {
        DepositCollectorMock mock = new DepositCollectorMock();
        uint128 max = type(uint128).max;
        _mintTo(address(mock), max);
        settlement.deposit(config, max, address(mock), "");
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelBalanceOverflow.selector, channelId, max, 1)
        );
        settlement.deposit(config, 1, address(mock), "");
    }

    // ------------------------------------------------------------------------------------------------
    // claim
    // ------------------------------------------------------------------------------------------------

    function test_claim_byReceiverOrAuthorizer() public {
        _deposit(config, DEPOSIT, 1);
        vm.expectEmit(address(settlement));
        emit IX402BatchSettlement.Claimed(channelId, RECEIVER, 3e6, 3e6);
        vm.prank(RECEIVER);
        settlement.claim(_rows1(_row(config, 3e6, 3e6)));
        vm.prank(receiverAuthorizer);
        settlement.claim(_rows1(_row(config, 5e6, 4e6)));
        assertEq(_claimed(channelId), 4e6);
        (uint128 totalClaimed, uint128 totalSettled) = settlement.receivers(RECEIVER, address(usdc));
        assertEq(totalClaimed, 4e6);
        assertEq(totalSettled, 0);
        assertEq(usdc.balanceOf(RECEIVER), 0, "claims move accounting only");
    }

    function test_claim_rejectsOtherCallers() public {
        _deposit(config, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rows = _rows1(_row(config, 3e6, 3e6));
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelUnauthorizedCaller.selector, channelId, payer)
        );
        vm.prank(payer);
        settlement.claim(rows);
        vm.expectRevert(IX402BatchSettlement.ChannelEmptyBatch.selector);
        settlement.claim(new IX402BatchSettlement.VoucherClaim[](0));
    }

    /// "replaying an old voucher after it was applied is a no-op"
    function test_claim_skipsStaleAndReplayedRows() public {
        _deposit(config, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rows = _rows1(_row(config, 5e6, 5e6));
        vm.prank(RECEIVER);
        settlement.claim(rows);
        vm.recordLogs();
        vm.prank(RECEIVER);
        settlement.claim(rows); // replay
        vm.prank(RECEIVER);
        settlement.claim(_rows1(_row(config, 4e6, 4e6))); // an older voucher
        assertEq(vm.getRecordedLogs().length, 0, "no Claimed for stale rows");
        assertEq(_claimed(channelId), 5e6);
        (uint128 totalClaimed, ) = settlement.receivers(RECEIVER, address(usdc));
        assertEq(totalClaimed, 5e6);
    }

    function test_claim_revertsAboveTheCeilingOrTheBalance() public {
        _deposit(config, DEPOSIT, 1);
        vm.startPrank(RECEIVER);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelClaimExceedsCeiling.selector, channelId, 3e6 + 1, 3e6)
        );
        settlement.claim(_rows1(_row(config, 3e6, 3e6 + 1)));
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelClaimExceedsBalance.selector,
                channelId,
                DEPOSIT + 1,
                DEPOSIT
            )
        );
        settlement.claim(_rows1(_row(config, DEPOSIT + 5, DEPOSIT + 1)));
        vm.stopPrank();
    }

    function test_claim_rejectsAVoucherNotSignedByThePayer() public {
        _deposit(config, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim memory row = _row(config, 3e6, 3e6);
        row.signature = _signVoucher(OTHER_KEY, channelId, 3e6);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidVoucherSignature.selector, channelId, payer)
        );
        vm.prank(RECEIVER);
        settlement.claim(_rows1(row));
    }

    /// A voucher of one channel is no authority over another channel of the same payer and receiver.
    function test_claim_rejectsAVoucherOfAnotherChannel() public {
        IX402BatchSettlement.ChannelConfig memory second = _config(bytes32(uint256(2)));
        _deposit(config, DEPOSIT, 1);
        _deposit(second, DEPOSIT, 2);
        IX402BatchSettlement.VoucherClaim memory row = _row(second, 3e6, 3e6);
        row.signature = _signVoucher(PAYER_KEY, channelId, 3e6); // signed for the first channel
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelInvalidVoucherSignature.selector,
                _channelId(second),
                payer
            )
        );
        vm.prank(RECEIVER);
        settlement.claim(_rows1(row));
    }

    function test_claim_usesThePayerAuthorizerWhenSet() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(SALT);
        c.payerAuthorizer = payerAuthorizer;
        bytes32 id = _channelId(c);
        _deposit(c, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim memory row = _row(c, 2e6, 2e6); // signed by the payer
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidVoucherSignature.selector, id, payerAuthorizer)
        );
        vm.prank(RECEIVER);
        settlement.claim(_rows1(row));
        row.signature = _signVoucher(PAYER_AUTHORIZER_KEY, id, 2e6);
        vm.prank(RECEIVER);
        settlement.claim(_rows1(row));
        assertEq(_claimed(id), 2e6);
    }

    function test_claim_acceptsAnErc1271Payer() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(payer, false);
        IX402BatchSettlement.ChannelConfig memory c = _config(SALT);
        c.payer = address(wallet);
        bytes32 id = _channelId(c);
        DepositCollectorMock mock = new DepositCollectorMock();
        _mintTo(address(mock), DEPOSIT);
        settlement.deposit(c, DEPOSIT, address(mock), "");
        IX402BatchSettlement.VoucherClaim memory row = _row(c, 2e6, 2e6); // the owner's key signs for the wallet
        vm.prank(RECEIVER);
        settlement.claim(_rows1(row));
        assertEq(_claimed(id), 2e6);
    }

    // ------------------------------------------------------------------------------------------------
    // claimWithSignature
    // ------------------------------------------------------------------------------------------------

    function test_claimWithSignature_appliesABatchOfChannels() public {
        IX402BatchSettlement.ChannelConfig memory second = _config(bytes32(uint256(2)));
        _deposit(config, DEPOSIT, 1);
        _deposit(second, DEPOSIT, 2);
        IX402BatchSettlement.VoucherClaim[] memory rows = new IX402BatchSettlement.VoucherClaim[](2);
        rows[0] = _row(config, 3e6, 2e6);
        rows[1] = _row(second, 7e6, 7e6);
        bytes memory sig = _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows);
        vm.prank(RELAYER);
        settlement.claimWithSignature(rows, sig);
        assertEq(_claimed(channelId), 2e6);
        assertEq(_claimed(_channelId(second)), 7e6);
        (uint128 totalClaimed, ) = settlement.receivers(RECEIVER, address(usdc));
        assertEq(totalClaimed, 9e6);
    }

    function test_claimWithSignature_rejectsAnotherSigner() public {
        _deposit(config, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rows = _rows1(_row(config, 3e6, 3e6));
        bytes memory sig = _signClaimBatch(OTHER_KEY, rows);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidAuthorizerSignature.selector, receiverAuthorizer)
        );
        settlement.claimWithSignature(rows, sig);
    }

    function test_claimWithSignature_rejectsATamperedTotal() public {
        _deposit(config, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rows = _rows1(_row(config, 5e6, 3e6));
        bytes memory sig = _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows);
        rows[0].totalClaimed = 5e6; // within the payer's ceiling, but not what the authorizer signed
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidAuthorizerSignature.selector, receiverAuthorizer)
        );
        settlement.claimWithSignature(rows, sig);
    }

    function test_claimWithSignature_rejectsMixedAuthorizers() public {
        IX402BatchSettlement.ChannelConfig memory second = _config(bytes32(uint256(2)));
        second.receiverAuthorizer = other;
        IX402BatchSettlement.VoucherClaim[] memory rows = new IX402BatchSettlement.VoucherClaim[](2);
        rows[0] = _row(config, 3e6, 2e6);
        rows[1] = _row(second, 3e6, 2e6);
        bytes memory sig = _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows);
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelAuthorizerMismatch.selector,
                1,
                receiverAuthorizer,
                other
            )
        );
        settlement.claimWithSignature(rows, sig);
        vm.expectRevert(IX402BatchSettlement.ChannelEmptyBatch.selector);
        settlement.claimWithSignature(new IX402BatchSettlement.VoucherClaim[](0), sig);
    }

    function test_claimWithSignature_acceptsAnErc1271Authorizer() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(receiverAuthorizer, false);
        IX402BatchSettlement.ChannelConfig memory c = _config(SALT);
        c.receiverAuthorizer = address(wallet);
        _deposit(c, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rows = _rows1(_row(c, 3e6, 3e6));
        settlement.claimWithSignature(rows, _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows));
        assertEq(_claimed(_channelId(c)), 3e6);
    }

    // ------------------------------------------------------------------------------------------------
    // settle
    // ------------------------------------------------------------------------------------------------

    function test_settle_sweepsClaimedFundsOnce() public {
        _deposit(config, DEPOSIT, 1);
        vm.prank(RECEIVER);
        settlement.claim(_rows1(_row(config, 4e6, 4e6)));
        vm.expectEmit(address(settlement));
        emit IX402BatchSettlement.Settled(RECEIVER, address(usdc), RELAYER, 4e6);
        vm.prank(RELAYER);
        settlement.settle(RECEIVER, address(usdc));
        assertEq(usdc.balanceOf(RECEIVER), 4e6);
        assertEq(usdc.balanceOf(address(settlement)), DEPOSIT - 4e6);
        (uint128 totalClaimed, uint128 totalSettled) = settlement.receivers(RECEIVER, address(usdc));
        assertEq(totalClaimed, 4e6);
        assertEq(totalSettled, 4e6);

        vm.recordLogs();
        settlement.settle(RECEIVER, address(usdc));
        assertEq(vm.getRecordedLogs().length, 0, "nothing pending: no event, no transfer");
        assertEq(usdc.balanceOf(RECEIVER), 4e6);
    }

    // ------------------------------------------------------------------------------------------------
    // refund / refundWithSignature
    // ------------------------------------------------------------------------------------------------

    function test_refund_returnsUnclaimedFundsAndCaps() public {
        _deposit(config, DEPOSIT, 1);
        vm.prank(RECEIVER);
        settlement.claim(_rows1(_row(config, 4e6, 4e6)));
        vm.expectEmit(address(settlement));
        emit IX402BatchSettlement.Refunded(channelId, receiverAuthorizer, DEPOSIT - 4e6);
        vm.prank(receiverAuthorizer);
        settlement.refund(config, type(uint128).max);
        assertEq(_balance(channelId), 4e6);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - 4e6);
        assertEq(settlement.refundNonce(channelId), 1);
        // Nothing left: a no-op that still bumps the nonce.
        vm.prank(RECEIVER);
        settlement.refund(config, 1);
        assertEq(settlement.refundNonce(channelId), 2);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - 4e6);
    }

    function test_refund_rejectsOtherCallersAndZero() public {
        _deposit(config, DEPOSIT, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelUnauthorizedCaller.selector, channelId, payer)
        );
        vm.prank(payer);
        settlement.refund(config, 1);
        vm.expectRevert(IX402BatchSettlement.ChannelZeroAmount.selector);
        vm.prank(RECEIVER);
        settlement.refund(config, 0);
    }

    function test_refundWithSignature_isSingleUse() public {
        _deposit(config, DEPOSIT, 1);
        bytes memory sig = _signRefund(RECEIVER_AUTHORIZER_KEY, channelId, 0, 3e6);
        vm.prank(RELAYER);
        settlement.refundWithSignature(config, 3e6, 0, sig);
        assertEq(_balance(channelId), DEPOSIT - 3e6);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - DEPOSIT + 3e6);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidRefundNonce.selector, channelId, 1, 0)
        );
        settlement.refundWithSignature(config, 3e6, 0, sig);
    }

    function test_refundWithSignature_rejectsAnotherSignerOrAmount() public {
        _deposit(config, DEPOSIT, 1);
        bytes memory sig = _signRefund(OTHER_KEY, channelId, 0, 3e6);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidAuthorizerSignature.selector, receiverAuthorizer)
        );
        settlement.refundWithSignature(config, 3e6, 0, sig);
        sig = _signRefund(RECEIVER_AUTHORIZER_KEY, channelId, 0, 3e6);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidAuthorizerSignature.selector, receiverAuthorizer)
        );
        settlement.refundWithSignature(config, 4e6, 0, sig);
    }

    /// A refund signed for one channel does not refund another channel (the id is in the signed struct).
    function test_refundWithSignature_rejectsAnotherChannel() public {
        IX402BatchSettlement.ChannelConfig memory second = _config(bytes32(uint256(2)));
        _deposit(config, DEPOSIT, 1);
        _deposit(second, DEPOSIT, 2);
        bytes memory sig = _signRefund(RECEIVER_AUTHORIZER_KEY, channelId, 0, 3e6);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidAuthorizerSignature.selector, receiverAuthorizer)
        );
        settlement.refundWithSignature(second, 3e6, 0, sig);
    }

    function test_refund_lowersOrClearsAPendingWithdrawal() public {
        _deposit(config, DEPOSIT, 1);
        vm.prank(payer);
        settlement.initiateWithdraw(config, 6e6);
        vm.prank(RECEIVER);
        settlement.refund(config, 2e6);
        (uint128 amount, uint40 initiatedAt) = settlement.pendingWithdrawals(channelId);
        assertEq(amount, 4e6);
        assertEq(initiatedAt, START_TIME);
        vm.prank(RECEIVER);
        settlement.refund(config, 4e6);
        (amount, initiatedAt) = settlement.pendingWithdrawals(channelId);
        assertEq(amount, 0);
        assertEq(initiatedAt, 0);
    }

    // ------------------------------------------------------------------------------------------------
    // initiateWithdraw / finalizeWithdraw
    // ------------------------------------------------------------------------------------------------

    function test_withdraw_paysThePayerAfterTheDelay() public {
        _deposit(config, DEPOSIT, 1);
        vm.expectEmit(address(settlement));
        emit IX402BatchSettlement.WithdrawInitiated(channelId, 6e6, uint40(START_TIME + DELAY));
        vm.prank(payer);
        settlement.initiateWithdraw(config, 6e6);

        vm.warp(START_TIME + DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelWithdrawDelayNotElapsed.selector,
                channelId,
                START_TIME + DELAY,
                START_TIME + DELAY - 1
            )
        );
        vm.prank(payer);
        settlement.finalizeWithdraw(config);

        vm.warp(START_TIME + DELAY);
        vm.expectEmit(address(settlement));
        emit IX402BatchSettlement.WithdrawFinalized(channelId, payer, 6e6);
        vm.prank(payer);
        settlement.finalizeWithdraw(config);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - DEPOSIT + 6e6);
        assertEq(_balance(channelId), DEPOSIT - 6e6);
        (, uint40 initiatedAt) = settlement.pendingWithdrawals(channelId);
        assertEq(initiatedAt, 0);
    }

    /// A claim that lands during the window wins: the withdrawal is capped at what is still unclaimed.
    function test_withdraw_isCappedByClaimsDuringTheWindow() public {
        _deposit(config, DEPOSIT, 1);
        vm.prank(payer);
        settlement.initiateWithdraw(config, DEPOSIT);
        vm.prank(RECEIVER);
        settlement.claim(_rows1(_row(config, 7e6, 7e6)));
        vm.warp(START_TIME + DELAY);
        vm.prank(payer);
        settlement.finalizeWithdraw(config);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - 7e6);
        assertEq(_balance(channelId), 7e6);
        settlement.settle(RECEIVER, address(usdc));
        assertEq(usdc.balanceOf(RECEIVER), 7e6);
        assertEq(usdc.balanceOf(address(settlement)), 0);
    }

    function test_initiateWithdraw_rejectsBadRequests() public {
        _deposit(config, DEPOSIT, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelUnauthorizedCaller.selector, channelId, RECEIVER)
        );
        vm.prank(RECEIVER);
        settlement.initiateWithdraw(config, 1);

        vm.startPrank(payer);
        vm.expectRevert(IX402BatchSettlement.ChannelZeroAmount.selector);
        settlement.initiateWithdraw(config, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelWithdrawExceedsAvailable.selector,
                channelId,
                DEPOSIT + 1,
                DEPOSIT
            )
        );
        settlement.initiateWithdraw(config, DEPOSIT + 1);
        settlement.initiateWithdraw(config, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IX402BatchSettlement.ChannelWithdrawalPending.selector,
                channelId,
                uint40(START_TIME)
            )
        );
        settlement.initiateWithdraw(config, 1);
        vm.stopPrank();
    }

    function test_finalizeWithdraw_requiresAPendingWithdrawal() public {
        _deposit(config, DEPOSIT, 1);
        vm.expectRevert(abi.encodeWithSelector(IX402BatchSettlement.ChannelNoPendingWithdrawal.selector, channelId));
        vm.prank(payer);
        settlement.finalizeWithdraw(config);
    }

    function test_withdraw_byThePayerAuthorizer() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(SALT);
        c.payerAuthorizer = payerAuthorizer;
        _deposit(c, DEPOSIT, 1);
        vm.prank(payerAuthorizer);
        settlement.initiateWithdraw(c, DEPOSIT);
        vm.warp(START_TIME + DELAY);
        vm.prank(payerAuthorizer);
        settlement.finalizeWithdraw(c);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE, "funds go to the payer, not the authorizer");
        assertEq(usdc.balanceOf(payerAuthorizer), 0);
    }

    // ------------------------------------------------------------------------------------------------
    // multicall
    // ------------------------------------------------------------------------------------------------

    /// The official facilitator's refund path: multicall(claimWithSignature, refundWithSignature).
    function test_multicall_claimsThenRefundsTheRest() public {
        _deposit(config, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rows = _rows1(_row(config, 3e6, 3e6));
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(
            settlement.claimWithSignature,
            (rows, _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows))
        );
        calls[1] = abi.encodeCall(
            settlement.refundWithSignature,
            (config, DEPOSIT, 0, _signRefund(RECEIVER_AUTHORIZER_KEY, channelId, 0, DEPOSIT))
        );
        vm.prank(RELAYER);
        settlement.multicall(calls);
        assertEq(_balance(channelId), 3e6);
        assertEq(_claimed(channelId), 3e6);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - 3e6);
        assertEq(settlement.refundNonce(channelId), 1);
    }

    // ------------------------------------------------------------------------------------------------
    // Cross-chain replay
    // ------------------------------------------------------------------------------------------------

    /// Vouchers and refunds signed on one chain are void on another, even for the same config and address.
    function test_signatures_doNotReplayAcrossChains() public {
        _deposit(config, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rows = _rows1(_row(config, 3e6, 3e6));
        bytes memory claimSig = _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows);
        bytes memory refundSig = _signRefund(RECEIVER_AUTHORIZER_KEY, channelId, 0, 1e6);

        vm.chainId(8453);
        bytes32 forkId = settlement.getChannelId(config);
        assertTrue(forkId != channelId, "the id moves with the chain");
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidAuthorizerSignature.selector, receiverAuthorizer)
        );
        settlement.claimWithSignature(rows, claimSig);
        vm.expectRevert(
            abi.encodeWithSelector(IX402BatchSettlement.ChannelInvalidAuthorizerSignature.selector, receiverAuthorizer)
        );
        settlement.refundWithSignature(config, 1e6, 0, refundSig);
    }
}
