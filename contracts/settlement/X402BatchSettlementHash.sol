// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IX402BatchSettlement} from "../interfaces/IX402BatchSettlement.sol";

/**
 * @title X402BatchSettlementHash
 * @notice The EIP-712 type hashes, domain and struct hashes of x402's `batch-settlement` channel contract, shared
 * by {X402BatchSettlement} and the deposit collectors (which derive channel ids under their caller's domain).
 * @dev The domain separator is computed from `block.chainid` and the given address on every use, never cached
 * in an immutable: runtime code copied to another address or chain hashes for where it runs.
 */
library X402BatchSettlementHash {
    /// @dev `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`
    bytes32 internal constant DOMAIN_TYPEHASH = 0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f;

    /// @dev The domain name and version the official x402 EVM SDK signs with.
    string internal constant NAME = "x402 Batch Settlement";
    string internal constant VERSION = "1";
    bytes32 internal constant NAME_HASH = keccak256(bytes(NAME));
    bytes32 internal constant VERSION_HASH = keccak256(bytes(VERSION));

    bytes32 internal constant CHANNEL_CONFIG_TYPEHASH = keccak256(
        "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,"
        "address token,uint40 withdrawDelay,bytes32 salt)"
    );
    bytes32 internal constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint128 maxClaimableAmount)");
    bytes32 internal constant REFUND_TYPEHASH = keccak256("Refund(bytes32 channelId,uint256 nonce,uint128 amount)");
    bytes32 internal constant CLAIM_ENTRY_TYPEHASH = keccak256(
        "ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
    );
    bytes32 internal constant CLAIM_BATCH_TYPEHASH = keccak256(
        "ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
    );

    /// @dev The domain separator of a channel contract at `verifyingContract` on this chain.
    function domainSeparator(address verifyingContract) internal view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, verifyingContract));
    }

    /// @dev The channel id of `config` under `domain`: the EIP-712 digest of the `ChannelConfig` struct.
    function channelId(
        IX402BatchSettlement.ChannelConfig calldata config,
        bytes32 domain
    ) internal pure returns (bytes32) {
        // Every field is a static type, so abi.encode lays the struct out as EIP-712's encodeData does.
        return MessageHashUtils.toTypedDataHash(domain, keccak256(abi.encode(CHANNEL_CONFIG_TYPEHASH, config)));
    }

    /// @dev The digest of `Voucher(channelId, maxClaimableAmount)` under `domain`.
    function voucherDigest(bytes32 domain, bytes32 id, uint128 maxClaimableAmount) internal pure returns (bytes32) {
        return
            MessageHashUtils.toTypedDataHash(domain, keccak256(abi.encode(VOUCHER_TYPEHASH, id, maxClaimableAmount)));
    }

    /// @dev The digest of `Refund(channelId, nonce, amount)` under `domain`.
    function refundDigest(bytes32 domain, bytes32 id, uint256 nonce, uint128 amount) internal pure returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(domain, keccak256(abi.encode(REFUND_TYPEHASH, id, nonce, amount)));
    }

    /// @dev The struct hash of one `ClaimEntry`.
    function claimEntryHash(
        bytes32 id,
        uint128 maxClaimableAmount,
        uint128 totalClaimed
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(CLAIM_ENTRY_TYPEHASH, id, maxClaimableAmount, totalClaimed));
    }

    /// @dev The digest of `ClaimBatch(claims)` under `domain`, from the struct hashes of its entries, in order.
    function claimBatchDigest(bytes32 domain, bytes32[] memory entryHashes) internal pure returns (bytes32) {
        bytes32 entriesHash;
        assembly ("memory-safe") {
            // EIP-712 array encoding: keccak256 of the concatenated 32-byte entry hashes, i.e. the array's
            // data area (after its length word), `length * 32` bytes long.
            entriesHash := keccak256(add(entryHashes, 0x20), shl(5, mload(entryHashes)))
        }
        return MessageHashUtils.toTypedDataHash(domain, keccak256(abi.encode(CLAIM_BATCH_TYPEHASH, entriesHash)));
    }
}
