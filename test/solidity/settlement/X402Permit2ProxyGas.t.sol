// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "../../../contracts/interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../../../contracts/interfaces/IX402Permit2Proxy.sol";
import {IX402ExactPermit2Proxy} from "../../../contracts/interfaces/IX402ExactPermit2Proxy.sol";
import {IX402UptoPermit2Proxy} from "../../../contracts/interfaces/IX402UptoPermit2Proxy.sol";
import {PERMIT2_ADDRESS} from "../utils/Permit2Etch.sol";
import {X402Permit2ProxyFixture} from "./X402Permit2ProxyFixture.sol";
import {vm} from "../utils/Vm.sol";

/// @dev The payee already holds tokens; nonces are random-looking 256-bit values.
abstract contract X402Permit2ProxyGasFixture is X402Permit2ProxyFixture {
    function setUp() public virtual override {
        super.setUp();
        token.faucet(PAY_TO, 1e6);
    }

    function _nonce(uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("permit2 proxy gas nonce", i)));
    }
}

/**
 * @notice One settlement per test, for `.gas-snapshot`: `exact` over Permit2 and `upto` (charging 0.01 of a signed
 * 1.00 maximum) by a payer who approved Permit2 once. The payee already holds tokens (a merchant); nonces are
 * random-looking 256-bit values as the official clients draw them (each opens a fresh word of Permit2's nonce bitmap).
 * Signing happens with gas metering paused and reads no state the call touches; each figure is the call (no
 * intrinsic or calldata cost).
 */
contract X402Permit2ProxyGasTest is X402Permit2ProxyGasFixture {
    function test_gas_exact_permit2_settle() public {
        vm.pauseGasMetering();
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, _nonce(1), block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, block.timestamp - 600);
        bytes memory sig = _signExact(p, w);
        vm.resumeGasMetering();
        exact.settle(p, payer, w, sig);
    }

    function test_gas_upto_settle() public {
        vm.pauseGasMetering();
        ISignatureTransfer.PermitTransferFrom memory p = _permit(1e6, _nonce(3), block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, block.timestamp - 600);
        bytes memory sig = _signUpto(p, w);
        vm.prank(FACILITATOR);
        vm.resumeGasMetering();
        upto.settle(p, PRICE, payer, w, sig);
    }
}

/**
 * @notice As {X402Permit2ProxyGasTest} for a payer who never approved Permit2: `settleWithPermit` applies the payer's
 * EIP-2612 permit of the token for Permit2 (the `eip2612GasSponsoring` extension), then settles.
 */
contract X402Permit2ProxyGasWithPermitTest is X402Permit2ProxyGasFixture {
    function setUp() public override {
        super.setUp();
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, 0);
    }

    function test_gas_exact_permit2_settleWithPermit() public {
        vm.pauseGasMetering();
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, _nonce(2), block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, block.timestamp - 600);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(PRICE, block.timestamp + 300, 0);
        bytes memory sig = _signExact(p, w);
        vm.resumeGasMetering();
        exact.settleWithPermit(permit2612, p, payer, w, sig);
    }

    function test_gas_upto_settleWithPermit() public {
        vm.pauseGasMetering();
        ISignatureTransfer.PermitTransferFrom memory p = _permit(1e6, _nonce(4), block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, block.timestamp - 600);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(1e6, block.timestamp + 300, 0);
        bytes memory sig = _signUpto(p, w);
        vm.prank(FACILITATOR);
        vm.resumeGasMetering();
        upto.settleWithPermit(permit2612, p, PRICE, payer, w, sig);
    }
}
