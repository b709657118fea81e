// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {Permit2DepositCollectorFixture} from "./Permit2DepositCollectorFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice One deposit per test, for `.gas-snapshot`, through the Permit2 collector (compare
 * `X402BatchSettlementGasTest#test_gas_deposit_*`, the ERC-3009 collector): a new channel, a top-up, and a new
 * channel whose deposit also applies the EIP-2612 permit that approves Permit2. Nonces are random-looking 256-bit
 * values as the official client draws them, so each one opens a fresh word of Permit2's nonce bitmap. Signing
 * happens with gas metering paused; each figure is the call (no intrinsic or calldata cost).
 */
contract Permit2DepositCollectorGasTest is Permit2DepositCollectorFixture {
    IX402BatchSettlement.ChannelConfig internal existing;

    function setUp() public override {
        super.setUp();
        existing = _config(bytes32(uint256(1)));
        _depositP2(
            existing,
            DEPOSIT,
            _p2Data(PAYER_KEY, _channelId(existing), DEPOSIT, _nonce(0), block.timestamp + 300)
        );
    }

    function _nonce(uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("permit2 gas nonce", i)));
    }

    function test_gas_deposit_permit2_newChannel() public {
        vm.pauseGasMetering();
        IX402BatchSettlement.ChannelConfig memory c = _config(bytes32(uint256(1_000)));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, _nonce(1), block.timestamp + 300);
        vm.resumeGasMetering();
        settlement.deposit(c, DEPOSIT, address(p2collector), data);
    }

    function test_gas_deposit_permit2_topUp() public {
        vm.pauseGasMetering();
        bytes memory data = _p2Data(PAYER_KEY, _channelId(existing), DEPOSIT, _nonce(2), block.timestamp + 300);
        vm.resumeGasMetering();
        settlement.deposit(existing, DEPOSIT, address(p2collector), data);
    }

    function test_gas_deposit_permit2_newChannelWithEip2612() public {
        vm.pauseGasMetering();
        vm.prank(payer);
        usdc.approve(PERMIT2, 0);
        IX402BatchSettlement.ChannelConfig memory c = _config(bytes32(uint256(2_000)));
        bytes memory data = _withPermit(
            _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, _nonce(3), block.timestamp + 300),
            _eip2612Data(PAYER_KEY, DEPOSIT, block.timestamp + 300)
        );
        vm.resumeGasMetering();
        settlement.deposit(c, DEPOSIT, address(p2collector), data);
    }
}
