// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "../../../contracts/interfaces/ISignatureTransfer.sol";
import {IX402Permit2Proxy} from "../../../contracts/interfaces/IX402Permit2Proxy.sol";
import {IX402ExactPermit2Proxy} from "../../../contracts/interfaces/IX402ExactPermit2Proxy.sol";
import {IX402UptoPermit2Proxy} from "../../../contracts/interfaces/IX402UptoPermit2Proxy.sol";
import {X402ExactPermit2Proxy} from "../../../contracts/settlement/X402ExactPermit2Proxy.sol";
import {X402UptoPermit2Proxy} from "../../../contracts/settlement/X402UptoPermit2Proxy.sol";
import {TestERC20} from "../../../contracts/token/TestERC20.sol";
import {PERMIT2_ADDRESS, etchPermit2, permit2DomainSeparator} from "../utils/Permit2Etch.sol";
import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/// @dev Permit2's errors (Uniswap permit2 src/interfaces/ISignatureTransfer.sol, src/PermitErrors.sol, SignatureVerification).
interface IPermit2ProxyPermit2Errors {
    error InvalidSigner();
    error InvalidNonce();
    error SignatureExpired(uint256 signatureDeadline);
    error InvalidAmount(uint256 maxAmount);
}

/**
 * @title X402Permit2ProxyFixture
 * @notice Permit2 (the bindings' build) at its canonical address, x402kit's `exact` and `upto` Permit2 proxies at
 * the official x402 EVM SDK 2.27 addresses (deployed, then their runtime code etched there, as the devnet does), a
 * plain ERC-20 without EIP-3009 (TestERC20) that the payer approved Permit2 for, and signers that rebuild every
 * digest from the full EIP-712 type strings the official client signs (`permit2WitnessTypes`,
 * `uptoPermit2WitnessTypes`), never from the proxies' own constants.
 */
