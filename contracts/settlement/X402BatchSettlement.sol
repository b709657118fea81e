// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IDepositCollector} from "../interfaces/IDepositCollector.sol";
import {IX402BatchSettlement} from "../interfaces/IX402BatchSettlement.sol";
import {X402BatchSettlementHash as Hash} from "./X402BatchSettlementHash.sol";

/**
 * @title X402BatchSettlement
 * @notice x402kit's channel contract for x402's EVM `batch-settlement` scheme, wire-compatible with the official
 * x402 EVM SDK 2.27 client, server and facilitator (same ABI, events, EIP-712 domain and types). The
 * specification is {IX402BatchSettlement}; deposits arrive through an {IDepositCollector}
 * ({ERC3009DepositCollector} for EIP-3009 tokens).
 *
 * NOTE: Design choices and their trade-offs:
 *
 * - No immutables, no constructor arguments, no owner. The EIP-712 domain separator is recomputed from
 *   `block.chainid` and `address(this)` on each call (one keccak over 160 bytes, once per call, also for a
 *   whole claim batch), so the runtime code can be copied to the official address with `hardhat_setCode` and
 *   still hashes for the address it runs at. The price is ~250 gas per call against a cached separator.
 * - Claims revert whole: a bad row (bad signature, over the ceiling or the balance) reverts the batch, as in the
 *   official contract; the facilitator simulates before sending. Stale rows (`totalClaimed` not above the
 *   channel's) are skipped, so replaying a batch or racing two claimers is harmless.
 * - {claimWithSignature} checks the authorizer's signature over the whole batch first (deriving each channel id
 *   once, into memory), then applies the rows; loops run over calldata only, never over stored lists.
 * - Checks-effects-interactions everywhere and a transient reentrancy guard on every function that calls out.
 *   A deposit records the new balance before calling the collector and then requires the token balance of this
 *   contract to have grown by exactly the amount; a reentrant or short-paying collector reverts the deposit.
 * - Errors carry the offending values ({IX402BatchSettlement}); the official contract's errors carry none, and
 *   the official facilitator reads only success or failure, so this does not affect wire compatibility.
 */
