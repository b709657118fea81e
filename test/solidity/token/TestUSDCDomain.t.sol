// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ShortStrings} from "@openzeppelin/contracts/utils/ShortStrings.sol";
import {ITestUSDC} from "../../../contracts/interfaces/ITestUSDC.sol";
import {TestUSDC} from "../../../contracts/token/TestUSDC.sol";
import {TestUSDCFixture} from "./TestUSDCFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice Pins what x402 facilitators and clients read: metadata, type hashes, the EIP-712 domain (including
 * the real Base Sepolia and Base USDC separators) and FiatToken's function selectors.
 */
contract TestUSDCDomainTest is TestUSDCFixture {
    address internal constant BASE_SEPOLIA_USDC = 0x036CbD53842c5426634e7929541eC2318f3dCF7e;
    address internal constant BASE_USDC = 0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913;

    function test_metadata_matchesUsdc() public view {
        assertEq(token.name(), "USDC");
        assertEq(token.symbol(), "USDC");
        assertEq(token.decimals(), 6);
        assertEq(token.version(), "2");
        assertEq(token.totalSupply(), 0);
    }

    function test_typehashes_arePinned() public view {
        assertEq(token.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), TRANSFER_TYPEHASH);
        assertEq(token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), RECEIVE_TYPEHASH);
        assertEq(token.CANCEL_AUTHORIZATION_TYPEHASH(), CANCEL_TYPEHASH);
        assertEq(token.PERMIT_TYPEHASH(), PERMIT_TYPEHASH);
        // The pinned values are the hashes of the EIP type strings.
        assertEq(
            TRANSFER_TYPEHASH,
            keccak256(
                "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
            )
        );
        assertEq(
            RECEIVE_TYPEHASH,
            keccak256(
                "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
            )
        );
        assertEq(CANCEL_TYPEHASH, keccak256("CancelAuthorization(address authorizer,bytes32 nonce)"));
        assertEq(
            PERMIT_TYPEHASH,
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
        );
        assertEq(
            DOMAIN_TYPEHASH,
            keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
        );
    }

    function test_eventTopics_arePinned() public pure {
        assertEq(AUTHORIZATION_USED_TOPIC, keccak256("AuthorizationUsed(address,bytes32)"));
        assertEq(AUTHORIZATION_CANCELED_TOPIC, keccak256("AuthorizationCanceled(address,bytes32)"));
    }

    function test_DOMAIN_SEPARATOR_isBuiltFromNameVersionChainAndAddress() public view {
        assertEq(token.DOMAIN_SEPARATOR(), _domainSeparator("USDC", "2", block.chainid, address(token)));
    }

    function test_DOMAIN_SEPARATOR_followsChainId() public {
        bytes32 before = token.DOMAIN_SEPARATOR();
        vm.chainId(84532);
        assertEq(token.DOMAIN_SEPARATOR(), _domainSeparator("USDC", "2", 84532, address(token)));
        assertTrue(token.DOMAIN_SEPARATOR() != before, "separator must change with the chain id");
    }

    function test_DOMAIN_SEPARATOR_equalsBaseSepoliaUsdc() public {
        // Same code at Base Sepolia USDC's address on chain 84532 gives USDC's published separator.
        vm.etch(BASE_SEPOLIA_USDC, address(token).code);
        vm.chainId(84532);
        assertEq(
            ITestUSDC(BASE_SEPOLIA_USDC).DOMAIN_SEPARATOR(),
            0x71f17a3b2ff373b803d70a5a07c046c1a2bc8e89c09ef722fcb047abe94c9818
        );
    }

    function test_DOMAIN_SEPARATOR_equalsBaseUsdcWithUsdCoinName() public {
        TestUSDC usdCoin = new TestUSDC("USD Coin", "USDC", "2", ADMIN);
        vm.etch(BASE_USDC, address(usdCoin).code);
        vm.chainId(8453);
        assertEq(
            ITestUSDC(BASE_USDC).DOMAIN_SEPARATOR(),
            0x02fa7265e7c5d81118673727957699e4d68f74cd74b7db77da710fe8a2c7834f
        );
        assertEq(ITestUSDC(BASE_USDC).name(), "USD Coin");
    }

    function test_eip712Domain_reportsTheDomain() public view {
        (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        ) = token.eip712Domain();
        assertEq(uint256(uint8(fields)), 0x0f); // name, version, chainId, verifyingContract
        assertEq(name, token.name());
        assertEq(version, token.version());
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(token));
        assertEq(salt, bytes32(0));
        assertEq(extensions.length, 0);
    }

    function test_constructor_rejectsZeroAddressAdmin() public {
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.TestUSDCZeroAddress.selector));
        new TestUSDC("USDC", "USDC", "2", address(0));
    }

    function test_constructor_rejectsNameLongerThan31Bytes() public {
        string memory long = "A name that is longer than 31 b.";
        vm.expectRevert(abi.encodeWithSelector(ShortStrings.StringTooLong.selector, long));
        new TestUSDC(long, "USDC", "2", ADMIN);
    }

    function test_constructor_grantsEveryRoleToAdmin() public view {
        assertTrue(token.hasRole(token.DEFAULT_ADMIN_ROLE(), ADMIN));
        assertTrue(token.hasRole(token.MASTER_MINTER_ROLE(), ADMIN));
        assertTrue(token.hasRole(token.PAUSER_ROLE(), ADMIN));
        assertTrue(token.hasRole(token.BLOCKLISTER_ROLE(), ADMIN));
        assertEq(token.MASTER_MINTER_ROLE(), keccak256("MASTER_MINTER_ROLE"));
        assertEq(token.PAUSER_ROLE(), keccak256("PAUSER_ROLE"));
        assertEq(token.BLOCKLISTER_ROLE(), keccak256("BLOCKLISTER_ROLE"));
    }

    // Every FiatToken v2.2 entry point x402 uses answers at USDC's selector.

    function test_selectors_transferWithAuthorizationMatchFiatToken() public {
        address payer = _fundedPayer();
        Authorization memory a = _auth(payer, keccak256("selector vrs"));
        (uint8 v, bytes32 r, bytes32 s) = _split(_sign(PAYER_KEY, _transferDigest(a)));
        _call(0xe3ee160e, abi.encode(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s));
        a = _auth(payer, keccak256("selector bytes"));
        bytes memory signature = _sign(PAYER_KEY, _transferDigest(a));
        _call(0xcf092995, abi.encode(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature));
        assertEq(token.balanceOf(PAYEE), 2 * a.value);
    }

    function test_selectors_receiveWithAuthorizationMatchFiatToken() public {
        address payer = _fundedPayer();
        Authorization memory a = _auth(payer, keccak256("selector receive vrs"));
        (uint8 v, bytes32 r, bytes32 s) = _split(_sign(PAYER_KEY, _receiveDigest(a)));
        vm.prank(PAYEE);
        _call(0xef55bec6, abi.encode(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s));
        a = _auth(payer, keccak256("selector receive bytes"));
        bytes memory signature = _sign(PAYER_KEY, _receiveDigest(a));
        vm.prank(PAYEE);
        _call(0x88b7ab63, abi.encode(a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, signature));
        assertEq(token.balanceOf(PAYEE), 2 * a.value);
    }

    function test_selectors_cancelAuthorizationAndStateMatchFiatToken() public {
        address payer = vm.addr(PAYER_KEY);
        bytes32 nonce = keccak256("selector cancel vrs");
        (uint8 v, bytes32 r, bytes32 s) = _split(_sign(PAYER_KEY, _cancelDigest(payer, nonce)));
        _call(0x5a049a70, abi.encode(payer, nonce, v, r, s));
        bytes32 nonce2 = keccak256("selector cancel bytes");
        _call(0xb7b72899, abi.encode(payer, nonce2, _sign(PAYER_KEY, _cancelDigest(payer, nonce2))));
        (bool ok, bytes memory state) = address(token).staticcall(abi.encodeWithSelector(0xe94a0102, payer, nonce));
        assertTrue(ok);
        assertTrue(abi.decode(state, (bool)));
        assertTrue(token.authorizationState(payer, nonce2));
    }

    function test_selectors_permitMatchFiatToken() public {
        address payer = vm.addr(PAYER_KEY);
        uint256 deadline = block.timestamp + 1;
        (uint8 v, bytes32 r, bytes32 s) = _split(_sign(PAYER_KEY, _permitDigest(payer, PAYEE, 1, 0, deadline)));
        _call(0xd505accf, abi.encode(payer, PAYEE, 1, deadline, v, r, s));
        bytes memory signature = _sign(PAYER_KEY, _permitDigest(payer, PAYEE, 2, 1, deadline));
        _call(0x9fd5a6cf, abi.encode(payer, PAYEE, 2, deadline, signature));
        assertEq(token.allowance(payer, PAYEE), 2);
    }

    function _fundedPayer() private returns (address payer) {
        payer = vm.addr(PAYER_KEY);
        _mintTo(payer, INITIAL_BALANCE);
    }

    function _call(bytes4 selector, bytes memory arguments) private {
        (bool ok, ) = address(token).call(abi.encodePacked(selector, arguments));
        assertTrue(ok, "call by FiatToken selector failed");
    }
}
