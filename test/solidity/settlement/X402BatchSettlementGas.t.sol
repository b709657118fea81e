// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {X402BatchSettlementFixture} from "./X402BatchSettlementFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice One operation per test, for `.gas-snapshot`: a deposit through the ERC-3009 collector, claimWithSignature
 * over 1, 10 and 100 channels, settle, refund, refundWithSignature and a timed withdrawal. Signing and building the
 * rows happens with gas metering paused, so each figure is the operation (as an internal call: no intrinsic or
 * calldata cost; the node:test gas report in test/contracts/settlement gives transaction gas).
 */
contract X402BatchSettlementGasTest is X402BatchSettlementFixture {
    uint256 internal constant CHANNELS = 100;
    uint128 internal constant CLAIM = 30_000;

    IX402BatchSettlement.ChannelConfig[] internal configs;

    function setUp() public override {
        super.setUp();
        _mintTo(payer, 2 * DEPOSIT); // the 100 channels take INITIAL_BALANCE; this pays for the measured deposits
        for (uint256 i = 0; i < CHANNELS; ++i) {
            configs.push(_config(bytes32(i + 1)));
            _deposit(configs[i], DEPOSIT, i + 1);
        }
    }

    function _claimRows(uint256 n) internal view returns (IX402BatchSettlement.VoucherClaim[] memory rows) {
        rows = new IX402BatchSettlement.VoucherClaim[](n);
        for (uint256 i = 0; i < n; ++i) rows[i] = _row(configs[i], CLAIM, CLAIM);
    }

    function _claimWithSignature(uint256 n) internal {
        vm.pauseGasMetering();
        IX402BatchSettlement.VoucherClaim[] memory rows = _claimRows(n);
        bytes memory sig = _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows);
        vm.resumeGasMetering();
        settlement.claimWithSignature(rows, sig);
        vm.pauseGasMetering();
        assertEq(_claimed(_channelId(configs[n - 1])), CLAIM);
        vm.resumeGasMetering();
    }

    function test_gas_deposit_newChannel() public {
        vm.pauseGasMetering();
        IX402BatchSettlement.ChannelConfig memory c = _config(bytes32(uint256(1_000)));
        bytes memory data = _collectorData(PAYER_KEY, c, DEPOSIT, 1_000);
        vm.resumeGasMetering();
        settlement.deposit(c, DEPOSIT, address(collector), data);
    }

    function test_gas_deposit_topUp() public {
        vm.pauseGasMetering();
        bytes memory data = _collectorData(PAYER_KEY, configs[0], DEPOSIT, 1_000);
        vm.resumeGasMetering();
        settlement.deposit(configs[0], DEPOSIT, address(collector), data);
    }

    function test_gas_claimWithSignature_1voucher() public {
        _claimWithSignature(1);
    }

    function test_gas_claimWithSignature_10vouchers() public {
        _claimWithSignature(10);
    }

    function test_gas_claimWithSignature_100vouchers() public {
        _claimWithSignature(100);
    }

    function test_gas_settle_afterA100VoucherClaim() public {
        vm.pauseGasMetering();
        IX402BatchSettlement.VoucherClaim[] memory rows = _claimRows(CHANNELS);
        settlement.claimWithSignature(rows, _signClaimBatch(RECEIVER_AUTHORIZER_KEY, rows));
        vm.resumeGasMetering();
        settlement.settle(RECEIVER, address(usdc));
    }

    function test_gas_refund() public {
        vm.prank(RECEIVER);
        settlement.refund(configs[0], DEPOSIT);
    }

    function test_gas_refundWithSignature() public {
        vm.pauseGasMetering();
        bytes memory sig = _signRefund(RECEIVER_AUTHORIZER_KEY, _channelId(configs[0]), 0, DEPOSIT);
        vm.resumeGasMetering();
        settlement.refundWithSignature(configs[0], DEPOSIT, 0, sig);
    }

    function test_gas_withdraw_initiateAndFinalize() public {
        vm.prank(payer);
        settlement.initiateWithdraw(configs[0], DEPOSIT);
        vm.warp(block.timestamp + DELAY);
        vm.prank(payer);
        settlement.finalizeWithdraw(configs[0]);
    }
}