abstract contract X402Permit2ProxyFixture is Test {
    address internal constant EXACT_PROXY = 0x402085c248EeA27D92E8b30b2C58ed07f9E20001;
    address internal constant UPTO_PROXY = 0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002;

    bytes32 internal constant TOKEN_PERMISSIONS_TYPEHASH = keccak256("TokenPermissions(address token,uint256 amount)");
    bytes32 internal constant EXACT_PERMIT_TYPEHASH = keccak256(
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)"
    );
    bytes32 internal constant EXACT_WITNESS_TYPEHASH = keccak256("Witness(address to,uint256 validAfter)");
    bytes32 internal constant UPTO_PERMIT_TYPEHASH = keccak256(
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)"
    );
    bytes32 internal constant UPTO_WITNESS_TYPEHASH = keccak256(
        "Witness(address to,address facilitator,uint256 validAfter)"
    );
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant EIP2612_PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    uint256 internal constant PAYER_KEY = 0xA11CE;
    uint256 internal constant OTHER_KEY = 0xB0B;
    uint256 internal constant START_TIME = 1_750_000_000;
    uint256 internal constant INITIAL_BALANCE = 1_000_000e6;
    uint256 internal constant PRICE = 10_000; // 0.01 of a 6-decimals token
    uint256 internal constant FAUCET_CAP = 1_000_000e6;

    address internal constant PAY_TO = address(0xBEEF);
    address internal constant FACILITATOR = address(0xFAC);
    address internal constant RELAYER = address(0xFEE);

    address internal payer;
    TestERC20 internal token;
    X402ExactPermit2Proxy internal exact;
    X402UptoPermit2Proxy internal upto;

    function setUp() public virtual {
        vm.warp(START_TIME);
        payer = vm.addr(PAYER_KEY);
        etchPermit2();
        token = new TestERC20("Test ERC20", "TERC20", 6, FAUCET_CAP);
        vm.etch(EXACT_PROXY, address(new X402ExactPermit2Proxy()).code);
        vm.etch(UPTO_PROXY, address(new X402UptoPermit2Proxy()).code);
        exact = X402ExactPermit2Proxy(EXACT_PROXY);
        upto = X402UptoPermit2Proxy(UPTO_PROXY);
        token.faucet(payer, INITIAL_BALANCE);
        // The payer's one-time Permit2 approval (a plain ERC-20: no EIP-3009).
        vm.prank(payer);
        token.approve(PERMIT2_ADDRESS, type(uint256).max);
    }

    // ------------------------------------------------------------------------------------------------
    // Builders
    // ------------------------------------------------------------------------------------------------

    function _permit(
        uint256 amount,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (ISignatureTransfer.PermitTransferFrom memory) {
        return
            ISignatureTransfer.PermitTransferFrom({
                permitted: ISignatureTransfer.TokenPermissions({token: address(token), amount: amount}),
                nonce: nonce,
                deadline: deadline
            });
    }

    function _exactWitness(
        address to,
        uint256 validAfter
    ) internal pure returns (IX402ExactPermit2Proxy.Witness memory) {
        return IX402ExactPermit2Proxy.Witness({to: to, validAfter: validAfter});
    }

    function _uptoWitness(
        address to,
        address facilitator,
        uint256 validAfter
    ) internal pure returns (IX402UptoPermit2Proxy.Witness memory) {
        return IX402UptoPermit2Proxy.Witness({to: to, facilitator: facilitator, validAfter: validAfter});
    }

    // ------------------------------------------------------------------------------------------------
    // Digests and signatures (as the official client signs: domain Permit2, spender the proxy)
    // ------------------------------------------------------------------------------------------------

    function _typedDigest(bytes32 domain, bytes32 structHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _tokenPermissionsHash(ISignatureTransfer.PermitTransferFrom memory p) internal pure returns (bytes32) {
        return keccak256(abi.encode(TOKEN_PERMISSIONS_TYPEHASH, p.permitted.token, p.permitted.amount));
    }

    function _exactDigest(
        ISignatureTransfer.PermitTransferFrom memory p,
        address spender,
        IX402ExactPermit2Proxy.Witness memory w
    ) internal view returns (bytes32) {
        bytes32 witnessHash = keccak256(abi.encode(EXACT_WITNESS_TYPEHASH, w.to, w.validAfter));
        bytes32 structHash = keccak256(
            abi.encode(EXACT_PERMIT_TYPEHASH, _tokenPermissionsHash(p), spender, p.nonce, p.deadline, witnessHash)
        );
        return _typedDigest(permit2DomainSeparator(), structHash);
    }

    function _uptoDigest(
        ISignatureTransfer.PermitTransferFrom memory p,
        address spender,
        IX402UptoPermit2Proxy.Witness memory w
    ) internal view returns (bytes32) {
        bytes32 witnessHash = keccak256(abi.encode(UPTO_WITNESS_TYPEHASH, w.to, w.facilitator, w.validAfter));
        bytes32 structHash = keccak256(
            abi.encode(UPTO_PERMIT_TYPEHASH, _tokenPermissionsHash(p), spender, p.nonce, p.deadline, witnessHash)
        );
        return _typedDigest(permit2DomainSeparator(), structHash);
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev The payer's signature of an `exact` payment, spender the exact proxy.
    function _signExact(
        ISignatureTransfer.PermitTransferFrom memory p,
        IX402ExactPermit2Proxy.Witness memory w
    ) internal view returns (bytes memory) {
        return _sign(PAYER_KEY, _exactDigest(p, EXACT_PROXY, w));
    }

    /// @dev The payer's signature of an `upto` payment, spender the upto proxy.
    function _signUpto(
        ISignatureTransfer.PermitTransferFrom memory p,
        IX402UptoPermit2Proxy.Witness memory w
    ) internal view returns (bytes memory) {
        return _sign(PAYER_KEY, _uptoDigest(p, UPTO_PROXY, w));
    }

    /// @dev The payer's EIP-2612 permit of `token` for Permit2, as the official client's gas-sponsoring extension signs it.
    function _signEip2612(
        uint256 value,
        uint256 deadline
    ) internal view returns (IX402Permit2Proxy.EIP2612Permit memory) {
        return _signEip2612(value, deadline, token.nonces(payer));
    }

    /// @dev As above for a given EIP-2612 `nonce` (reads nothing from the token, so no storage slot gets warm).
    function _signEip2612(
        uint256 value,
        uint256 deadline,
        uint256 nonce
    ) internal view returns (IX402Permit2Proxy.EIP2612Permit memory) {
        bytes32 domain = keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256("Test ERC20"), keccak256("1"), block.chainid, address(token))
        );
        bytes32 digest = _typedDigest(
            domain,
            keccak256(abi.encode(EIP2612_PERMIT_TYPEHASH, payer, PERMIT2_ADDRESS, value, nonce, deadline))
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(PAYER_KEY, digest);
        return IX402Permit2Proxy.EIP2612Permit({value: value, deadline: deadline, r: r, s: s, v: v});
    }

    /// @dev Whether Permit2 marks `nonce` of `owner` used (bit `nonce & 0xff` of word `nonce >> 8`).
    function _nonceUsed(address owner, uint256 nonce) internal view returns (bool) {
        uint256 word = ISignatureTransfer(PERMIT2_ADDRESS).nonceBitmap(owner, nonce >> 8);
        return (word >> (nonce & 0xff)) & 1 == 1;
    }
}
