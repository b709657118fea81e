// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {Permit2DepositCollector} from "../../../contracts/settlement/Permit2DepositCollector.sol";
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
 * @title Permit2DepositCollectorFixture
 * @notice The channel contract fixture plus Permit2 (the bindings' build, `Permit2Code`) etched at its canonical
 * address with its immutables set for this chain, the Permit2 deposit collector, and signers that rebuild every
 * digest from the type strings the official x402 EVM SDK 2.27 signs (`batchPermit2WitnessTypes`:
 * `PermitWitnessTransferFrom` with `DepositWitness(bytes32 channelId)`; EIP-2612 `Permit` for the token).
 */
abstract contract Permit2DepositCollectorFixture is X402BatchSettlementFixture {
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

    function setUp() public virtual override {
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

    /// @dev `data` with `permitData` as its EIP-2612 part.
    function _withPermit(bytes memory data, bytes memory permitData) internal pure returns (bytes memory) {
        (uint256 nonce, uint256 deadline, bytes memory signature, ) = abi.decode(
            data,
            (uint256, uint256, bytes, bytes)
        );
        return abi.encode(nonce, deadline, signature, permitData);
    }
}
