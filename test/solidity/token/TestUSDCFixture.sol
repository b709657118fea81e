// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TestUSDC} from "../../../contracts/token/TestUSDC.sol";
import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @title TestUSDCFixture
 * @notice Shared setup for the TestUSDC tests: a token deployed as Base Sepolia USDC ("USDC", "2"), an admin
 * that is also a minter, fixed keys, and EIP-712 helpers that rebuild every hash from the pinned type hashes
 * (never from the token's own getters), so the tests check the token's construction independently.
 */
abstract contract TestUSDCFixture is Test {
    struct Authorization {
        address from;
        address to;
        uint256 value;
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
    }

    // Pinned constants (EIP-3009, EIP-2612, EIP-712; values from the research notes, recomputed there).
    bytes32 internal constant DOMAIN_TYPEHASH = 0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f;
    bytes32 internal constant TRANSFER_TYPEHASH = 0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267;
    bytes32 internal constant RECEIVE_TYPEHASH = 0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8;
    bytes32 internal constant CANCEL_TYPEHASH = 0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429;
    bytes32 internal constant PERMIT_TYPEHASH = 0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9;
    bytes32 internal constant AUTHORIZATION_USED_TOPIC =
        0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5;
    bytes32 internal constant AUTHORIZATION_CANCELED_TOPIC =
        0x1cdd46ff242716cdaa72d159d339a485b3438398348d68f09d7c8c0a59353d81;
    bytes32 internal constant TRANSFER_TOPIC = keccak256("Transfer(address,address,uint256)");

    /// @dev secp256k1 group order.
    uint256 internal constant CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint256 internal constant PAYER_KEY = 0xA11CE;
    uint256 internal constant OTHER_KEY = 0xB0B;
    uint256 internal constant START_TIME = 1_750_000_000;
    uint256 internal constant INITIAL_BALANCE = 1_000e6;

    address internal constant ADMIN = address(0xAD);
    address internal constant PAYEE = address(0xBEEF);
    address internal constant RELAYER = address(0xFEE);

    TestUSDC internal token;

    function setUp() public virtual {
        vm.warp(START_TIME);
        token = new TestUSDC("USDC", "USDC", "2", ADMIN);
        vm.prank(ADMIN);
        token.configureMinter(ADMIN, type(uint256).max);
    }

    function _mintTo(address to, uint256 amount) internal {
        vm.prank(ADMIN);
        token.mint(to, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // EIP-712
    // ------------------------------------------------------------------------------------------------

    function _domainSeparator(
        string memory name,
        string memory version,
        uint256 chainId,
        address verifyingContract
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    DOMAIN_TYPEHASH,
                    keccak256(bytes(name)),
                    keccak256(bytes(version)),
                    chainId,
                    verifyingContract
                )
            );
    }

    /// @dev The domain the fixture's token must use on the current chain.
    function _domain() internal view returns (bytes32) {
        return _domainSeparator("USDC", "2", block.chainid, address(token));
    }

    function _typedDigest(bytes32 domainSeparator, bytes32 structHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _authorizationHash(bytes32 typeHash, Authorization memory a) internal pure returns (bytes32) {
        return keccak256(abi.encode(typeHash, a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce));
    }

    function _transferDigest(Authorization memory a) internal view returns (bytes32) {
        return _typedDigest(_domain(), _authorizationHash(TRANSFER_TYPEHASH, a));
    }

    function _receiveDigest(Authorization memory a) internal view returns (bytes32) {
        return _typedDigest(_domain(), _authorizationHash(RECEIVE_TYPEHASH, a));
    }

    function _cancelDigest(address authorizer, bytes32 nonce) internal view returns (bytes32) {
        return _typedDigest(_domain(), keccak256(abi.encode(CANCEL_TYPEHASH, authorizer, nonce)));
    }

    function _permitDigest(
        address owner,
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        return _typedDigest(_domain(), keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline)));
    }

    // ------------------------------------------------------------------------------------------------
    // Signatures
    // ------------------------------------------------------------------------------------------------

    /// @dev 65-byte `r ‖ s ‖ v` signature of `digest` by `key`.
    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _split(bytes memory signature) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
        require(signature.length == 65, "split: not 65 bytes");
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
    }

    /// @dev The malleable twin of a low-s signature: s' = n - s and v flipped. Recovers to the same signer.
    function _highS(bytes memory signature) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
        (v, r, s) = _split(signature);
        s = bytes32(CURVE_ORDER - uint256(s));
        v = v == 27 ? 28 : 27;
    }

    /// @dev What `ecrecover` makes of `signature` over `digest` (the `signer` a token reports on mismatch).
    function _ecrecover(bytes32 digest, bytes memory signature) internal pure returns (address) {
        (uint8 v, bytes32 r, bytes32 s) = _split(signature);
        return ecrecover(digest, v, r, s);
    }

    function _auth(address from, bytes32 nonce) internal view returns (Authorization memory) {
        return
            Authorization({
                from: from,
                to: PAYEE,
                value: 10e6,
                validAfter: block.timestamp - 600,
                validBefore: block.timestamp + 60,
                nonce: nonce
            });
    }
}
