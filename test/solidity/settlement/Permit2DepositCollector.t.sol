// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPermit2DepositCollector} from "../../../contracts/interfaces/IPermit2DepositCollector.sol";
import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {Permit2DepositCollector} from "../../../contracts/settlement/Permit2DepositCollector.sol";
import {X402BatchSettlement} from "../../../contracts/settlement/X402BatchSettlement.sol";
import {X402BatchSettlementFixture} from "./X402BatchSettlementFixture.sol";
import {Permit2Code} from "../utils/Permit2Code.sol";
import {vm} from "../utils/Vm.sol";

/// @dev Permit2's errors (Uniswap permit2 src/interfaces/ISignatureTransfer.sol, src/PermitErrors.sol, SignatureVerification).
interface IPermit2Errors {
    error InvalidSigner();
    error InvalidNonce();
    error SignatureExpired(uint256 signatureDeadline);
}

/**
 * @title Permit2DepositCollectorTest
 * @notice The Permit2 deposit path of {X402BatchSettlement}: Permit2 (the bindings' build) etched at its canonical
 * address with its immutables set for this chain, every signature rebuilt here from the type strings the official
 * x402 EVM SDK 2.27 signs (`batchPermit2WitnessTypes`, `PermitWitnessTransferFrom` with `DepositWitness`).
 */
contract Permit2DepositCollectorTest is X402BatchSettlementFixture {
    address internal constant PERMIT2 = 0x000000000022D473030F116dDEE9F6B43aC78BA3;
    bytes32 internal constant PERMIT2_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant TOKEN_PERMISSIONS_TYPEHASH = keccak256("TokenPermissions(address token,uint256 amount)");
    bytes32 internal constant PERMIT_WITNESS_TYPEHASH = keccak256(
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,DepositWitness witness)DepositWitness(bytes32 channelId)TokenPermissions(address token,uint256 amount)"
    );
    bytes32 internal constant DEPOSIT_WITNESS_TYPEHASH = keccak256("DepositWitness(bytes32 channelId)");
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    Permit2DepositCollector internal p2collector;

    function setUp() public override {
        super.setUp();
        _etchPermit2();
        p2collector = new Permit2DepositCollector();
        vm.prank(payer);
        usdc.approve(PERMIT2, type(uint256).max);
    }

    /// @dev Permit2's runtime code with `_CACHED_CHAIN_ID` and `_CACHED_DOMAIN_SEPARATOR` set for this chain.
    function _etchPermit2() internal {
        bytes memory code = Permit2Code.RUNTIME_CODE;
        uint256 chainIdOffset = Permit2Code.CACHED_CHAIN_ID_OFFSET;
        uint256 separatorOffset = Permit2Code.CACHED_DOMAIN_SEPARATOR_OFFSET;
        uint256 chainId = block.chainid;
        bytes32 separator = _permit2Domain();
        assembly ("memory-safe") {
            // The code's bytes start one word after `code`; each immutable is a 32-byte word at its offset.
            mstore(add(add(code, 0x20), chainIdOffset), chainId)
            mstore(add(add(code, 0x20), separatorOffset), separator)
        }
        vm.etch(PERMIT2, code);
    }

    function _permit2Domain() internal view returns (bytes32) {
        return keccak256(abi.encode(PERMIT2_DOMAIN_TYPEHASH, keccak256("Permit2"), block.chainid, PERMIT2));
    }

    /// @dev The channel id of `c` under the channel contract at `verifyingContract`.
    function _channelIdAt(
        IX402BatchSettlement.ChannelConfig memory c,
        address verifyingContract
    ) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                CHANNEL_CONFIG_TYPEHASH,
                c.payer,
                c.payerAuthorizer,
                c.receiver,
                c.receiverAuthorizer,
                c.token,
                c.withdrawDelay,
                c.salt
            )
        );
        return _typedDigest(_settlementDomain(verifyingContract), structHash);
    }

    function _permit2Digest(
        uint256 amount,
        uint256 nonce,
        uint256 deadline,
        bytes32 channelId
    ) internal view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                PERMIT_WITNESS_TYPEHASH,
                keccak256(abi.encode(TOKEN_PERMISSIONS_TYPEHASH, address(usdc), amount)),
                address(p2collector),
                nonce,
                deadline,
                keccak256(abi.encode(DEPOSIT_WITNESS_TYPEHASH, channelId))
            )
        );
        return _typedDigest(_permit2Domain(), structHash);
    }

    /// @dev collectorData for a Permit2 deposit of `amount` into `channelId`, signed by `key`, no EIP-2612 permit.
    function _p2Data(
        uint256 key,
        bytes32 channelId,
        uint256 amount,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes memory) {
        return abi.encode(nonce, deadline, _sign(key, _permit2Digest(amount, nonce, deadline, channelId)), bytes(""));
    }

    function _eip2612Data(uint256 key, uint256 value, uint256 deadline) internal view returns (bytes memory) {
        bytes32 tokenDomain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("USDC"), keccak256("2"), block.chainid, address(usdc))
        );
        address owner = vm.addr(key);
        bytes32 digest = _typedDigest(
            tokenDomain,
            keccak256(abi.encode(PERMIT_TYPEHASH, owner, PERMIT2, value, usdc.nonces(owner), deadline))
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encode(value, deadline, v, r, s);
    }

    function _depositP2(IX402BatchSettlement.ChannelConfig memory c, uint128 amount, bytes memory data) internal {
        vm.prank(RELAYER);
        settlement.deposit(c, amount, address(p2collector), data);
    }

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

    function _withPermit(bytes memory data, bytes memory permitData) internal pure returns (bytes memory) {
        (uint256 nonce, uint256 deadline, bytes memory signature, ) = abi.decode(
            data,
            (uint256, uint256, bytes, bytes)
        );
        return abi.encode(nonce, deadline, signature, permitData);
    }

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
