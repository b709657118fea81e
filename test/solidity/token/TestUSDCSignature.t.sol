// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {IERC3009} from "../../../contracts/interfaces/IERC3009.sol";
import {ITestUSDC} from "../../../contracts/interfaces/ITestUSDC.sol";
import {TestUSDCFixture} from "./TestUSDCFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice Signature decoding: FiatToken's ECRecover rules for accounts without code (65 bytes, low s,
 * v in {27, 28}, a non-zero signer) in both overloads, and ERC-1271 routing for accounts with code.
 */
contract TestUSDCSignatureTest is TestUSDCFixture {
    address internal payer;

    function setUp() public override {
        super.setUp();
        payer = vm.addr(PAYER_KEY);
        _mintTo(payer, INITIAL_BALANCE);
    }

    // ------------------------------------------------------------------------------------------------
    // Malleable (high-s) signatures
    // ------------------------------------------------------------------------------------------------

    function test_transferWithAuthorization_rejectsHighSVrs() public {
        Authorization memory a = _auth(payer, keccak256("high s"));
        (uint8 v, bytes32 r, bytes32 s) = _highS(_sign(PAYER_KEY, _transferDigest(a)));
        // Sanity: the twin does recover to the payer, so only the s check can reject it.
        assertEq(ecrecover(_transferDigest(a), v, r, s), payer);
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureS.selector, s));
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
    }

    function test_transferWithAuthorization_rejectsHighSBytes() public {
        Authorization memory a = _auth(payer, keccak256("high s bytes"));
        (uint8 v, bytes32 r, bytes32 s) = _highS(_sign(PAYER_KEY, _transferDigest(a)));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureS.selector, s));
        token.transferWithAuthorization(
            a.from,
            a.to,
            a.value,
            a.validAfter,
            a.validBefore,
            a.nonce,
            abi.encodePacked(r, s, v)
        );
    }

    function test_receiveWithAuthorization_rejectsHighS() public {
        Authorization memory a = _auth(payer, keccak256("receive high s"));
        (uint8 v, bytes32 r, bytes32 s) = _highS(_sign(PAYER_KEY, _receiveDigest(a)));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureS.selector, s));
        vm.prank(PAYEE);
        token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
    }

    function test_cancelAuthorization_rejectsHighS() public {
        bytes32 nonce = keccak256("cancel high s");
        (uint8 v, bytes32 r, bytes32 s) = _highS(_sign(PAYER_KEY, _cancelDigest(payer, nonce)));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureS.selector, s));
        token.cancelAuthorization(payer, nonce, abi.encodePacked(r, s, v));
    }

    // ------------------------------------------------------------------------------------------------
    // Bad v
    // ------------------------------------------------------------------------------------------------

    function test_transferWithAuthorization_rejectsBadVVrs() public {
        Authorization memory a = _auth(payer, keccak256("bad v"));
        (uint8 v, bytes32 r, bytes32 s) = _split(_sign(PAYER_KEY, _transferDigest(a)));
        uint8[3] memory badVs = [v - 27, 29, 0];
        for (uint256 i; i < badVs.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureV.selector, badVs[i]));
            token.transferWithAuthorization(
                a.from,
                a.to,
                a.value,
                a.validAfter,
                a.validBefore,
                a.nonce,
                badVs[i],
                r,
                s
            );
        }
    }

    function test_transferWithAuthorization_rejectsBadVBytes() public {
        // A yParity-style v (0/1) is not accepted, as FiatToken's ECRecover.
        Authorization memory a = _auth(payer, keccak256("bad v bytes"));
        (uint8 v, bytes32 r, bytes32 s) = _split(_sign(PAYER_KEY, _transferDigest(a)));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureV.selector, v - 27));
        token.transferWithAuthorization(
            a.from,
            a.to,
            a.value,
            a.validAfter,
            a.validBefore,
            a.nonce,
            abi.encodePacked(r, s, v - 27)
        );
    }

    // ------------------------------------------------------------------------------------------------
    // Wrong length
    // ------------------------------------------------------------------------------------------------

    function test_transferWithAuthorization_rejectsWrongSignatureLength() public {
        Authorization memory a = _auth(payer, keccak256("length"));
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(a));
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        bytes memory compact = abi.encodePacked(r, bytes32(uint256(s) | (uint256(v - 27) << 255))); // ERC-2098
        bytes[4] memory malformed = [compact, abi.encodePacked(signature, uint8(0)), bytes(""), abi.encodePacked(r)];
        for (uint256 i; i < malformed.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureLength.selector, malformed[i].length)
            );
            token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, malformed[i]);
        }
    }

    function test_receiveWithAuthorization_rejectsWrongSignatureLength() public {
        Authorization memory a = _auth(payer, keccak256("receive length"));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureLength.selector, 64));
        vm.prank(PAYEE);
        token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, new bytes(64));
    }

    function test_cancelAuthorization_rejectsWrongSignatureLength() public {
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureLength.selector, 66));
        token.cancelAuthorization(payer, keccak256("cancel length"), new bytes(66));
    }

    // ------------------------------------------------------------------------------------------------
    // Signatures that recover to nobody
    // ------------------------------------------------------------------------------------------------

    function test_transferWithAuthorization_rejectsUnrecoverableSignature() public {
        // r = 0 is not a curve point: ecrecover returns address(0).
        Authorization memory a = _auth(payer, keccak256("unrecoverable"));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignature.selector, address(0), payer));
        token.transferWithAuthorization(
            a.from,
            a.to,
            a.value,
            a.validAfter,
            a.validBefore,
            a.nonce,
            27,
            bytes32(0),
            bytes32(uint256(1))
        );
    }

    function test_transferWithAuthorization_rejectsZeroAddressPayer() public {
        // address(0) has no code and no key: an unrecoverable signature must not "recover" to it.
        Authorization memory a = _auth(address(0), keccak256("from zero"));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignature.selector, address(0), address(0)));
        token.transferWithAuthorization(
            a.from,
            a.to,
            a.value,
            a.validAfter,
            a.validBefore,
            a.nonce,
            27,
            bytes32(0),
            bytes32(uint256(1))
        );
    }

    function test_cancelAuthorization_rejectsZeroAddressAuthorizer() public {
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignature.selector, address(0), address(0)));
        token.cancelAuthorization(address(0), keccak256("zero"), abi.encodePacked(bytes32(0), bytes32(0), uint8(27)));
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-1271 routing
    // ------------------------------------------------------------------------------------------------

    function test_transferWithAuthorization_rejectsRefusingWallet() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(payer, true);
        _mintTo(address(wallet), INITIAL_BALANCE);
        Authorization memory a = _auth(address(wallet), keccak256("refusing wallet"));
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(a));
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);

        bytes memory expected = abi.encodeWithSelector(
            IERC3009.ERC3009InvalidSignature.selector,
            address(0),
            address(wallet)
        );
        vm.expectRevert(expected);
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature);
        vm.expectRevert(expected);
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s);
    }

    function test_transferWithAuthorization_passesAnyLengthToWallet() public {
        // Length rules are ECDSA rules: a contract payer gets the bytes as they are, and decides.
        ERC1271WalletMock wallet = new ERC1271WalletMock(payer, false);
        _mintTo(address(wallet), INITIAL_BALANCE);
        Authorization memory a = _auth(address(wallet), keccak256("wallet length"));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignature.selector, address(0), address(wallet)));
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, new bytes(100));
    }

    function test_transferWithAuthorization_rejectsWalletKeyOnWalletlessAccount() public {
        // The wallet owner's signature authorizes the wallet, never the owner's own EOA balance for it.
        ERC1271WalletMock wallet = new ERC1271WalletMock(payer, false);
        _mintTo(address(wallet), INITIAL_BALANCE);
        Authorization memory walletAuth = _auth(address(wallet), keccak256("wallet vs eoa"));
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(walletAuth));
        Authorization memory eoaAuth = walletAuth;
        eoaAuth.from = payer;
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC3009.ERC3009InvalidSignature.selector,
                _ecrecover(_transferDigest(eoaAuth), signature),
                payer
            )
        );
        token.transferWithAuthorization(
            eoaAuth.from,
            eoaAuth.to,
            eoaAuth.value,
            eoaAuth.validAfter,
            eoaAuth.validBefore,
            eoaAuth.nonce,
            signature
        );
    }

    function test_cancelAuthorization_rejectsRefusingWallet() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(payer, true);
        bytes32 nonce = keccak256("wallet cancel");
        bytes memory signature = _sign(PAYER_KEY, _cancelDigest(address(wallet), nonce));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignature.selector, address(0), address(wallet)));
        token.cancelAuthorization(address(wallet), nonce, signature);
        assertFalse(token.authorizationState(address(wallet), nonce));
    }

    // ------------------------------------------------------------------------------------------------
    // Order of checks (FiatToken's modifiers run before the body)
    // ------------------------------------------------------------------------------------------------

    function test_transferWithAuthorization_checksBlocklistBeforeWindow() public {
        Authorization memory a = _auth(payer, keccak256("order"));
        a.validBefore = block.timestamp; // also expired
        vm.prank(ADMIN);
        token.blocklist(payer);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCBlocklisted.selector, payer));
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, new bytes(65));
    }

    function test_receiveWithAuthorization_checksPayeeBeforeWindow() public {
        Authorization memory a = _auth(payer, keccak256("order receive"));
        a.validBefore = block.timestamp; // also expired
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009CallerMustBePayee.selector, RELAYER, PAYEE));
        vm.prank(RELAYER);
        token.receiveWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, new bytes(65));
    }

    function test_transferWithAuthorization_checksNonceBeforeSignature() public {
        Authorization memory a = _auth(payer, keccak256("order nonce"));
        token.transferWithAuthorization(
            a.from,
            a.to,
            a.value,
            a.validAfter,
            a.validBefore,
            a.nonce,
            _sign(PAYER_KEY, _transferDigest(a))
        );
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009AuthorizationUsedOrCanceled.selector, payer, a.nonce));
        token.transferWithAuthorization(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, new bytes(3));
    }
}
