// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {X402BatchSettlementFixture} from "./X402BatchSettlementFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice Property tests of the channel contract. Single-call properties (withdrawal timing, replay across
 * channels and chains) and invariant-style runs: a seed drives a random sequence of deposits, claims (valid,
 * stale, replayed, over the ceiling), settles, refunds and timed withdrawals by all parties over two channels, and
 * after every step the books must hold:
 *
 * - a channel's `totalClaimed` never falls, and never exceeds its `balance` or the highest voucher the payer signed;
 * - the contract holds exactly the unclaimed balances plus the claimed-but-unsettled amounts (nothing created or lost);
 * - the payer has lost exactly the channels' balances, and, once everything unclaimed is refunded, no more than the
 *   highest vouchers it signed.
 */
contract X402BatchSettlementFuzzTest is X402BatchSettlementFixture {
    uint256 internal constant STEPS = 16;
    uint256 internal constant CHANNELS = 2;

    IX402BatchSettlement.ChannelConfig[CHANNELS] internal configs;
    bytes32[CHANNELS] internal ids;
    /// @dev Highest `maxClaimableAmount` the payer signed per channel.
    uint128[CHANNELS] internal highestVoucher;
    /// @dev `totalClaimed` seen after the previous step.
    uint128[CHANNELS] internal lastClaimed;
    uint256 internal depositSalt;

    function setUp() public override {
        super.setUp();
        for (uint256 c = 0; c < CHANNELS; ++c) {
            configs[c] = _config(bytes32(c + 1));
            ids[c] = _channelId(configs[c]);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Single-call properties
    // ------------------------------------------------------------------------------------------------

    /// "withdrawDelay: Seconds before timed withdrawal completes": finalize succeeds exactly from the delay on.
    function testFuzz_finalizeWithdraw_onlyAfterTheDelay(uint40 delay, uint256 wait) public {
        delay = uint40(bound(delay, 15 minutes, 30 days));
        wait = bound(wait, 0, 60 days);
        IX402BatchSettlement.ChannelConfig memory c = _config(bytes32(uint256(7)));
        c.withdrawDelay = delay;
        bytes32 id = _channelId(c);
        _deposit(c, DEPOSIT, 1);
        vm.prank(payer);
        settlement.initiateWithdraw(c, DEPOSIT);
        vm.warp(START_TIME + wait);
        vm.prank(payer);
        (bool ok, ) = address(settlement).call(abi.encodeCall(settlement.finalizeWithdraw, (c)));
        assertTrue(ok == (wait >= delay), "finalize succeeds iff the delay elapsed");
        assertEq(_balance(id), ok ? 0 : DEPOSIT);
        assertEq(usdc.balanceOf(payer), ok ? INITIAL_BALANCE : INITIAL_BALANCE - DEPOSIT);
    }

    /// A voucher signed for one channel never pays out of another, whatever the salts and amounts.
    function testFuzz_claim_voucherDoesNotReplayAcrossChannels(bytes32 saltA, bytes32 saltB, uint128 amount) public {
        vm.assume(saltA != saltB);
        amount = uint128(bound(amount, 1, DEPOSIT));
        IX402BatchSettlement.ChannelConfig memory a = _config(saltA);
        IX402BatchSettlement.ChannelConfig memory b = _config(saltB);
        _deposit(b, DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim memory row = _row(b, amount, amount);
        row.signature = _signVoucher(PAYER_KEY, _channelId(a), amount);
        vm.prank(RECEIVER);
        (bool ok, ) = address(settlement).call(abi.encodeCall(settlement.claim, (_rows1(row))));
        assertFalse(ok, "a voucher of channel A cannot claim from channel B");
        assertEq(_claimed(_channelId(b)), 0);
    }

    /// Vouchers and refund signatures of one chain are void on any other chain (same config, same address).
    function testFuzz_signatures_doNotReplayAcrossChains(uint64 otherChain, uint128 amount) public {
        vm.assume(otherChain != block.chainid && otherChain != 0);
        amount = uint128(bound(amount, 1, DEPOSIT));
        IX402BatchSettlement.ChannelConfig memory c = configs[0];
        IX402BatchSettlement.VoucherClaim memory row = _row(c, amount, amount); // signed on this chain
        bytes memory refundSig = _signRefund(RECEIVER_AUTHORIZER_KEY, _channelId(c), 0, amount);

        vm.chainId(otherChain);
        _deposit(c, DEPOSIT, 1); // the same config funded on the other chain
        bytes32 otherId = _channelId(c);
        vm.prank(RECEIVER);
        (bool claimed, ) = address(settlement).call(abi.encodeCall(settlement.claim, (_rows1(row))));
        assertFalse(claimed, "voucher replayed on another chain");
        (bool refunded, ) = address(settlement).call(
            abi.encodeCall(settlement.refundWithSignature, (c, amount, 0, refundSig))
        );
        assertFalse(refunded, "refund replayed on another chain");
        assertEq(_claimed(otherId), 0);
        assertEq(_balance(otherId), DEPOSIT);
    }

    /// Replaying an applied claim batch, or any older voucher, never raises the claim again.
    function testFuzz_claimWithSignature_replayIsANoOp(uint128 first, uint128 second) public {
        first = uint128(bound(first, 1, DEPOSIT));
        second = uint128(bound(second, 1, DEPOSIT));
        _deposit(configs[0], DEPOSIT, 1);
        IX402BatchSettlement.VoucherClaim[] memory rowsA = _rows1(_row(configs[0], first, first));
        bytes memory sigA = _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rowsA);
        IX402BatchSettlement.VoucherClaim[] memory rowsB = _rows1(_row(configs[0], second, second));
        bytes memory sigB = _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rowsB);
        settlement.claimWithSignature(rowsA, sigA);
        settlement.claimWithSignature(rowsB, sigB);
        settlement.claimWithSignature(rowsA, sigA);
        uint128 highest = first > second ? first : second;
        assertEq(_claimed(ids[0]), highest, "the claim is the highest cumulative total, never a sum");
        (uint128 receiverClaimed, ) = settlement.receivers(RECEIVER, address(usdc));
        assertEq(receiverClaimed, highest);
    }

    // ------------------------------------------------------------------------------------------------
    // Random operation sequences
    // ------------------------------------------------------------------------------------------------

    function testFuzz_randomOperations_keepTheBooks(uint256 seed) public {
        for (uint256 step = 0; step < STEPS; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 c = r % CHANNELS;
            uint256 op = (r >> 8) % 8;
            uint128 amount = uint128(bound(r >> 16, 1, 4 * DEPOSIT));
            if (op == 0) _stepDeposit(c, amount);
            else if (op == 1 || op == 2) _stepClaim(c, amount, r >> 160);
            else if (op == 3) settlement.settle(RECEIVER, address(usdc));
            else if (op == 4) _stepRefund(c, amount, (r >> 200) & 1 == 0);
            else if (op == 5) _tryAs(payer, abi.encodeCall(settlement.initiateWithdraw, (configs[c], amount)));
            else if (op == 6) {
                vm.warp(block.timestamp + ((r >> 200) % (2 * DELAY)));
                _tryAs(payer, abi.encodeCall(settlement.finalizeWithdraw, (configs[c])));
            } else {
                _stepClaimWithSignature(amount, r >> 160); // a batch over both channels
            }
            _checkInvariants();
        }
        // Close out: refund everything unclaimed. The payer has then paid exactly what was claimed, which is no
        // more than the highest vouchers it signed.
        uint256 paid;
        uint256 signed;
        for (uint256 c = 0; c < CHANNELS; ++c) {
            vm.prank(RECEIVER);
            settlement.refund(configs[c], type(uint128).max);
            paid += _claimed(ids[c]);
            signed += highestVoucher[c];
        }
        _checkInvariants();
        assertEq(INITIAL_BALANCE - usdc.balanceOf(payer), paid, "the payer lost exactly the claims");
        assertLe(paid, signed);
        settlement.settle(RECEIVER, address(usdc));
        assertEq(usdc.balanceOf(RECEIVER), paid, "the receiver got exactly the claims");
        assertEq(usdc.balanceOf(address(settlement)), 0, "nothing stays behind");
    }

    function _stepDeposit(uint256 c, uint128 amount) private {
        bytes memory data = _collectorData(PAYER_KEY, configs[c], amount, ++depositSalt);
        settlement.deposit(configs[c], amount, address(collector), data);
    }

    /// @dev A voucher for a random ceiling around the current claim, claimed at a random total (sometimes above the
    /// ceiling or the balance, sometimes stale); it either applies, is skipped, or reverts.
    function _stepClaim(uint256 c, uint128 amount, uint256 r) private {
        uint128 ceiling = uint128(bound(r, 0, uint256(_claimed(ids[c])) + amount));
        uint128 total = uint128(bound(r >> 64, 0, uint256(ceiling) + ((r >> 128) & 1) * amount));
        IX402BatchSettlement.VoucherClaim memory row = _row(configs[c], ceiling, total);
        if (ceiling > highestVoucher[c]) highestVoucher[c] = ceiling;
        _tryAs((r >> 192) & 1 == 0 ? RECEIVER : receiverAuthorizer, abi.encodeCall(settlement.claim, (_rows1(row))));
        if ((r >> 193) & 1 == 0) {
            // An outsider replays the same row: it must never apply.
            uint128 before = _claimed(ids[c]);
            _tryAs(other, abi.encodeCall(settlement.claim, (_rows1(row))));
            assertEq(_claimed(ids[c]), before, "an outsider cannot claim");
        }
    }

    function _stepClaimWithSignature(uint128 amount, uint256 r) private {
        IX402BatchSettlement.VoucherClaim[] memory rows = new IX402BatchSettlement.VoucherClaim[](CHANNELS);
        for (uint256 c = 0; c < CHANNELS; ++c) {
            uint128 ceiling = uint128(bound(r >> (c * 32), 0, uint256(_claimed(ids[c])) + amount));
            rows[c] = _row(configs[c], ceiling, ceiling);
            if (ceiling > highestVoucher[c]) highestVoucher[c] = ceiling;
        }
        bytes memory sig = _signClaimBatch((r >> 200) & 1 == 0 ? RECEIVER_AUTHORIZER_KEY : OTHER_KEY, rows);
        _tryAs(RELAYER, abi.encodeCall(settlement.claimWithSignature, (rows, sig)));
    }

    function _stepRefund(uint256 c, uint128 amount, bool signed) private {
        if (!signed) {
            _tryAs(RECEIVER, abi.encodeCall(settlement.refund, (configs[c], amount)));
            return;
        }
        uint256 nonce = settlement.refundNonce(ids[c]);
        bytes memory sig = _signRefund(RECEIVER_AUTHORIZER_KEY, ids[c], nonce, amount);
        _tryAs(RELAYER, abi.encodeCall(settlement.refundWithSignature, (configs[c], amount, nonce, sig)));
        // The same signature never works twice.
        _tryAs(RELAYER, abi.encodeCall(settlement.refundWithSignature, (configs[c], amount, nonce, sig)));
        assertEq(settlement.refundNonce(ids[c]), nonce + 1, "one refund per signature");
    }

    function _tryAs(address caller, bytes memory data) private {
        vm.prank(caller);
        (bool ok, ) = address(settlement).call(data);
        ok; // failures are part of the sequence; the invariants decide
    }

    function _checkInvariants() private {
        uint256 held;
        uint256 balances;
        for (uint256 c = 0; c < CHANNELS; ++c) {
            (uint128 balance, uint128 totalClaimed) = settlement.channels(ids[c]);
            assertGe(totalClaimed, lastClaimed[c]);
            assertLe(totalClaimed, balance);
            assertLe(totalClaimed, highestVoucher[c]);
            lastClaimed[c] = totalClaimed;
            held += balance - totalClaimed;
            balances += balance;
            (uint128 pendingAmount, uint40 initiatedAt) = settlement.pendingWithdrawals(ids[c]);
            if (initiatedAt == 0) assertEq(pendingAmount, 0);
        }
        (uint128 receiverClaimed, uint128 receiverSettled) = settlement.receivers(RECEIVER, address(usdc));
        assertLe(receiverSettled, receiverClaimed);
        held += receiverClaimed - receiverSettled;
        assertEq(usdc.balanceOf(address(settlement)), held, "the contract holds exactly what it owes");
        assertEq(INITIAL_BALANCE - usdc.balanceOf(payer), balances, "the payer lost exactly the channel balances");
    }
}
