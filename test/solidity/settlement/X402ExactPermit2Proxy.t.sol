// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "../../../contracts/interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../../../contracts/interfaces/IX402Permit2Proxy.sol";
import {IX402ExactPermit2Proxy} from "../../../contracts/interfaces/IX402ExactPermit2Proxy.sol";
import {PERMIT2_ADDRESS} from "../utils/Permit2Etch.sol";
import {IPermit2ProxyPermit2Errors, X402Permit2ProxyFixture} from "./X402Permit2ProxyFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @title X402ExactPermit2ProxyTest
 * @notice x402kit's `exact` Permit2 proxy at the official address, through the real Permit2: exactly the signed
 * amount moves to the signed recipient; the signature binds recipient, amount, token, validAfter, chain and proxy;
 * validAfter, deadline and nonce; the optional EIP-2612 permit.
 */
contract X402ExactPermit2ProxyTest is X402Permit2ProxyFixture {
    // ------------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------------

    function test_witness_matchesTheOfficialTypes() public view {
        assertEq(exact.WITNESS_TYPEHASH(), EXACT_WITNESS_TYPEHASH, "witness type hash");
        // Permit2 hashes its stub followed by the witness type string: that must be the official full type.
        bytes32 full = keccak256(
            abi.encodePacked(
                "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,",
                exact.WITNESS_TYPE_STRING()
            )
        );
        assertEq(full, EXACT_PERMIT_TYPEHASH, "PermitWitnessTransferFrom type hash");
        assertEq(address(exact.PERMIT2()), PERMIT2_ADDRESS, "Permit2");
    }

    // ------------------------------------------------------------------------------------------------
    // Happy path
    // ------------------------------------------------------------------------------------------------

    function test_settle_movesExactlyThePermittedAmountToTheWitnessRecipient() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, block.timestamp - 600);
        bytes memory sig = _signExact(p, w);
        vm.expectEmit(EXACT_PROXY);
        emit IX402Permit2Proxy.Settled();
        vm.prank(RELAYER);
        exact.settle(p, payer, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "payee received the price");
        assertEq(token.balanceOf(payer), INITIAL_BALANCE - PRICE, "payer paid the price");
        assertEq(token.balanceOf(EXACT_PROXY), 0, "nothing stays in the proxy");
        assertEq(token.balanceOf(RELAYER), 0, "nothing goes to the settler");
        assertTrue(_nonceUsed(payer, 1), "nonce used");
    }

    // ------------------------------------------------------------------------------------------------
    // Binding: the witness and the permit cannot be replayed under other terms
    // ------------------------------------------------------------------------------------------------

    /// IX402ExactPermit2Proxy: "exactly the permitted amount goes to the recipient" the payer signed.
    function test_settle_rejectsAnotherPayTo() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        bytes memory sig = _signExact(p, _exactWitness(PAY_TO, 0));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, _exactWitness(RELAYER, 0), sig);
        assertEq(token.balanceOf(payer), INITIAL_BALANCE, "nothing moved");
    }

    function test_settle_rejectsAnotherAmount() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        p.permitted.amount = PRICE + 1;
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
    }

    function test_settle_rejectsAnotherToken() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        p.permitted.token = address(0xDEAD);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
    }

    function test_settle_rejectsAnotherValidAfter() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        bytes memory sig = _signExact(p, _exactWitness(PAY_TO, block.timestamp));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, _exactWitness(PAY_TO, 0), sig);
    }

    function test_settle_rejectsAnotherOwner() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _sign(OTHER_KEY, _exactDigest(p, EXACT_PROXY, w));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
    }

    function test_settle_rejectsAReplayOnAnotherChain() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        uint256 snapshot = vm.snapshotState();
        vm.chainId(block.chainid + 1);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
        vm.revertToState(snapshot);
        exact.settle(p, payer, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "valid on the chain it was signed for");
    }

    /// The spender in the signed permit is the proxy: a payment signed for the upto proxy (or any other
    /// spender) does not settle through the exact proxy.
    function test_settle_rejectsASignatureForAnotherProxy() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _sign(PAYER_KEY, _exactDigest(p, UPTO_PROXY, w));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Validity window and nonce
    // ------------------------------------------------------------------------------------------------

    /// Requirements: `block.timestamp >= witness.validAfter` ({PaymentTooEarly}).
    function test_settle_rejectsBeforeValidAfter() public {
        uint256 validAfter = block.timestamp + 60;
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, validAfter);
        bytes memory sig = _signExact(p, w);
        vm.warp(validAfter - 1);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.PaymentTooEarly.selector));
        exact.settle(p, payer, w, sig);
        vm.warp(validAfter);
        exact.settle(p, payer, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "valid from validAfter on");
    }

    /// Permit2 enforces `block.timestamp <= permit.deadline` (`SignatureExpired(deadline)`).
    function test_settle_rejectsAfterTheDeadline() public {
        uint256 deadline = block.timestamp + 300;
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, deadline);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.SignatureExpired.selector, deadline));
        exact.settle(p, payer, w, sig);
        vm.warp(deadline);
        exact.settle(p, payer, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "valid up to and including the deadline");
    }

    /// "each permit nonce settles once".
    function test_settle_consumesTheNonceOnce() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 42, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        assertFalse(_nonceUsed(payer, 42), "fresh nonce");
        exact.settle(p, payer, w, sig);
        assertTrue(_nonceUsed(payer, 42), "nonce used");
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidNonce.selector));
        exact.settle(p, payer, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "paid once");
    }

    /// A nonce spent through the upto proxy (or anywhere else in Permit2) cannot settle an exact payment.
    function test_settle_sharesPermit2NoncesWithOtherSpenders() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 7, block.timestamp + 300);
        vm.prank(FACILITATOR);
        upto.settle(
            p,
            PRICE,
            payer,
            _uptoWitness(PAY_TO, FACILITATOR, 0),
            _signUpto(p, _uptoWitness(PAY_TO, FACILITATOR, 0))
        );
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidNonce.selector));
        exact.settle(p, payer, w, sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Argument checks
    // ------------------------------------------------------------------------------------------------

    function test_settle_rejectsTheZeroOwner() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.InvalidOwner.selector));
        exact.settle(p, address(0), w, sig);
    }

    function test_settle_rejectsTheZeroDestination() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(address(0), 0);
        bytes memory sig = _signExact(p, w);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.InvalidDestination.selector));
        exact.settle(p, payer, w, sig);
    }

    function test_settle_failsWithoutAPermit2Allowance() public {
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        // solmate SafeTransferLib, which Permit2 uses.
        vm.expectRevert(abi.encodeWithSignature("Error(string)", "TRANSFER_FROM_FAILED"));
        exact.settle(p, payer, w, sig);
        assertFalse(_nonceUsed(payer, 1), "the nonce is not spent by a failed settlement");
    }

    // ------------------------------------------------------------------------------------------------
    // EIP-2612
    // ------------------------------------------------------------------------------------------------

    function test_settleWithPermit_appliesTheEip2612PermitToPermit2() public {
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(PRICE, block.timestamp + 300);
        bytes memory sig = _signExact(p, w);
        vm.expectEmit(EXACT_PROXY);
        emit IX402Permit2Proxy.SettledWithPermit();
        exact.settleWithPermit(permit2612, p, payer, w, sig);
        assertEq(token.balanceOf(PAY_TO), PRICE, "paid");
        assertEq(token.allowance(payer, PERMIT2_ADDRESS), 0, "the permit covered exactly the payment");
        assertEq(token.nonces(payer), 1, "EIP-2612 nonce used");
    }

    /// "A failing permit call is ignored (it may have been used already, or front-run)".
    function test_settleWithPermit_toleratesAFrontRunPermit() public {
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(PRICE, block.timestamp + 300);
        token.permit(
            payer,
            PERMIT2_ADDRESS,
            permit2612.value,
            permit2612.deadline,
            permit2612.v,
            permit2612.r,
            permit2612.s
        );
        exact.settleWithPermit(permit2612, p, payer, w, _signExact(p, w));
        assertEq(token.balanceOf(PAY_TO), PRICE, "paid with the allowance the front-runner set");
    }

    /// Requirements: `permit2612.value >= permit.permitted.amount` ({Permit2612AmountMismatch}).
    function test_settleWithPermit_rejectsAPermitBelowTheAmount() public {
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        IX402Permit2Proxy.EIP2612Permit memory permit2612 = _signEip2612(PRICE - 1, block.timestamp + 300);
        bytes memory sig = _signExact(p, w);
        vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.Permit2612AmountMismatch.selector));
        exact.settleWithPermit(permit2612, p, payer, w, sig);
    }

    // ------------------------------------------------------------------------------------------------
    // Fuzz
    // ------------------------------------------------------------------------------------------------

    /// A payer is charged exactly what it signed, whoever settles, and the recipient gets all of it.
    function testFuzz_settle_chargesExactlyTheSignedAmount(uint256 amount, uint256 nonce, address settler) public {
        amount = bound(amount, 0, INITIAL_BALANCE);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(amount, nonce, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        vm.prank(settler);
        exact.settle(p, payer, w, sig);
        assertEq(token.balanceOf(payer), INITIAL_BALANCE - amount, "payer charged exactly the signed amount");
        assertEq(token.balanceOf(PAY_TO), amount, "payee received exactly the signed amount");
        assertTrue(_nonceUsed(payer, nonce), "nonce used");
    }

    function testFuzz_settle_rejectsAnyOtherPayTo(address payTo) public {
        vm.assume(payTo != PAY_TO && payTo != address(0));
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        bytes memory sig = _signExact(p, _exactWitness(PAY_TO, 0));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, _exactWitness(payTo, 0), sig);
    }

    function testFuzz_settle_rejectsAnyOtherAmount(uint256 signed, uint256 submitted) public {
        signed = bound(signed, 0, INITIAL_BALANCE);
        submitted = bound(submitted, 0, INITIAL_BALANCE);
        vm.assume(signed != submitted);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(_permit(signed, 1, block.timestamp + 300), w);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(submitted, 1, block.timestamp + 300);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
    }

    function testFuzz_settle_rejectsAReplayOnAnyOtherChain(uint64 chainId) public {
        vm.assume(chainId != block.chainid && chainId != 0);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _signExact(p, w);
        vm.chainId(chainId);
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
    }

    function testFuzz_settle_rejectsASignatureForAnyOtherSpender(address spender) public {
        vm.assume(spender != EXACT_PROXY);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, block.timestamp + 300);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, 0);
        bytes memory sig = _sign(PAYER_KEY, _exactDigest(p, spender, w));
        vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.InvalidSigner.selector));
        exact.settle(p, payer, w, sig);
    }

    function testFuzz_settle_respectsValidAfterAndDeadline(uint256 validAfter, uint256 deadline, uint256 at) public {
        validAfter = bound(validAfter, START_TIME, START_TIME + 1 days);
        deadline = bound(deadline, START_TIME, START_TIME + 1 days);
        at = bound(at, START_TIME, START_TIME + 1 days);
        ISignatureTransfer.PermitTransferFrom memory p = _permit(PRICE, 1, deadline);
        IX402ExactPermit2Proxy.Witness memory w = _exactWitness(PAY_TO, validAfter);
        bytes memory sig = _signExact(p, w);
        vm.warp(at);
        if (at < validAfter) {
            vm.expectRevert(abi.encodeWithSelector(IX402Permit2Proxy.PaymentTooEarly.selector));
        } else if (at > deadline) {
            vm.expectRevert(abi.encodeWithSelector(IPermit2ProxyPermit2Errors.SignatureExpired.selector, deadline));
        }
        exact.settle(p, payer, w, sig);
        assertEq(
            token.balanceOf(PAY_TO),
            at >= validAfter && at <= deadline ? PRICE : 0,
            "paid only inside the window"
        );
    }
}
