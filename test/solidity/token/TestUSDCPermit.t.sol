// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {IERC3009} from "../../../contracts/interfaces/IERC3009.sol";
import {ITestUSDC} from "../../../contracts/interfaces/ITestUSDC.sol";
import {TestUSDCFixture} from "./TestUSDCFixture.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @notice EIP-2612 permit in both forms, after Circle's `testPermit.ts`, for an EOA owner and an ERC-1271
 * wallet owner.
 */
abstract contract PermitSuite is TestUSDCFixture {
    address internal owner;
    address internal constant SPENDER = address(0x5EE);
    uint256 internal constant VALUE = 7e6;

    function _usesBytes() internal pure virtual returns (bool);

    function _usesWallet() internal pure virtual returns (bool);

    function setUp() public virtual override {
        super.setUp();
        owner = _usesWallet() ? address(new ERC1271WalletMock(vm.addr(PAYER_KEY), false)) : vm.addr(PAYER_KEY);
    }

    function _permit(address permitOwner, uint256 value, uint256 deadline, bytes memory signature) internal {
        if (_usesBytes()) {
            token.permit(permitOwner, SPENDER, value, deadline, signature);
        } else {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            token.permit(permitOwner, SPENDER, value, deadline, v, r, s);
        }
    }

    function _signPermit(uint256 value, uint256 nonce, uint256 deadline) internal view returns (bytes memory) {
        return _sign(PAYER_KEY, _permitDigest(owner, SPENDER, value, nonce, deadline));
    }

    function _invalidSigner(bytes32 digest, bytes memory signature) internal view returns (bytes memory) {
        address signer = owner.code.length == 0 ? _ecrecover(digest, signature) : address(0);
        return abi.encodeWithSelector(ITestUSDC.ERC2612InvalidSigner.selector, signer, owner);
    }

    function test_permit_grantsAllowanceAndUsesNonce() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signPermit(VALUE, 0, deadline);
        vm.expectEmit(address(token));
        emit IERC20.Approval(owner, SPENDER, VALUE);
        vm.prank(RELAYER);
        _permit(owner, VALUE, deadline, signature);
        assertEq(token.allowance(owner, SPENDER), VALUE);
        assertEq(token.nonces(owner), 1);
    }

    function test_permit_acceptsMaxDeadline() public {
        bytes memory signature = _signPermit(VALUE, 0, type(uint256).max);
        vm.warp(type(uint64).max);
        _permit(owner, VALUE, type(uint256).max, signature);
        assertEq(token.allowance(owner, SPENDER), VALUE);
    }

    function test_permit_acceptsDeadlineEqualToNow() public {
        _permit(owner, VALUE, block.timestamp, _signPermit(VALUE, 0, block.timestamp));
        assertEq(token.allowance(owner, SPENDER), VALUE);
    }

    function test_permit_rejectsExpired() public {
        uint256 deadline = block.timestamp - 1;
        bytes memory signature = _signPermit(VALUE, 0, deadline);
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.ERC2612ExpiredSignature.selector, deadline));
        _permit(owner, VALUE, deadline, signature);
    }

    function test_permit_rejectsReplay() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signPermit(VALUE, 0, deadline);
        _permit(owner, VALUE, deadline, signature);
        vm.expectRevert(_invalidSigner(_permitDigest(owner, SPENDER, VALUE, 1, deadline), signature));
        _permit(owner, VALUE, deadline, signature);
    }

    function test_permit_rejectsWrongNonce() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signPermit(VALUE, 1, deadline);
        vm.expectRevert(_invalidSigner(_permitDigest(owner, SPENDER, VALUE, 0, deadline), signature));
        _permit(owner, VALUE, deadline, signature);
    }

    function test_permit_rejectsTamperedValue() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signPermit(VALUE, 0, deadline);
        vm.expectRevert(_invalidSigner(_permitDigest(owner, SPENDER, VALUE + 1, 0, deadline), signature));
        _permit(owner, VALUE + 1, deadline, signature);
    }

    function test_permit_rejectsWrongSigner() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = _permitDigest(owner, SPENDER, VALUE, 0, deadline);
        bytes memory signature = _sign(OTHER_KEY, digest);
        vm.expectRevert(_invalidSigner(digest, signature));
        _permit(owner, VALUE, deadline, signature);
    }

    function test_permit_rejectsSignatureOverOtherType() public {
        // A TransferWithAuthorization signature with the same words is not a permit.
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _sign(
            PAYER_KEY,
            _typedDigest(_domain(), keccak256(abi.encode(TRANSFER_TYPEHASH, owner, SPENDER, VALUE, 0, deadline)))
        );
        vm.expectRevert(_invalidSigner(_permitDigest(owner, SPENDER, VALUE, 0, deadline), signature));
        _permit(owner, VALUE, deadline, signature);
    }

    function test_permit_rejectsZeroAddressSpender() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _sign(PAYER_KEY, _permitDigest(owner, address(0), VALUE, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidSpender.selector, address(0)));
        if (_usesBytes()) {
            token.permit(owner, address(0), VALUE, deadline, signature);
        } else {
            (uint8 v, bytes32 r, bytes32 s) = _split(signature);
            token.permit(owner, address(0), VALUE, deadline, v, r, s);
        }
    }

    function test_permit_rejectsWhenPaused() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signPermit(VALUE, 0, deadline);
        vm.prank(ADMIN);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        _permit(owner, VALUE, deadline, signature);
    }

    function test_permit_grantsAllowanceWhenOwnerOrSpenderBlocklisted() public {
        // FiatToken v2.2: permit has no blocklist check.
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _signPermit(VALUE, 0, deadline);
        vm.startPrank(ADMIN);
        token.blocklist(owner);
        token.blocklist(SPENDER);
        vm.stopPrank();
        _permit(owner, VALUE, deadline, signature);
        assertEq(token.allowance(owner, SPENDER), VALUE);
    }
}

