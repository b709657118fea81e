// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "../../../contracts/interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../../../contracts/interfaces/IX402Permit2Proxy.sol";
import {IX402ExactPermit2Proxy} from "../../../contracts/interfaces/IX402ExactPermit2Proxy.sol";
import {IX402UptoPermit2Proxy} from "../../../contracts/interfaces/IX402UptoPermit2Proxy.sol";
import {PERMIT2_ADDRESS} from "../utils/Permit2Etch.sol";
import {X402Permit2ProxyFixture} from "./X402Permit2ProxyFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice One settlement per test, for `.gas-snapshot`: `exact` over Permit2 and `upto`, each plain and with the
 * EIP-2612 permit that approves Permit2 in the same call. The payee already holds tokens (a merchant), nonces are
 * random-looking 256-bit values as the official client draws them (each opens a fresh word of Permit2's nonce
 * bitmap). Signing happens with gas metering paused; each figure is the call (no intrinsic or calldata cost).
 */
contract X402Permit2ProxyGasTest is X402Permit2ProxyFixture {
    function setUp() public override {
        super.setUp();
        token.faucet(PAY_TO, 1e6);
    }

    function _nonce(uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("permit2 proxy gas nonce", i)));
    }

    function test_gas_exact_permit2_settle() public {
        vm.pauseGasMetering();
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, _nonce(1), block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, block.timestamp - 600);
        bytes memory sig = _signExact(p, w);
        vm.resumeGasMetering();
        exact.settle(p, payer, w, sig);
    }

    function test_gas_exact_permit2_settleWithPermit() public {
        vm.pauseGasMetering();
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, _nonce(2), block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, block.timestamp - 600);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(PRICE, block.timestamp + 300);
        bytes memory sig = _signExact(p, w);
        vm.resumeGasMetering();
        exact.settleWithPermit(permit2612, p, payer, w, sig);
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

    function test_gas_upto_settleWithPermit() public {
        vm.pauseGasMetering();
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(1e6, _nonce(4), block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, block.timestamp - 600);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(1e6, block.timestamp + 300);
        bytes memory sig = _signUpto(p, w);
        vm.prank(FACILITATOR);
        vm.resumeGasMetering();
        upto.settleWithPermit(permit2612, p, PRICE, payer, w, sig);
    }
}
