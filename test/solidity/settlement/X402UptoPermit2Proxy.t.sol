// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "../../../contracts/interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../../../contracts/interfaces/IX402Permit2Proxy.sol";
import {IX402UptoPermit2Proxy} from "../../../contracts/interfaces/IX402UptoPermit2Proxy.sol";
import {PERMIT2_ADDRESS} from "../utils/Permit2Etch.sol";
import {IPermit2ProxyPermit2Errors, X402Permit2ProxyFixture} from "./X402Permit2ProxyFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @title X402UptoPermit2ProxyTest
 * @notice x402kit's `upto` Permit2 proxy at the official address, through the real Permit2: the named facilitator
 * charges any amount up to the signed maximum, once; the signature binds recipient, facilitator, maximum, token,
 * validAfter, chain and proxy; validAfter, deadline and nonce; the optional EIP-2612 permit.
 */
contract X402UptoPermit2ProxyTest is X402Permit2ProxyFixture {
    uint256 internal constant MAX = 1_000_000; // 1.00 of a 6-decimals token

    function _settle(
        ISignatureTransfer.PermitTransferFrom memory p,
        uint256 amount,
        IX402UptoPermit2Proxy.Witness memory w,
        bytes memory sig
    ) internal {
        vm.prank(FACILITATOR);
        upto.settle(p, amount, payer, w, sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------------

    function test_witness_matchesTheOfficialTypes() public view {
        assertEq(upto.WITNESS_TYPEHASH(), UPTO_WITNESS_TYPEHASH, "witness type hash");
        bytes32 full = keccak256(
            abi.encodePacked(
                "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,",
                upto.WITNESS_TYPE_STRING()
            )
        );
        assertEq(full, UPTO_PERMIT_TYPEHASH, "PermitWitnessTransferFrom type hash");
        assertEq(address(upto.PERMIT2()), PERMIT2_ADDRESS, "Permit2");
    }

    // ------------------------------------------------------------------------------------------------
    // Happy path
    // ------------------------------------------------------------------------------------------------

    function test_settle_chargesTheUsageBelowTheMaximum() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, block.timestamp - 600);
        bytes memory sig = _signUpto(p, w);
        vm.expectEmit(UPTO_PROXY);
        emit IX402Permit2Proxy.Settled();
        _settle(p, PRICE, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "payee received the usage");
        assertEq(token.balanceOf(payer), INITIAL_BALANCE - PRICE, "payer paid the usage, not the maximum");
        assertEq(token.balanceOf(UPTO_PROXY), 0, "nothing stays in the proxy");
        assertEq(token.balanceOf(FACILITATOR), 0, "nothing goes to the facilitator");
        assertTrue(_nonceUsed(payer, 1), "nonce used");
    }

    function test_settle_chargesTheFullMaximum() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        _settle(p, MAX, w, _signUpto(p, w));
        assertEq(token.balanceOf(PAY_TO), MAX, "the maximum itself is allowed");
    }

    /// "The permit nonce is used up whatever `amount` is (zero included): one settlement per signature."
    function test_settle_spendsTheNonceOnAZeroCharge() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 9, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        _settle(p, 0, w, sig);
        assertEq(token.balanceOf(payer), INITIAL_BALANCE, "nothing charged");
        assertTrue(_nonceUsed(payer, 9), "nonce used");
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidNonce.selector));
        _settle(p, PRICE, w, sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Amount and facilitator
    // ------------------------------------------------------------------------------------------------

    /// Requirements: `amount <= permit.permitted.amount` ({AmountExceedsPermitted}).
    function test_settle_rejectsAnAmountAboveTheMaximum() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        vm.expectRevert(abi.encodeWithSelector(IX402UptoPermit2Proxy.AmountExceedsPermitted.selector));
        _settle(p, MAX + 1, w, sig);
        assertFalse(_nonceUsed(payer, 1), "nonce still unused");
    }

    /// Raising the permitted maximum to cover a larger charge breaks the signature.
    function test_settle_rejectsARaisedMaximum() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        p.permitted.amount = MAX * 2;
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, MAX * 2, w, sig);
    }

    /// Requirements: `msg.sender == witness.facilitator` ({UnauthorizedFacilitator}).
    function test_settle_rejectsACallerOtherThanTheWitnessFacilitator() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        vm.prank(RELAYER);
        vm.expectRevert(abi.encodeWithSelector(IX402UptoPermit2Proxy.UnauthorizedFacilitator.selector));
        upto.settle(p, PRICE, payer, w, sig);
    }

    /// Another caller naming itself as the facilitator changes the witness: the payer's signature fails.
    function test_settle_rejectsASubstitutedFacilitator() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        bytes memory sig = _signUpto(p, _uptoWitness(PAY_TO, FACILITATOR, 0));
        vm.prank(RELAYER);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        upto.settle(p, PRICE, payer, _uptoWitness(PAY_TO, RELAYER, 0), sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Binding
    // ------------------------------------------------------------------------------------------------

    function test_settle_rejectsAnotherPayTo() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        bytes memory sig = _signUpto(p, _uptoWitness(PAY_TO, FACILITATOR, 0));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, PRICE, _uptoWitness(RELAYER, FACILITATOR, 0), sig);
    }

    function test_settle_rejectsAnotherValidAfter() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        bytes memory sig = _signUpto(p, _uptoWitness(PAY_TO, FACILITATOR, block.timestamp));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, PRICE, _uptoWitness(PAY_TO, FACILITATOR, 0), sig);
    }

    function test_settle_rejectsAReplayOnAnotherChain() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        uint256 snapshot = vm.snapshotState();
        vm.chainId(block.chainid + 1);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, PRICE, w, sig);
        vm.revertToState(snapshot);
        _settle(p, PRICE, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "valid on the chain it was signed for");
    }

    /// An `exact` signature (other spender, other witness type) does not settle through the upto proxy.
    function test_settle_rejectsAnExactPaymentSignature() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        bytes memory sig = _signExact(p, _exactWitness(PAY_TO, 0));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, PRICE, _uptoWitness(PAY_TO, FACILITATOR, 0), sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Validity window, nonce, arguments
    // ------------------------------------------------------------------------------------------------

    function test_settle_rejectsBeforeValidAfter() public {
        uint256 validAfter = block.timestamp + 60;
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, validAfter);
        bytes memory sig = _signUpto(p, w);
        vm.warp(validAfter - 1);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.PaymentTooEarly.selector));
        _settle(p, PRICE, w, sig);
        vm.warp(validAfter);
        _settle(p, PRICE, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "valid from validAfter on");
    }

    function test_settle_rejectsAfterTheDeadline() public {
        uint256 deadline = block.timestamp + 300;
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, deadline);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.SignatureExpired.selector, deadline));
        _settle(p, PRICE, w, sig);
        vm.warp(deadline);
        _settle(p, PRICE, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "valid up to and including the deadline");
    }

    function test_settle_consumesTheNonceOnce() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 42, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        _settle(p, PRICE, w, sig);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidNonce.selector));
        _settle(p, PRICE, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "charged once");
    }

    function test_settle_rejectsTheZeroOwner() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        vm.prank(FACILITATOR);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.InvalidOwner.selector));
        upto.settle(p, PRICE, address(0), w, sig);
    }

    function test_settle_rejectsTheZeroDestination() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(address(0), FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.InvalidDestination.selector));
        _settle(p, PRICE, w, sig);
    }

    // ------------------------------------------------------------------------------------------------
    // EIP-2612
    // ------------------------------------------------------------------------------------------------

    function test_settleWithPermit_appliesTheEip2612PermitToPermit2() public {
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(MAX, block.timestamp + 300);
        bytes memory sig = _signUpto(p, w);
        vm.expectEmit(UPTO_PROXY);
        emit IX402Permit2Proxy.SettledWithPermit();
        vm.prank(FACILITATOR);
        upto.settleWithPermit(permit2612, p, PRICE, payer, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "charged the usage");
        assertEq(token.allowance(payer, PERMIT2_ADDRESS), MAX - PRICE, "Permit2 allowance left from the maximum");
    }

    function test_settleWithPermit_rejectsAPermitBelowTheMaximum() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(MAX - 1, block.timestamp + 300);
        bytes memory sig = _signUpto(p, w);
        vm.prank(FACILITATOR);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.Permit2612AmountMismatch.selector));
        upto.settleWithPermit(permit2612, p, PRICE, payer, w, sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Fuzz
    // ------------------------------------------------------------------------------------------------

    /// A payer is never charged more than the maximum it signed: any charge up to it settles exactly, any charge
    /// above it reverts and moves nothing.
    function testFuzz_settle_neverChargesMoreThanSigned(uint256 maxAmount, uint256 amount, uint256 nonce) public {
        maxAmount = bound(maxAmount, 0, INITIAL_BALANCE);
        amount = bound(amount, 0, INITIAL_BALANCE + 1);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(maxAmount, nonce, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        if (amount > maxAmount) {
            vm.expectRevert(abi.encodeWithSelector(IX402UptoPermit2Proxy.AmountExceedsPermitted.selector));
        }
        _settle(p, amount, w, sig);
        uint256 charged = INITIAL_BALANCE - token.balanceOf(payer);
        assertLe(charged, maxAmount);
        assertEq(charged, amount > maxAmount ? 0 : amount, "charged exactly the settled amount");
        assertEq(token.balanceOf(PAY_TO), charged, "the payee got all of it");
    }

    function testFuzz_settle_rejectsAnyCallerButTheFacilitator(address caller) public {
        vm.assume(caller != FACILITATOR);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IX402UptoPermit2Proxy.UnauthorizedFacilitator.selector));
        upto.settle(p, PRICE, payer, w, sig);
    }

    function testFuzz_settle_rejectsAnyOtherPayTo(address payTo) public {
        vm.assume(payTo != PAY_TO && payTo != address(0));
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        bytes memory sig = _signUpto(p, _uptoWitness(PAY_TO, FACILITATOR, 0));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, PRICE, _uptoWitness(payTo, FACILITATOR, 0), sig);
    }

    function testFuzz_settle_rejectsAnyOtherMaximum(uint256 signed, uint256 submitted) public {
        signed = bound(signed, 0, INITIAL_BALANCE);
        submitted = bound(submitted, 0, INITIAL_BALANCE);
        vm.assume(signed != submitted);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(_permit(signed, 1, block.timestamp + 300), w);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(_permit(submitted, 1, block.timestamp + 300), 0, w, sig);
    }

    function testFuzz_settle_rejectsAReplayOnAnyOtherChain(uint64 chainId) public {
        vm.assume(chainId != block.chainid && chainId != 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _signUpto(p, w);
        vm.chainId(chainId);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, PRICE, w, sig);
    }

    function testFuzz_settle_rejectsASignatureForAnyOtherSpender(address spender) public {
        vm.assume(spender != UPTO_PROXY);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(MAX, 1, block.timestamp + 300);
        IX402UptoPermit2Proxy.Witness memory w = _uptoWitness(PAY_TO, FACILITATOR, 0);
        bytes memory sig = _sign(PAYER_KEY, _uptoDigest(p, spender, w));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        _settle(p, PRICE, w, sig);
    }
}
