// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPermit2DepositCollector} from "../../../contracts/interfaces/IPermit2DepositCollector.sol";
import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {X402BatchSettlement} from "../../../contracts/settlement/X402BatchSettlement.sol";
import {IPermit2Errors, Permit2DepositCollectorFixture} from "./Permit2DepositCollectorFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @title Permit2DepositCollectorTest
 * @notice The Permit2 deposit path of {X402BatchSettlement} through {Permit2DepositCollector}: binding to the
 * channel contract, the channel, the chain and the amount; Permit2's nonce and deadline; the optional EIP-2612 permit.
 */
contract Permit2DepositCollectorTest is Permit2DepositCollectorFixture {
    // ------------------------------------------------------------------------------------------------
    // Happy path
    // ------------------------------------------------------------------------------------------------

    function test_permit2Code_answersItsDomainSeparator() public view {
        (bool ok, bytes memory ret) = PERMIT2.staticcall(abi.encodeWithSignature("DOMAIN_SEPARATOR()"));
        assertTrue(ok, "DOMAIN_SEPARATOR() call");
        assertEq(abi.decode(ret, (bytes32)), _permit2Domain(), "etched Permit2 domain");
    }

    function test_deposit_pullsExactlyTheAmountThroughPermit2() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("p2"));
        bytes32 id = _channelId(c);
        _depositP2(c, DEPOSIT, _p2Data(PAYER_KEY, id, DEPOSIT, 1, block.timestamp + 300));
        assertEq(_balance(id), DEPOSIT, "channel balance");
        assertEq(usdc.balanceOf(address(settlement)), DEPOSIT, "settlement holds the deposit");
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - DEPOSIT, "payer paid the deposit");
        assertEq(usdc.balanceOf(address(p2collector)), 0, "nothing stays in the collector");
    }

    function test_deposit_topsUpAndClaims() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("p2 top-up"));
        bytes32 id = _channelId(c);
        _depositP2(c, DEPOSIT, _p2Data(PAYER_KEY, id, DEPOSIT, 7, block.timestamp + 300));
        _depositP2(c, DEPOSIT, _p2Data(PAYER_KEY, id, DEPOSIT, 8, block.timestamp + 300));
        assertEq(_balance(id), 2 * DEPOSIT, "two deposits");
        vm.prank(receiverAuthorizer);
        settlement.claim(_rows1(_row(c, 3e6, 3e6)));
        assertEq(_claimed(id), 3e6, "claimed on the Permit2-funded channel");
    }

    // ------------------------------------------------------------------------------------------------
    // Binding
    // ------------------------------------------------------------------------------------------------

    /// IDepositCollector: "A caller other than the channel contract the payer signed for gets another id, so the
    /// payer's signature does not verify and nothing moves."
    function test_collect_rejectsACallerOtherThanTheSignedChannelContract() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("direct"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        p2collector.collect(c, DEPOSIT, data);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE, "nothing moved");
    }

    function test_deposit_rejectsAnotherChannelContract() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("other settlement"));
        X402BatchSettlement copy = new X402BatchSettlement();
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        vm.prank(RELAYER);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        copy.deposit(c, DEPOSIT, address(p2collector), data);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE, "nothing moved");
    }

    function test_deposit_rejectsAWitnessOfAnotherChannel() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("a"));
        IX402BatchSettlement.ChannelConfig memory d = _config(keccak256("b"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(d, DEPOSIT, data);
        _depositP2(c, DEPOSIT, data);
        assertEq(_balance(_channelId(c)), DEPOSIT, "the signed channel is funded");
        assertEq(_balance(_channelId(d)), 0, "the other one is not");
    }

    function test_deposit_rejectsAReplayOnAnotherChain() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("chain"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        uint256 snapshot = vm.snapshotState();
        vm.chainId(block.chainid + 1);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(c, DEPOSIT, data);
        vm.revertToState(snapshot);
        _depositP2(c, DEPOSIT, data);
        assertEq(_balance(_channelId(c)), DEPOSIT, "valid on the chain it was signed for");
    }

    function test_deposit_rejectsAnAmountOtherThanTheSignedOne() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("amount"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(c, DEPOSIT - 1, data);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(c, DEPOSIT + 1, data);
    }

    function test_deposit_rejectsASignatureOfAnotherKey() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("key"));
        bytes memory data = _p2Data(OTHER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(c, DEPOSIT, data);
    }

    // ------------------------------------------------------------------------------------------------
    // Nonce and deadline
    // ------------------------------------------------------------------------------------------------

    function test_deposit_consumesTheNonceOnce() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("nonce"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 42, block.timestamp + 300);
        _depositP2(c, DEPOSIT, data);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidNonce.selector));
        _depositP2(c, DEPOSIT, data);
        assertEq(_balance(_channelId(c)), DEPOSIT, "one deposit only");
    }

    function test_deposit_rejectsAnExpiredDeadline() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("deadline"));
        uint256 deadline = block.timestamp + 300;
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.SignatureExpired.selector, deadline));
        _depositP2(c, DEPOSIT, data);
        vm.warp(deadline);
        _depositP2(c, DEPOSIT, data);
        assertEq(_balance(_channelId(c)), DEPOSIT, "valid up to and including the deadline");
    }

    function test_deposit_failsWithoutAPermit2Allowance() public {
        vm.prank(payer);
        usdc.approve(PERMIT2, 0);
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("no allowance"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        // solmate SafeTransferLib, which Permit2 uses.
        vm.expectRevert(abi.encodeWithSignature("Error(string)", "TRANSFER_FROM_FAILED"));
        _depositP2(c, DEPOSIT, data);
    }

    // ------------------------------------------------------------------------------------------------
    // EIP-2612
    // ------------------------------------------------------------------------------------------------

    function test_deposit_appliesTheEip2612PermitToPermit2() public {
        vm.prank(payer);
        usdc.approve(PERMIT2, 0);
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("2612"));
        bytes memory data = _withPermit(
            _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300),
            _eip2612Data(PAYER_KEY, DEPOSIT, block.timestamp + 300)
        );
        _depositP2(c, DEPOSIT, data);
        assertEq(_balance(_channelId(c)), DEPOSIT, "funded");
        assertEq(usdc.nonces(payer), 1, "the permit was used");
        assertEq(usdc.allowance(payer, PERMIT2), 0, "Permit2 spent exactly the permitted value");
    }

    function test_deposit_toleratesAFrontRunEip2612Permit() public {
        vm.prank(payer);
        usdc.approve(PERMIT2, 0);
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("front-run"));
        uint256 deadline = block.timestamp + 300;
        bytes memory permitData = _eip2612Data(PAYER_KEY, DEPOSIT, deadline);
        (, , uint8 v, bytes32 r, bytes32 s) = abi.decode(permitData, (uint256, uint256, uint8, bytes32, bytes32));
        vm.prank(other);
        usdc.permit(payer, PERMIT2, DEPOSIT, deadline, v, r, s); // someone submits the permit from the mempool first
        bytes memory data = _withPermit(_p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, deadline), permitData);
        _depositP2(c, DEPOSIT, data);
        assertEq(_balance(_channelId(c)), DEPOSIT, "funded all the same");
    }

    function test_deposit_rejectsAFailedPermitWithoutAllowance() public {
        vm.prank(payer);
        usdc.approve(PERMIT2, 0);
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("bad permit"));
        uint256 deadline = block.timestamp + 300;
        bytes memory data = _withPermit(
            _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, deadline),
            _eip2612Data(OTHER_KEY, DEPOSIT, deadline) // signed by someone else: the token rejects it
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IPermit2DepositCollector.Permit2DepositCollectorInsufficientAllowance.selector,
                address(usdc),
                payer,
                0,
                DEPOSIT
            )
        );
        _depositP2(c, DEPOSIT, data);
    }

    function test_deposit_rejectsAPermitForAnotherValue() public {
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("permit value"));
        uint256 deadline = block.timestamp + 300;
        bytes memory data = _withPermit(
            _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, deadline),
            _eip2612Data(PAYER_KEY, DEPOSIT + 1, deadline)
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IPermit2DepositCollector.Permit2DepositCollectorPermitAmountMismatch.selector,
                DEPOSIT + 1,
                DEPOSIT
            )
        );
        _depositP2(c, DEPOSIT, data);
    }

    // ------------------------------------------------------------------------------------------------
    // Fuzz
    // ------------------------------------------------------------------------------------------------

    function testFuzz_deposit_movesExactlyTheSignedAmount(uint128 amount, uint256 nonce) public {
        amount = uint128(bound(amount, 1, INITIAL_BALANCE));
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256(abi.encode(nonce)));
        _depositP2(c, amount, _p2Data(PAYER_KEY, _channelId(c), amount, nonce, block.timestamp + 300));
        assertEq(_balance(_channelId(c)), amount, "channel balance");
        assertEq(usdc.balanceOf(address(settlement)), amount, "settlement balance");
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE - amount, "payer balance");
    }

    function testFuzz_collect_movesNothingForAnyOtherCaller(address caller) public {
        vm.assume(caller != address(settlement) && caller != address(vm) && caller != PERMIT2);
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("fuzz caller"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        p2collector.collect(c, DEPOSIT, data);
        assertEq(usdc.balanceOf(payer), INITIAL_BALANCE, "nothing moved");
    }

    function testFuzz_deposit_rejectsAnyOtherAmount(uint128 signed, uint128 submitted) public {
        signed = uint128(bound(signed, 1, INITIAL_BALANCE));
        submitted = uint128(bound(submitted, 1, INITIAL_BALANCE));
        vm.assume(signed != submitted);
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("fuzz amount"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), signed, 1, block.timestamp + 300);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(c, submitted, data);
    }

    function testFuzz_deposit_rejectsAWitnessSignedUnderAnotherChannelContract(address verifyingContract) public {
        vm.assume(verifyingContract != address(settlement));
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("fuzz domain"));
        bytes memory data = _p2Data(PAYER_KEY, _channelIdAt(c, verifyingContract), DEPOSIT, 1, block.timestamp + 300);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(c, DEPOSIT, data);
    }

    function testFuzz_deposit_rejectsAReplayOnAnyOtherChain(uint64 chainId) public {
        vm.assume(chainId != block.chainid && chainId != 0);
        IX402BatchSettlement.ChannelConfig memory c = _config(keccak256("fuzz chain"));
        bytes memory data = _p2Data(PAYER_KEY, _channelId(c), DEPOSIT, 1, block.timestamp + 300);
        vm.chainId(chainId);
        vm.expectRevert(abi.encodeWithSelector(IPermit2Errors.InvalidSigner.selector));
        _depositP2(c, DEPOSIT, data);
    }
}