contract X402BatchSettlement is IX402BatchSettlement, IERC5267, Multicall, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IX402BatchSettlement
    uint40 public constant MIN_WITHDRAW_DELAY = 15 minutes;
    /// @inheritdoc IX402BatchSettlement
    uint40 public constant MAX_WITHDRAW_DELAY = 30 days;

    /// @inheritdoc IX402BatchSettlement
    bytes32 public constant CHANNEL_CONFIG_TYPEHASH = Hash.CHANNEL_CONFIG_TYPEHASH;
    /// @inheritdoc IX402BatchSettlement
    bytes32 public constant VOUCHER_TYPEHASH = Hash.VOUCHER_TYPEHASH;
    /// @inheritdoc IX402BatchSettlement
    bytes32 public constant REFUND_TYPEHASH = Hash.REFUND_TYPEHASH;
    /// @inheritdoc IX402BatchSettlement
    bytes32 public constant CLAIM_ENTRY_TYPEHASH = Hash.CLAIM_ENTRY_TYPEHASH;
    /// @inheritdoc IX402BatchSettlement
    bytes32 public constant CLAIM_BATCH_TYPEHASH = Hash.CLAIM_BATCH_TYPEHASH;

    /// @inheritdoc IX402BatchSettlement
    mapping(bytes32 channelId => ChannelState state) public channels;
    /// @inheritdoc IX402BatchSettlement
    mapping(bytes32 channelId => WithdrawalState withdrawal) public pendingWithdrawals;
    /// @inheritdoc IX402BatchSettlement
    mapping(address receiver => mapping(address token => ReceiverState state)) public receivers;
    /// @inheritdoc IX402BatchSettlement
    /// @dev The value is unnamed: a name would become the getter's output name, which the official ABI leaves empty.
    mapping(bytes32 channelId => uint256) public refundNonce;

    // ------------------------------------------------------------------------------------------------
    // Deposits
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IX402BatchSettlement
    function deposit(
        ChannelConfig calldata config,
        uint128 amount,
        address collector,
        bytes calldata collectorData
    ) external nonReentrant {
        _checkConfig(config);
        if (amount == 0) revert ChannelZeroAmount();
        if (collector == address(0)) revert ChannelInvalidCollector(collector);

        bytes32 channelId = Hash.channelId(config, _domainSeparator());
        ChannelState storage channel = channels[channelId];
        uint128 balance = channel.balance;
        if (amount > type(uint128).max - balance) revert ChannelBalanceOverflow(channelId, balance, amount);
        uint128 newBalance;
        unchecked {
            // amount <= type(uint128).max - balance was checked just above.
            newBalance = balance + amount;
        }
        channel.balance = newBalance;
        if (balance == 0 && channel.totalClaimed == 0) emit ChannelCreated(channelId, config);
        emit Deposited(channelId, msg.sender, amount, newBalance);

        IERC20 token = IERC20(config.token);
        uint256 balanceBefore = token.balanceOf(address(this));
        IDepositCollector(collector).collect(config, amount, collectorData);
        uint256 balanceAfter = token.balanceOf(address(this));
        if (balanceAfter < balanceBefore || balanceAfter - balanceBefore != amount) {
            revert ChannelDepositMismatch(channelId, amount, balanceBefore, balanceAfter);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Claims and settlement
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IX402BatchSettlement
    function claim(VoucherClaim[] calldata voucherClaims) external nonReentrant {
        uint256 count = voucherClaims.length;
        if (count == 0) revert ChannelEmptyBatch();
        bytes32 domain = _domainSeparator();
        for (uint256 i = 0; i < count; ++i) {
            VoucherClaim calldata row = voucherClaims[i];
            ChannelConfig calldata config = row.voucher.channel;
            bytes32 channelId = Hash.channelId(config, domain);
            if (msg.sender != config.receiver && msg.sender != config.receiverAuthorizer) {
                revert ChannelUnauthorizedCaller(channelId, msg.sender);
            }
            _claim(row, channelId, domain);
        }
    }

    /// @inheritdoc IX402BatchSettlement
    function claimWithSignature(
        VoucherClaim[] calldata voucherClaims,
        bytes calldata authorizerSignature
    ) external nonReentrant {
        uint256 count = voucherClaims.length;
        if (count == 0) revert ChannelEmptyBatch();
        bytes32 domain = _domainSeparator();
        address authorizer = voucherClaims[0].voucher.channel.receiverAuthorizer;
        (bytes32[] memory channelIds, bytes32 digest) = _claimBatch(voucherClaims, domain, authorizer);
        if (!SignatureChecker.isValidSignatureNowCalldata(authorizer, digest, authorizerSignature)) {
            revert ChannelInvalidAuthorizerSignature(authorizer);
        }
        for (uint256 i = 0; i < count; ++i) {
            _claim(voucherClaims[i], channelIds[i], domain);
        }
    }

    /// @inheritdoc IX402BatchSettlement
    function settle(address receiver, address token) external nonReentrant {
        ReceiverState storage state = receivers[receiver][token];
        uint128 totalClaimed = state.totalClaimed;
        uint128 amount = totalClaimed - state.totalSettled; // totalSettled only ever catches up with totalClaimed
        if (amount == 0) return;
        state.totalSettled = totalClaimed;
        emit Settled(receiver, token, msg.sender, amount);
        IERC20(token).safeTransfer(receiver, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Timed withdrawal (payer side)
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IX402BatchSettlement
    function initiateWithdraw(ChannelConfig calldata config, uint128 amount) external {
        bytes32 channelId = Hash.channelId(config, _domainSeparator());
        _checkPayerSide(config, channelId);
        if (amount == 0) revert ChannelZeroAmount();
        WithdrawalState storage withdrawal = pendingWithdrawals[channelId];
        uint40 pendingSince = withdrawal.initiatedAt;
        if (pendingSince != 0) revert ChannelWithdrawalPending(channelId, pendingSince);
        uint128 available = _available(channels[channelId]);
        if (amount > available) revert ChannelWithdrawExceedsAvailable(channelId, amount, available);

        // block.timestamp fits in 40 bits until the year 36812.
        uint40 now40 = uint40(block.timestamp);
        withdrawal.amount = amount;
        withdrawal.initiatedAt = now40;
        emit WithdrawInitiated(channelId, amount, now40 + config.withdrawDelay);
    }

    /// @inheritdoc IX402BatchSettlement
    function finalizeWithdraw(ChannelConfig calldata config) external nonReentrant {
        bytes32 channelId = Hash.channelId(config, _domainSeparator());
        _checkPayerSide(config, channelId);
        WithdrawalState storage withdrawal = pendingWithdrawals[channelId];
        uint40 initiatedAt = withdrawal.initiatedAt;
        if (initiatedAt == 0) revert ChannelNoPendingWithdrawal(channelId);
        uint256 finalizeAfter = uint256(initiatedAt) + config.withdrawDelay;
        if (block.timestamp < finalizeAfter) {
            revert ChannelWithdrawDelayNotElapsed(channelId, finalizeAfter, block.timestamp);
        }

        ChannelState storage channel = channels[channelId];
        uint128 available = _available(channel);
        uint128 requested = withdrawal.amount;
        uint128 amount = requested < available ? requested : available;
        delete pendingWithdrawals[channelId];
        unchecked {
            // amount <= available = balance - totalClaimed <= balance.
            channel.balance -= amount;
        }
        emit WithdrawFinalized(channelId, msg.sender, amount);
        if (amount != 0) IERC20(config.token).safeTransfer(config.payer, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Refunds (receiver side)
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IX402BatchSettlement
    function refund(ChannelConfig calldata config, uint128 amount) external nonReentrant {
        bytes32 channelId = Hash.channelId(config, _domainSeparator());
        if (msg.sender != config.receiver && msg.sender != config.receiverAuthorizer) {
            revert ChannelUnauthorizedCaller(channelId, msg.sender);
        }
        _refund(config, channelId, amount);
    }

    /// @inheritdoc IX402BatchSettlement
    function refundWithSignature(
        ChannelConfig calldata config,
        uint128 amount,
        uint256 nonce,
        bytes calldata receiverAuthorizerSignature
    ) external nonReentrant {
        bytes32 domain = _domainSeparator();
        bytes32 channelId = Hash.channelId(config, domain);
        uint256 expected = refundNonce[channelId];
        if (nonce != expected) revert ChannelInvalidRefundNonce(channelId, expected, nonce);
        bytes32 digest = Hash.refundDigest(domain, channelId, nonce, amount);
        if (
            !SignatureChecker.isValidSignatureNowCalldata(
                config.receiverAuthorizer,
                digest,
                receiverAuthorizerSignature
            )
        ) {
            revert ChannelInvalidAuthorizerSignature(config.receiverAuthorizer);
        }
        _refund(config, channelId, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Multicall
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IX402BatchSettlement
    /// @dev OpenZeppelin's {Multicall}: each call is a DELEGATECALL to this contract, so every call keeps its
    /// own reentrancy guard and `msg.sender`.
    function multicall(
        bytes[] calldata data
    ) public override(IX402BatchSettlement, Multicall) returns (bytes[] memory results) {
        return super.multicall(data);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IX402BatchSettlement
    function getChannelId(ChannelConfig calldata config) external view returns (bytes32) {
        return Hash.channelId(config, _domainSeparator());
    }

    /// @inheritdoc IX402BatchSettlement
    function getVoucherDigest(bytes32 channelId, uint128 maxClaimableAmount) external view returns (bytes32) {
        return Hash.voucherDigest(_domainSeparator(), channelId, maxClaimableAmount);
    }

    /// @inheritdoc IX402BatchSettlement
    function getRefundDigest(bytes32 channelId, uint256 nonce, uint128 amount) external view returns (bytes32) {
        return Hash.refundDigest(_domainSeparator(), channelId, nonce, amount);
    }

    /// @inheritdoc IX402BatchSettlement
    /// @dev Any rows, also rows with different receiver authorizers (which {claimWithSignature} would refuse).
    function getClaimBatchDigest(VoucherClaim[] calldata voucherClaims) external view returns (bytes32) {
        bytes32 domain = _domainSeparator();
        uint256 count = voucherClaims.length;
        bytes32[] memory entryHashes = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            VoucherClaim calldata row = voucherClaims[i];
            entryHashes[i] = Hash.claimEntryHash(
                Hash.channelId(row.voucher.channel, domain),
                row.voucher.maxClaimableAmount,
                row.totalClaimed
            );
        }
        return Hash.claimBatchDigest(domain, entryHashes);
    }

    /// @notice The EIP-712 domain (ERC-5267): name "x402 Batch Settlement", version "1", this chain and address.
    /// @return fields `0x0f`: name, version, chainId and verifyingContract.
    /// @return name The domain name.
    /// @return version The domain version.
    /// @return chainId This chain.
    /// @return verifyingContract This contract.
    /// @return salt Unused (zero).
    /// @return extensions None.
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", Hash.NAME, Hash.VERSION, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    // ------------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------------

    /// @dev Applies one claim row of channel `channelId`: skips it when stale, else checks the ceiling, the
    /// balance and the voucher signature, then raises the channel's and the receiver's claimed totals.
    function _claim(VoucherClaim calldata row, bytes32 channelId, bytes32 domain) private {
        ChannelState storage channel = channels[channelId];
        uint128 newTotal = row.totalClaimed;
        uint128 previous = channel.totalClaimed;
        if (newTotal <= previous) return; // superseded or replayed: nothing new to claim
        uint128 ceiling = row.voucher.maxClaimableAmount;
        if (newTotal > ceiling) revert ChannelClaimExceedsCeiling(channelId, newTotal, ceiling);
        uint128 balance = channel.balance;
        if (newTotal > balance) revert ChannelClaimExceedsBalance(channelId, newTotal, balance);
        ChannelConfig calldata config = row.voucher.channel;
        _checkVoucherSignature(config, channelId, Hash.voucherDigest(domain, channelId, ceiling), row.signature);

        uint128 delta;
        unchecked {
            // newTotal > previous was checked above.
            delta = newTotal - previous;
        }
        channel.totalClaimed = newTotal;
        receivers[config.receiver][config.token].totalClaimed += delta;
        emit Claimed(channelId, msg.sender, delta, newTotal);
    }

    /// @dev Derives every row's channel id (checking that each row names `authorizer`) and the batch digest.
    function _claimBatch(
        VoucherClaim[] calldata voucherClaims,
        bytes32 domain,
        address authorizer
    ) private pure returns (bytes32[] memory channelIds, bytes32 digest) {
        uint256 count = voucherClaims.length;
        channelIds = new bytes32[](count);
        bytes32[] memory entryHashes = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            VoucherClaim calldata row = voucherClaims[i];
            ChannelConfig calldata config = row.voucher.channel;
            if (config.receiverAuthorizer != authorizer) {
                revert ChannelAuthorizerMismatch(i, authorizer, config.receiverAuthorizer);
            }
            bytes32 channelId = Hash.channelId(config, domain);
            channelIds[i] = channelId;
            entryHashes[i] = Hash.claimEntryHash(channelId, row.voucher.maxClaimableAmount, row.totalClaimed);
        }
        digest = Hash.claimBatchDigest(domain, entryHashes);
    }

    /// @dev Refunds up to `amount` of the unclaimed balance to the payer; bumps the refund nonce in every case.
    function _refund(ChannelConfig calldata config, bytes32 channelId, uint128 amount) private {
        if (amount == 0) revert ChannelZeroAmount();
        unchecked {
            // One increment per refund call: a uint256 counter does not wrap.
            ++refundNonce[channelId];
        }
        ChannelState storage channel = channels[channelId];
        uint128 available = _available(channel);
        uint128 refunded = amount < available ? amount : available;
        if (refunded == 0) return;
        unchecked {
            // refunded <= available = balance - totalClaimed <= balance.
            channel.balance -= refunded;
        }
        WithdrawalState storage withdrawal = pendingWithdrawals[channelId];
        if (withdrawal.initiatedAt != 0) {
            uint128 pending = withdrawal.amount;
            if (refunded >= pending) {
                delete pendingWithdrawals[channelId];
            } else {
                unchecked {
                    // refunded < pending.
                    withdrawal.amount = pending - refunded;
                }
            }
        }
        emit Refunded(channelId, msg.sender, refunded);
        IERC20(config.token).safeTransfer(config.payer, refunded);
    }

    /// @dev Reverts unless `msg.sender` is the payer or a nonzero payer authorizer of `config`.
    function _checkPayerSide(ChannelConfig calldata config, bytes32 channelId) private view {
        address authorizer = config.payerAuthorizer;
        if (msg.sender != config.payer && (authorizer == address(0) || msg.sender != authorizer)) {
            revert ChannelUnauthorizedCaller(channelId, msg.sender);
        }
    }

    /// @dev Reverts unless the voucher `signature` over `digest` is `payerAuthorizer`'s (ECDSA) when that is
    /// nonzero, else `payer`'s (ECDSA, or ERC-1271 for a contract payer).
    function _checkVoucherSignature(
        ChannelConfig calldata config,
        bytes32 channelId,
        bytes32 digest,
        bytes calldata signature
    ) private view {
        address payerAuthorizer = config.payerAuthorizer;
        if (payerAuthorizer != address(0)) {
            (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(digest, signature);
            if (error != ECDSA.RecoverError.NoError || recovered != payerAuthorizer) {
                revert ChannelInvalidVoucherSignature(channelId, payerAuthorizer);
            }
        } else if (!SignatureChecker.isValidSignatureNowCalldata(config.payer, digest, signature)) {
            revert ChannelInvalidVoucherSignature(channelId, config.payer);
        }
    }

    /// @dev Reverts unless the config can form a channel: nonzero parties and token, delay within bounds.
    function _checkConfig(ChannelConfig calldata config) private pure {
        if (
            config.payer == address(0) ||
            config.receiver == address(0) ||
            config.receiverAuthorizer == address(0) ||
            config.token == address(0)
        ) revert ChannelInvalidConfig(config.payer, config.receiver, config.receiverAuthorizer, config.token);
        uint40 delay = config.withdrawDelay;
        if (delay < MIN_WITHDRAW_DELAY || delay > MAX_WITHDRAW_DELAY) {
            revert ChannelWithdrawDelayOutOfRange(delay, MIN_WITHDRAW_DELAY, MAX_WITHDRAW_DELAY);
        }
    }

    /// @dev The unclaimed balance of a channel.
    function _available(ChannelState storage channel) private view returns (uint128) {
        // totalClaimed <= balance: claims are capped at the balance, and refunds and withdrawals at the rest.
        return channel.balance - channel.totalClaimed;
    }

    /// @dev This contract's EIP-712 domain separator, for the chain and address it runs at.
    function _domainSeparator() private view returns (bytes32) {
        return Hash.domainSeparator(address(this));
    }
}
