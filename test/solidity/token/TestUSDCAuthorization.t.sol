// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {IERC3009} from "../../../contracts/interfaces/IERC3009.sol";
import {ITestUSDC} from "../../../contracts/interfaces/ITestUSDC.sol";
import {TestUSDC} from "../../../contracts/token/TestUSDC.sol";
import {TestUSDCFixture} from "./TestUSDCFixture.sol";
import {Vm, vm} from "../utils/Vm.sol";

/**
 * @notice Circle's FiatToken EIP-3009 suite (transfer, receive, cancel), run for every combination of
 * signature form (`v, r, s` / `bytes`) and payer kind (EOA / ERC-1271 wallet), as Circle's v2.2 tests do.
 */
abstract contract AuthorizationSuite is TestUSDCFixture {
    /// @dev The payer: the EOA of PAYER_KEY, or a wallet owned by it.
    address internal payer;

    function _usesBytes() internal pure virtual returns (bool);

    function _usesWallet() internal pure virtual returns (bool);

    function setUp() public virtual override {
        super.setUp();
        payer = _usesWallet() ? address(new ERC1271WalletMock(vm.addr(PAYER_KEY), false)) : vm.addr(PAYER_KEY);
        _mintTo(payer, INITIAL_BALANCE);
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers: submit through the form under test
    // ------------------------------------------------------------------------------------------------

    function _transfer(Authorization memory a, bytes memory signature) internal {
        if (_usesBytes()) {
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        } else {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
        }
    }

    function _receive(Authorization memory a, bytes memory signature) internal {
        if (_usesBytes()) {
            token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        } else {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
        }
    }

    function _cancel(address authorizer, bytes32 nonce, bytes memory signature) internal {
        if (_usesBytes()) {
            token.cancelAuthorization(authorizer, nonce, signature);
        } else {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            token.cancelAuthorization(authorizer, nonce, v, r, s);
        }
    }

    function _signTransfer(Authorization memory a) internal view returns (bytes memory) {
        return _sign(PAYER_KEY, _transferDigest(a));
    }

    function _signReceive(Authorization memory a) internal view returns (bytes memory) {
        return _sign(PAYER_KEY, _receiveDigest(a));
    }

    function _signCancel(bytes32 nonce) internal view returns (bytes memory) {
        return _sign(PAYER_KEY, _cancelDigest(payer, nonce));
    }

    /// @dev The error a signature that does not match `digest` must produce for the payer under test.
    function _invalidSignature(bytes32 digest, bytes memory signature) internal view returns (bytes memory) {
        address signer = payer.code.length == 0 ? _ecrecover(digest, signature) : address(0);
        return abi.encodeWithSelector(IERC3009.ERC3009InvalidSignature.selector, signer, payer);
    }

    function _usedOrCanceled(bytes32 nonce) internal view returns (bytes memory) {
        return abi.encodeWithSelector(IERC3009.ERC3009AuthorizationUsedOrCanceled.selector, payer, nonce);
    }

    // ------------------------------------------------------------------------------------------------
    // transferWithAuthorization
    // ------------------------------------------------------------------------------------------------

    function test_transferWithAuthorization_movesFundsAndSpendsNonce() public {
        Authorization memory a = _auth(payer, keccak256("transfer"));
        bytes memory signature = _signTransfer(a);
        assertFalse(token.authorizationState(payer, a.nonce));

        vm.recordLogs();
        vm.prank(RELAYER);
        _transfer(a, signature);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(token.balanceOf(payer), INITIAL_BALANCE - a.value);
        assertEq(token.balanceOf(PAYEE), a.value);
        assertTrue(token.authorizationState(payer, a.nonce));
        // FiatToken logs AuthorizationUsed first, then Transfer.
        assertEq(logs.length, 2);
        assertEq(logs[0].topics[0], AUTHORIZATION_USED_TOPIC);
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(payer))));
        assertEq(logs[0].topics[2], a.nonce);
        assertEq(logs[1].topics[0], TRANSFER_TOPIC);
        assertEq(logs[1].topics[1], bytes32(uint256(uint160(payer))));
        assertEq(logs[1].topics[2], bytes32(uint256(uint160(PAYEE))));
        assertEq(abi.decode(logs[1].data, (uint256)), a.value);
    }

    function test_transferWithAuthorization_acceptsTightestWindow() public {
        // Valid only when validAfter < now < validBefore: now - 1 and now + 1 are the tightest bounds.
        Authorization memory a = _auth(payer, keccak256("tight"));
        a.validAfter = block.timestamp - 1;
        a.validBefore = block.timestamp + 1;
        _transfer(a, _signTransfer(a));
        assertEq(token.balanceOf(PAYEE), a.value);
    }

    function test_transferWithAuthorization_allowsZeroValue() public {
        Authorization memory a = _auth(payer, keccak256("zero"));
        a.value = 0;
        _transfer(a, _signTransfer(a));
        assertTrue(token.authorizationState(payer, a.nonce));
        assertEq(token.balanceOf(payer), INITIAL_BALANCE);
    }

    function test_transferWithAuthorization_rejectsTamperedValue() public {
        Authorization memory a = _auth(payer, keccak256("tampered"));
        bytes memory signature = _signTransfer(a);
        a.value *= 2;
        vm.expectRevert(_invalidSignature(_transferDigest(a), signature));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsWrongSigner() public {
        Authorization memory a = _auth(payer, keccak256("wrong signer"));
        bytes memory signature = _sign(OTHER_KEY, _transferDigest(a));
        vm.expectRevert(_invalidSignature(_transferDigest(a), signature));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsReceiveSignature() public {
        Authorization memory a = _auth(payer, keccak256("receive type"));
        bytes memory signature = _signReceive(a);
        vm.expectRevert(_invalidSignature(_transferDigest(a), signature));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsNotYetValid() public {
        Authorization memory a = _auth(payer, keccak256("future"));
        a.validAfter = block.timestamp + 1 days;
        a.validBefore = block.timestamp + 2 days;
        bytes memory signature = _signTransfer(a);
        vm.expectRevert(
            abi.encodeWithSelector(IERC3009.ERC3009AuthorizationNotYetValid.selector, a.validAfter, block.timestamp)
        );
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsValidAfterEqualToNow() public {
        // "block.timestamp > validAfter" is strict: validAfter == now is not yet valid.
        Authorization memory a = _auth(payer, keccak256("validAfter == now"));
        a.validAfter = block.timestamp;
        bytes memory signature = _signTransfer(a);
        vm.expectRevert(
            abi.encodeWithSelector(IERC3009.ERC3009AuthorizationNotYetValid.selector, a.validAfter, block.timestamp)
        );
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsValidBeforeEqualToNow() public {
        // "block.timestamp < validBefore" is strict: validBefore == now is expired.
        Authorization memory a = _auth(payer, keccak256("validBefore == now"));
        a.validBefore = block.timestamp;
        bytes memory signature = _signTransfer(a);
        vm.expectRevert(
            abi.encodeWithSelector(IERC3009.ERC3009AuthorizationExpired.selector, a.validBefore, block.timestamp)
        );
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsExpired() public {
        Authorization memory a = _auth(payer, keccak256("expired"));
        bytes memory signature = _signTransfer(a);
        vm.warp(a.validBefore + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IERC3009.ERC3009AuthorizationExpired.selector, a.validBefore, a.validBefore + 1)
        );
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsReplay() public {
        Authorization memory a = _auth(payer, keccak256("replay"));
        bytes memory signature = _signTransfer(a);
        _transfer(a, signature);
        vm.expectRevert(_usedOrCanceled(a.nonce));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsUsedNonceWithOtherParameters() public {
        Authorization memory a = _auth(payer, keccak256("reused"));
        _transfer(a, _signTransfer(a));
        Authorization memory b = _auth(payer, a.nonce);
        b.to = RELAYER;
        b.value = 1e6;
        bytes memory signature = _signTransfer(b);
        vm.expectRevert(_usedOrCanceled(a.nonce));
        _transfer(b, signature);
    }

    function test_transferWithAuthorization_rejectsCanceledNonce() public {
        Authorization memory a = _auth(payer, keccak256("canceled"));
        bytes memory signature = _signTransfer(a);
        _cancel(payer, a.nonce, _signCancel(a.nonce));
        vm.expectRevert(_usedOrCanceled(a.nonce));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsNonceUsedByReceive() public {
        // One nonce space per authorizer, shared by transfer, receive and cancel.
        Authorization memory a = _auth(payer, keccak256("shared"));
        vm.prank(PAYEE);
        _receive(a, _signReceive(a));
        bytes memory signature = _signTransfer(a);
        vm.expectRevert(_usedOrCanceled(a.nonce));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsInsufficientBalance() public {
        Authorization memory a = _auth(payer, keccak256("too much"));
        a.value = INITIAL_BALANCE + 1;
        bytes memory signature = _signTransfer(a);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector,
                payer,
                INITIAL_BALANCE,
                INITIAL_BALANCE + 1
            )
        );
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsZeroAddressPayee() public {
        Authorization memory a = _auth(payer, keccak256("to zero"));
        a.to = address(0);
        bytes memory signature = _signTransfer(a);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsWhenPaused() public {
        Authorization memory a = _auth(payer, keccak256("paused"));
        bytes memory signature = _signTransfer(a);
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsBlocklistedPayer() public {
        Authorization memory a = _auth(payer, keccak256("blocked payer"));
        bytes memory signature = _signTransfer(a);
        vm.prank(ADMIN);
        token.blocklist(payer);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, payer));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsBlocklistedPayee() public {
        Authorization memory a = _auth(payer, keccak256("blocked payee"));
        bytes memory signature = _signTransfer(a);
        vm.prank(ADMIN);
        token.blocklist(PAYEE);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, PAYEE));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsSignatureForOtherChain() public {
        Authorization memory a = _auth(payer, keccak256("other chain"));
        bytes32 otherChainDigest = _typedDigest(
            _domainSeparator("USDC", "2", block.chainid + 1, address(token)),
            _authorizationHash(TRANSFER_TYPEHASH, a)
        );
        bytes memory signature = _sign(PAYER_KEY, otherChainDigest);
        vm.expectRevert(_invalidSignature(_transferDigest(a), signature));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsSignatureAfterChainIdChanges() public {
        // The domain separator follows block.chainid: a signature made before a fork is void after it.
        Authorization memory a = _auth(payer, keccak256("fork"));
        bytes memory signature = _signTransfer(a);
        vm.chainId(block.chainid + 7);
        vm.expectRevert(_invalidSignature(_transferDigest(a), signature));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsSignatureForOtherToken() public {
        TestUSDC other = new TestUSDC("USDC", "USDC", "2", ADMIN);
        Authorization memory a = _auth(payer, keccak256("other token"));
        bytes memory signature = _sign(
            PAYER_KEY,
            _typedDigest(
                _domainSeparator("USDC", "2", block.chainid, address(other)),
                _authorizationHash(TRANSFER_TYPEHASH, a)
            )
        );
        vm.expectRevert(_invalidSignature(_transferDigest(a), signature));
        _transfer(a, signature);
    }

    function test_transferWithAuthorization_rejectsSignatureForOtherDomainName() public {
        // The classic x402 mistake: "USD Coin" (Base mainnet) signed for a "USDC" domain.
        Authorization memory a = _auth(payer, keccak256("other name"));
        bytes memory signature = _sign(
            PAYER_KEY,
            _typedDigest(
                _domainSeparator("USD Coin", "2", block.chainid, address(token)),
                _authorizationHash(TRANSFER_TYPEHASH, a)
            )
        );
        vm.expectRevert(_invalidSignature(_transferDigest(a), signature));
        _transfer(a, signature);
    }

    // ------------------------------------------------------------------------------------------------
    // receiveWithAuthorization
    // ------------------------------------------------------------------------------------------------

    function test_receiveWithAuthorization_movesFundsWhenPayeeSubmits() public {
        Authorization memory a = _auth(payer, keccak256("receive"));
        bytes memory signature = _signReceive(a);

        vm.recordLogs();
        vm.prank(PAYEE);
        _receive(a, signature);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(token.balanceOf(payer), INITIAL_BALANCE - a.value);
        assertEq(token.balanceOf(PAYEE), a.value);
        assertTrue(token.authorizationState(payer, a.nonce));
        assertEq(logs.length, 2);
        assertEq(logs[0].topics[0], AUTHORIZATION_USED_TOPIC);
        assertEq(logs[0].topics[2], a.nonce);
        assertEq(logs[1].topics[0], TRANSFER_TOPIC);
    }

    function test_receiveWithAuthorization_rejectsCallerOtherThanPayee() public {
        // "caller must be the payee": stops front-running of receive authorizations.
        Authorization memory a = _auth(payer, keccak256("front-run"));
        bytes memory signature = _signReceive(a);
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009CallerMustBePayee.selector, RELAYER, PAYEE));
        vm.prank(RELAYER);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsTransferSignature() public {
        Authorization memory a = _auth(payer, keccak256("transfer type"));
        bytes memory signature = _signTransfer(a);
        vm.expectRevert(_invalidSignature(_receiveDigest(a), signature));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsTamperedValue() public {
        Authorization memory a = _auth(payer, keccak256("receive tampered"));
        bytes memory signature = _signReceive(a);
        a.value += 1;
        vm.expectRevert(_invalidSignature(_receiveDigest(a), signature));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsWrongSigner() public {
        Authorization memory a = _auth(payer, keccak256("receive wrong signer"));
        bytes memory signature = _sign(OTHER_KEY, _receiveDigest(a));
        vm.expectRevert(_invalidSignature(_receiveDigest(a), signature));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsValidAfterEqualToNow() public {
        Authorization memory a = _auth(payer, keccak256("receive early"));
        a.validAfter = block.timestamp;
        bytes memory signature = _signReceive(a);
        vm.expectRevert(
            abi.encodeWithSelector(IERC3009.ERC3009AuthorizationNotYetValid.selector, a.validAfter, block.timestamp)
        );
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsValidBeforeEqualToNow() public {
        Authorization memory a = _auth(payer, keccak256("receive late"));
        a.validBefore = block.timestamp;
        bytes memory signature = _signReceive(a);
        vm.expectRevert(
            abi.encodeWithSelector(IERC3009.ERC3009AuthorizationExpired.selector, a.validBefore, block.timestamp)
        );
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsReplay() public {
        Authorization memory a = _auth(payer, keccak256("receive replay"));
        bytes memory signature = _signReceive(a);
        vm.prank(PAYEE);
        _receive(a, signature);
        vm.expectRevert(_usedOrCanceled(a.nonce));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsNonceUsedByTransfer() public {
        Authorization memory a = _auth(payer, keccak256("receive shared"));
        _transfer(a, _signTransfer(a));
        bytes memory signature = _signReceive(a);
        vm.expectRevert(_usedOrCanceled(a.nonce));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsCanceledNonce() public {
        Authorization memory a = _auth(payer, keccak256("receive canceled"));
        bytes memory signature = _signReceive(a);
        _cancel(payer, a.nonce, _signCancel(a.nonce));
        vm.expectRevert(_usedOrCanceled(a.nonce));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsInsufficientBalance() public {
        Authorization memory a = _auth(payer, keccak256("receive too much"));
        a.value = INITIAL_BALANCE + 1;
        bytes memory signature = _signReceive(a);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector,
                payer,
                INITIAL_BALANCE,
                INITIAL_BALANCE + 1
            )
        );
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsWhenPaused() public {
        Authorization memory a = _auth(payer, keccak256("receive paused"));
        bytes memory signature = _signReceive(a);
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsBlocklistedPayer() public {
        Authorization memory a = _auth(payer, keccak256("receive blocked payer"));
        bytes memory signature = _signReceive(a);
        vm.prank(ADMIN);
        token.blocklist(payer);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, payer));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    function test_receiveWithAuthorization_rejectsBlocklistedPayee() public {
        Authorization memory a = _auth(payer, keccak256("receive blocked payee"));
        bytes memory signature = _signReceive(a);
        vm.prank(ADMIN);
        token.blocklist(PAYEE);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, PAYEE));
        vm.prank(PAYEE);
        _receive(a, signature);
    }

    // ------------------------------------------------------------------------------------------------
    // cancelAuthorization
    // ------------------------------------------------------------------------------------------------

    function test_cancelAuthorization_spendsNonce() public {
        bytes32 nonce = keccak256("cancel");
        bytes memory signature = _signCancel(nonce);
        vm.expectEmit(address(token));
        emit IERC3009.AuthorizationCanceled(payer, nonce);
        vm.prank(RELAYER); // anyone may relay a cancellation
        _cancel(payer, nonce, signature);
        assertTrue(token.authorizationState(payer, nonce));
        assertEq(token.balanceOf(payer), INITIAL_BALANCE);
    }

    function test_cancelAuthorization_rejectsWrongSignerAndKeepsAuthorizationUsable() public {
        Authorization memory a = _auth(payer, keccak256("cancel wrong signer"));
        bytes32 digest = _cancelDigest(payer, a.nonce);
        bytes memory signature = _sign(OTHER_KEY, digest);
        vm.expectRevert(_invalidSignature(digest, signature));
        _cancel(payer, a.nonce, signature);
        assertFalse(token.authorizationState(payer, a.nonce));
        _transfer(a, _signTransfer(a));
        assertEq(token.balanceOf(PAYEE), a.value);
    }

    function test_cancelAuthorization_rejectsOtherAuthorizer() public {
        // A cancellation signed for the payer cannot cancel another authorizer's nonce.
        bytes32 nonce = keccak256("cancel other authorizer");
        bytes memory signature = _signCancel(nonce);
        address other = vm.addr(OTHER_KEY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC3009.ERC3009InvalidSignature.selector,
                _ecrecover(_cancelDigest(other, nonce), signature),
                other
            )
        );
        _cancel(other, nonce, signature);
    }

    function test_cancelAuthorization_rejectsUsedNonce() public {
        Authorization memory a = _auth(payer, keccak256("cancel used"));
        _transfer(a, _signTransfer(a));
        bytes memory signature = _signCancel(a.nonce);
        vm.expectRevert(_usedOrCanceled(a.nonce));
        _cancel(payer, a.nonce, signature);
    }

    function test_cancelAuthorization_rejectsSecondCancel() public {
        bytes32 nonce = keccak256("cancel twice");
        bytes memory signature = _signCancel(nonce);
        _cancel(payer, nonce, signature);
        vm.expectRevert(_usedOrCanceled(nonce));
        _cancel(payer, nonce, signature);
    }

    function test_cancelAuthorization_rejectsWhenPaused() public {
        bytes32 nonce = keccak256("cancel paused");
        bytes memory signature = _signCancel(nonce);
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        _cancel(payer, nonce, signature);
    }

    function test_cancelAuthorization_ignoresBlocklist() public {
        // FiatToken's cancelAuthorization checks only the pause, not the blocklist.
        bytes32 nonce = keccak256("cancel blocked");
        bytes memory signature = _signCancel(nonce);
        vm.prank(ADMIN);
        token.blocklist(payer);
        _cancel(payer, nonce, signature);
        assertTrue(token.authorizationState(payer, nonce));
    }

    function test_cancelAuthorization_voidsReceiveAuthorization() public {
        Authorization memory a = _auth(payer, keccak256("cancel receive"));
        bytes memory receiveSignature = _signReceive(a);
        _cancel(payer, a.nonce, _signCancel(a.nonce));
        vm.expectRevert(_usedOrCanceled(a.nonce));
        vm.prank(PAYEE);
        _receive(a, receiveSignature);
    }
}

/// @notice EOA payer, `(v, r, s)` overloads.
contract TestUSDCAuthorizationEoaVrsTest is AuthorizationSuite {
    function _usesBytes() internal pure override returns (bool) {
        return false;
    }

    function _usesWallet() internal pure override returns (bool) {
        return false;
    }
}

/// @notice EOA payer, `bytes signature` overloads.
contract TestUSDCAuthorizationEoaBytesTest is AuthorizationSuite {
    function _usesBytes() internal pure override returns (bool) {
        return true;
    }

    function _usesWallet() internal pure override returns (bool) {
        return false;
    }
}

/// @notice ERC-1271 wallet payer, `bytes signature` overloads.
contract TestUSDCAuthorizationWalletBytesTest is AuthorizationSuite {
    function _usesBytes() internal pure override returns (bool) {
        return true;
    }

    function _usesWallet() internal pure override returns (bool) {
        return true;
    }
}

/// @notice ERC-1271 wallet payer, `(v, r, s)` overloads (the token passes `r ‖ s ‖ v` to the wallet, as v2.2).
contract TestUSDCAuthorizationWalletVrsTest is AuthorizationSuite {
    function _usesBytes() internal pure override returns (bool) {
        return false;
    }

    function _usesWallet() internal pure override returns (bool) {
        return true;
    }
}