contract TestUSDCPermitEoaVrsTest is PermitSuite {
    function _usesBytes() internal pure override returns (bool) {
        return false;
    }

    function _usesWallet() internal pure override returns (bool) {
        return false;
    }

    function test_permit_rejectsHighS() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _highS(_signPermit(VALUE, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureS.selector, s));
        token.permit(owner, SPENDER, VALUE, deadline, v, r, s);
    }

    function test_permit_rejectsBadV() public {
        uint256 deadline = block.timestamp + 1 hours;
        (, bytes32 r, bytes32 s) = _split(_signPermit(VALUE, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureV.selector, 30));
        token.permit(owner, SPENDER, VALUE, deadline, 30, r, s);
    }
}

contract TestUSDCPermitEoaBytesTest is PermitSuite {
    function _usesBytes() internal pure override returns (bool) {
        return true;
    }

    function _usesWallet() internal pure override returns (bool) {
        return false;
    }

    function test_permit_rejectsWrongSignatureLength() public {
        vm.expectRevert(abi.encodeWithSelector(IERC3009.ERC3009InvalidSignatureLength.selector, 64));
        token.permit(owner, SPENDER, VALUE, block.timestamp, new bytes(64));
    }
}

contract TestUSDCPermitWalletBytesTest is PermitSuite {
    function _usesBytes() internal pure override returns (bool) {
        return true;
    }

    function _usesWallet() internal pure override returns (bool) {
        return true;
    }

    function test_permit_rejectsRefusingWallet() public {
        address refusing = address(new ERC1271WalletMock(vm.addr(PAYER_KEY), true));
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _sign(PAYER_KEY, _permitDigest(refusing, SPENDER, VALUE, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(ITestUSDC.ERC2612InvalidSigner.selector, address(0), refusing));
        token.permit(refusing, SPENDER, VALUE, deadline, signature);
        assertEq(token.nonces(refusing), 0);
    }
}

contract TestUSDCPermitWalletVrsTest is PermitSuite {
    function _usesBytes() internal pure override returns (bool) {
        return false;
    }

    function _usesWallet() internal pure override returns (bool) {
        return true;
    }
}
