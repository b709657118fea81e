// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ITestERC20} from "../../../contracts/interfaces/ITestERC20.sol";
import {TestERC20} from "../../../contracts/token/TestERC20.sol";
import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @title TestERC20Test
 * @notice The plain test token: metadata, the capped public faucet, EIP-2612 `permit` under the
 * (name, "1", chainId, this) domain, and no EIP-3009.
 */
contract TestERC20Test is Test {
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    uint256 internal constant OWNER_KEY = 0xA11CE;
    uint256 internal constant CAP = 1_000e6;
    address internal constant SPENDER = address(0x5BE);

    TestERC20 internal token;
    address internal owner;

    function setUp() public {
        token = new TestERC20("Test ERC20", "TERC20", 6, CAP);
        owner = vm.addr(OWNER_KEY);
    }

    function _permitDigest(
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Test ERC20"), keccak256("1"), block.chainid, address(token))
        );
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function test_metadata() public view {
        assertEq(token.name(), "Test ERC20");
        assertEq(token.symbol(), "TERC20");
        assertEq(uint256(token.decimals()), 6);
        assertEq(token.totalSupply(), 0);
        assertEq(token.faucetCap(), CAP);
    }

    function test_faucet_mintsToAnyRecipientForAnyCaller() public {
        vm.prank(address(0xCA11));
        token.faucet(owner, CAP);
        token.faucet(owner, 1);
        assertEq(token.balanceOf(owner), CAP + 1, "two drips, no cooldown");
        assertEq(token.totalSupply(), CAP + 1);
    }

    function test_faucet_rejectsAnAmountAboveTheCap() public {
        vm.expectRevert(abi.encodeWithSelector(ITestERC20.TestERC20FaucetCapExceeded.selector, CAP + 1, CAP));
        token.faucet(owner, CAP + 1);
    }

    function test_faucet_rejectsTheZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        token.faucet(address(0), 1);
    }

    function test_permit_setsTheAllowance() public {
        uint256 deadline = block.timestamp + 60;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_KEY, _permitDigest(SPENDER, 123, 0, deadline));
        token.permit(owner, SPENDER, 123, deadline, v, r, s);
        assertEq(token.allowance(owner, SPENDER), 123);
        assertEq(token.nonces(owner), 1);
    }

    function test_permit_rejectsAReplay() public {
        uint256 deadline = block.timestamp + 60;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_KEY, _permitDigest(SPENDER, 123, 0, deadline));
        token.permit(owner, SPENDER, 123, deadline, v, r, s);
        // The nonce moved on, so the same signature recovers another signer.
        address recovered = ecrecover(_permitDigest(SPENDER, 123, 1, deadline), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, recovered, owner));
        token.permit(owner, SPENDER, 123, deadline, v, r, s);
    }

    function test_permit_rejectsAnExpiredDeadline() public {
        uint256 deadline = block.timestamp + 60;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_KEY, _permitDigest(SPENDER, 123, 0, deadline));
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(owner, SPENDER, 123, deadline, v, r, s);
    }

    function test_hasNoEip3009() public {
        (bool ok, ) = address(token).call(
            abi.encodeWithSignature(
                "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)",
                owner,
                SPENDER,
                1,
                0,
                type(uint256).max,
                bytes32(0),
                ""
            )
        );
        assertFalse(ok, "no transferWithAuthorization");
    }

    function testFuzz_faucet_mintsUpToTheCap(address to, uint256 amount) public {
        vm.assume(to != address(0));
        amount = bound(amount, 0, CAP * 2);
        if (amount > CAP) {
            vm.expectRevert(abi.encodeWithSelector(ITestERC20.TestERC20FaucetCapExceeded.selector, amount, CAP));
        }
        token.faucet(to, amount);
        assertEq(token.balanceOf(to), amount > CAP ? 0 : amount);
    }

    function testFuzz_transferFrom_spendsThePermittedAllowance(uint256 value, uint256 spent) public {
        value = bound(value, 0, CAP);
        spent = bound(spent, 0, value);
        token.faucet(owner, CAP);
        uint256 deadline = block.timestamp + 60;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(OWNER_KEY, _permitDigest(SPENDER, value, 0, deadline));
        token.permit(owner, SPENDER, value, deadline, v, r, s);
        vm.prank(SPENDER);
        token.transferFrom(owner, SPENDER, spent);
        assertEq(token.balanceOf(SPENDER), spent);
        assertEq(token.allowance(owner, SPENDER), value - spent);
    }
}
