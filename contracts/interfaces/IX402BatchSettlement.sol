// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IX402BatchSettlement
 * @notice The channel contract of x402's EVM `batch-settlement` scheme: a payer opens a unidirectional channel
 * with one deposit, pays each request with an off-chain cumulative voucher, and the receiver side claims many
 * vouchers (of many channels) in one transaction and later sweeps the claimed funds with {settle}. This is the
 * ABI, the events and the EIP-712 types that the official x402 EVM SDK 2.27 client, server and facilitator use
 * (its `batch-settlement` entry points), with x402kit's own custom errors. Spec: x402
 * `specs/schemes/batch-settlement/scheme_batch_settlement_evm.md`; official deployment
 * `0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003`.
 *
 * Channel identity. A channel is its immutable {ChannelConfig}; `channelId` is the EIP-712 digest of that
 * config under the domain `{name: "x402 Batch Settlement", version: "1", chainId, verifyingContract: this}`,
 * so the same config has another id on another chain or at another address (no cross-chain or
 * cross-deployment replay). There is no "open" call: the first {deposit} creates the channel.
 *
 * EIP-712 types (all under the domain above; the `ChannelConfig` string is one line, wrapped here):
 *
 * ```
 * ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,
 *   address token,uint40 withdrawDelay,bytes32 salt)
 * Voucher(bytes32 channelId,uint128 maxClaimableAmount)
 * Refund(bytes32 channelId,uint256 nonce,uint128 amount)
 * ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)
 * ```
 *
 * Accounting. Per channel, `balance` is what was deposited minus what was refunded or withdrawn, and
 * `totalClaimed` is the cumulative amount the receiver has claimed; `balance - totalClaimed` is available to the
 * payer. A voucher signs a cumulative ceiling `maxClaimableAmount`; a claim names the new cumulative
 * `totalClaimed` (at most the ceiling and the balance), so an old or repeated voucher is a no-op, never a second
 * payment. Claims only move accounting to `receivers[receiver][token].totalClaimed`; {settle} transfers
 * `totalClaimed - totalSettled` to the receiver.
 *
 * Roles (all from the config): the payer (or its `payerAuthorizer`, an EOA key, when nonzero) signs vouchers and
 * may withdraw after `withdrawDelay`; the receiver or its `receiverAuthorizer` claims and refunds, directly or by
 * an EIP-712 signature of the `receiverAuthorizer` that anyone may relay.
 *
 * Unclaimed vouchers reserve nothing: a withdrawal finalized before a claim lands takes the unclaimed balance.
 * Receivers must claim during the `withdrawDelay` window after {WithdrawInitiated}.
 */
interface IX402BatchSettlement {
    /**
     * @notice The immutable parameters of a channel; its EIP-712 digest is the channel id.
     * @param payer Owner of the deposited funds; receives refunds and withdrawals.
     * @param payerAuthorizer EOA that signs vouchers (ECDSA only), or `address(0)`: then `payer` signs, by ECDSA
     * or, for a contract payer, ERC-1271.
     * @param receiver Receives the claimed funds on {settle}.
     * @param receiverAuthorizer Authorizes claims and refunds; must be nonzero.
     * @param token The ERC-20 token of the channel.
     * @param withdrawDelay Seconds between {initiateWithdraw} and {finalizeWithdraw}, in
     * [{MIN_WITHDRAW_DELAY}, {MAX_WITHDRAW_DELAY}].
     * @param salt Distinguishes channels with otherwise equal parameters.
     */
    struct ChannelConfig {
        address payer;
        address payerAuthorizer;
        address receiver;
        address receiverAuthorizer;
        address token;
        uint40 withdrawDelay;
        bytes32 salt;
    }

    /// @notice Escrow of one channel: `balance` (deposits minus refunds and withdrawals) and the cumulative claim.
    struct ChannelState {
        uint128 balance;
        uint128 totalClaimed;
    }

    /// @notice A pending timed withdrawal: the requested amount and when it started (0: none pending).
    struct WithdrawalState {
        uint128 amount;
        uint40 initiatedAt;
    }

    /// @notice Per receiver and token: everything claimed for it and everything already transferred to it.
    struct ReceiverState {
        uint128 totalClaimed;
        uint128 totalSettled;
    }

    /// @notice What the payer signs, with the config in place of the channel id (the contract derives the id).
    struct Voucher {
        ChannelConfig channel;
        uint128 maxClaimableAmount;
    }

    /// @notice One claim row: the voucher, its signature and the new cumulative total claimed (not a delta).
    struct VoucherClaim {
        Voucher voucher;
        bytes signature;
        uint128 totalClaimed;
    }

    /// @notice A deposit brought the channel's balance up from zero with nothing claimed (first deposit, or the
    /// first after the channel was drained by refunds or withdrawals: indexers must accept repeats).
    event ChannelCreated(bytes32 indexed channelId, ChannelConfig config);

    /// @notice `sender` deposited `amount` into `channelId`, whose balance is now `newBalance`.
    event Deposited(bytes32 indexed channelId, address indexed sender, uint128 amount, uint128 newBalance);

    /// @notice `sender` raised `channelId`'s cumulative claim by `claimAmount` to `newTotalClaimed`.
    event Claimed(bytes32 indexed channelId, address indexed sender, uint128 claimAmount, uint128 newTotalClaimed);

    /// @notice `amount` of `token` claimed for `receiver` was transferred to it; `sender` called {settle}.
    event Settled(address indexed receiver, address indexed token, address indexed sender, uint128 amount);

    /// @notice `amount` of `channelId`'s unclaimed balance went back to the payer; `sender` made the call.
    event Refunded(bytes32 indexed channelId, address indexed sender, uint128 amount);

    /// @notice A withdrawal of up to `amount` from `channelId` can be finalized from `finalizeAfter` on.
    event WithdrawInitiated(bytes32 indexed channelId, uint128 amount, uint40 finalizeAfter);

    /// @notice A withdrawal of `amount` from `channelId` went to the payer; `sender` finalized it.
    event WithdrawFinalized(bytes32 indexed channelId, address indexed sender, uint128 amount);

    /// @notice A config field that must be nonzero is zero (the four addresses are reported as given).
    error ChannelInvalidConfig(address payer, address receiver, address receiverAuthorizer, address token);

    /// @notice `withdrawDelay` is outside [`minDelay`, `maxDelay`].
    error ChannelWithdrawDelayOutOfRange(uint40 withdrawDelay, uint40 minDelay, uint40 maxDelay);

    /// @notice A deposit, refund or withdrawal amount of zero.
    error ChannelZeroAmount();

    /// @notice The deposit collector is `address(0)`.
    error ChannelInvalidCollector(address collector);

    /// @notice Depositing `amount` would take `channelId`'s `balance` past `type(uint128).max`.
    error ChannelBalanceOverflow(bytes32 channelId, uint128 balance, uint128 amount);

    /// @notice The collector did not raise this contract's token balance by exactly `amount`.
    error ChannelDepositMismatch(bytes32 channelId, uint256 amount, uint256 balanceBefore, uint256 balanceAfter);

    /// @notice A claim batch without rows.
    error ChannelEmptyBatch();

    /// @notice `caller` may not do this on `channelId` (claims and refunds: receiver side; withdrawals: payer side).
    error ChannelUnauthorizedCaller(bytes32 channelId, address caller);

    /// @notice The voucher signature for `channelId` is not `signer`'s (`payerAuthorizer`, or else `payer`).
    error ChannelInvalidVoucherSignature(bytes32 channelId, address signer);

    /// @notice The claim-batch or refund signature is not `receiverAuthorizer`'s.
    error ChannelInvalidAuthorizerSignature(address receiverAuthorizer);

    /// @notice Row `index` of a signed claim batch names `actual` as receiverAuthorizer, not the batch's `expected`.
    error ChannelAuthorizerMismatch(uint256 index, address expected, address actual);

    /// @notice A claim's `totalClaimed` is above the voucher's `maxClaimableAmount`.
    error ChannelClaimExceedsCeiling(bytes32 channelId, uint128 totalClaimed, uint128 maxClaimableAmount);

    /// @notice A claim's `totalClaimed` is above the channel's `balance`.
    error ChannelClaimExceedsBalance(bytes32 channelId, uint128 totalClaimed, uint128 balance);

    /// @notice `channelId` already has a withdrawal pending since `initiatedAt`.
    error ChannelWithdrawalPending(bytes32 channelId, uint40 initiatedAt);

    /// @notice `channelId` has no pending withdrawal.
    error ChannelNoPendingWithdrawal(bytes32 channelId);

    /// @notice The withdrawal of `channelId` can be finalized only from `finalizeAfter` on; it is `currentTime`.
    error ChannelWithdrawDelayNotElapsed(bytes32 channelId, uint256 finalizeAfter, uint256 currentTime);

    /// @notice A withdrawal of `amount` asks for more than the `available` unclaimed balance.
    error ChannelWithdrawExceedsAvailable(bytes32 channelId, uint128 amount, uint128 available);

    /// @notice A signed refund carries `nonce`, but `channelId`'s next refund nonce is `expected`.
    error ChannelInvalidRefundNonce(bytes32 channelId, uint256 expected, uint256 nonce);

    /**
     * @notice Deposits `amount` of `config.token` into the channel of `config`, pulled by `collector`.
     * @dev Requirements:
     * - `config.payer`, `config.receiver`, `config.receiverAuthorizer` and `config.token` are nonzero and
     *   `config.withdrawDelay` is within [{MIN_WITHDRAW_DELAY}, {MAX_WITHDRAW_DELAY}];
     * - `amount > 0`, `collector != address(0)`, and the balance stays within `uint128`;
     * - `collector.collect(config, amount, collectorData)` raises this contract's token balance by exactly
     *   `amount` (checked by balance, so fee-on-transfer tokens are refused).
     * Anyone may call: the collector's authorization (e.g. the payer's ERC-3009 signature) is the authority.
     * Emits {ChannelCreated} when the balance was zero with nothing claimed, and {Deposited}.
     * @param config The channel.
     * @param amount Amount to deposit.
     * @param collector The deposit collector (e.g. the ERC-3009 collector).
     * @param collectorData Collector-specific data, passed through unchanged.
     */
    function deposit(
        ChannelConfig calldata config,
        uint128 amount,
        address collector,
        bytes calldata collectorData
    ) external;

    /**
     * @notice Applies claim rows sent by each row's receiver side.
     * @dev Requirements, per row: `msg.sender` is the row's `receiver` or `receiverAuthorizer`; a row whose
     * `totalClaimed` does not exceed the channel's current `totalClaimed` is skipped (stale or replayed);
     * otherwise `totalClaimed <= maxClaimableAmount`, `totalClaimed <= balance`, and the voucher signature is
     * valid. A failing row reverts the whole call. Emits {Claimed} per applied row.
     * @param voucherClaims The rows; at least one.
     */
    function claim(VoucherClaim[] calldata voucherClaims) external;

    /**
     * @notice Applies claim rows authorized by one `receiverAuthorizer` signature over the whole batch; anyone
     * may relay it.
     * @dev Requirements: at least one row; every row has the first row's `receiverAuthorizer`;
     * `authorizerSignature` is that authorizer's (ECDSA or ERC-1271) over {getClaimBatchDigest}; then each row as
     * in {claim}.
     * @param voucherClaims The rows.
     * @param authorizerSignature The `receiverAuthorizer`'s `ClaimBatch` signature.
     */
    function claimWithSignature(VoucherClaim[] calldata voucherClaims, bytes calldata authorizerSignature) external;

    /**
     * @notice Transfers everything claimed but not yet transferred for (`receiver`, `token`) to `receiver`.
     * @dev Permissionless. A no-op (no event) when nothing is pending. Emits {Settled}.
     * @param receiver The receiver.
     * @param token The token.
     */
    function settle(address receiver, address token) external;

    /**
     * @notice Starts a timed withdrawal of up to `amount` of the channel's unclaimed balance.
     * @dev Requirements: `msg.sender` is `config.payer` or a nonzero `config.payerAuthorizer`; `amount > 0`; no
     * withdrawal pending; `amount <= balance - totalClaimed`. Emits {WithdrawInitiated}.
     * @param config The channel.
     * @param amount The amount requested; {finalizeWithdraw} caps it at what is then unclaimed.
     */
    function initiateWithdraw(ChannelConfig calldata config, uint128 amount) external;

    /**
     * @notice Completes a pending withdrawal: sends `min(amount, balance - totalClaimed)` to the payer.
     * @dev Requirements: `msg.sender` is `config.payer` or a nonzero `config.payerAuthorizer`; a withdrawal is
     * pending and `block.timestamp >= initiatedAt + withdrawDelay`. Emits {WithdrawFinalized}.
     * @param config The channel.
     */
    function finalizeWithdraw(ChannelConfig calldata config) external;

    /**
     * @notice Cooperative refund by the receiver side of up to `amount` of the unclaimed balance to the payer.
     * @dev Requirements: `msg.sender` is `config.receiver` or `config.receiverAuthorizer`; `amount > 0`. Bumps
     * {refundNonce} (also when nothing is left to refund, then a no-op), caps the amount at
     * `balance - totalClaimed`, and lowers (or clears) a pending withdrawal by what it refunds. Emits {Refunded}
     * unless the capped amount is zero.
     * @param config The channel.
     * @param amount The amount requested.
     */
    function refund(ChannelConfig calldata config, uint128 amount) external;

    /**
     * @notice {refund} authorized by a `receiverAuthorizer` EIP-712 `Refund` signature; anyone may relay it.
     * @dev Requirements: `nonce == refundNonce(channelId)`; the signature is `config.receiverAuthorizer`'s (ECDSA
     * or ERC-1271) over {getRefundDigest}`(channelId, nonce, amount)`; then as {refund}. The nonce bump makes
     * each signature single-use.
     * @param config The channel.
     * @param amount The signed amount.
     * @param nonce The signed nonce.
     * @param receiverAuthorizerSignature The signature.
     */
    function refundWithSignature(
        ChannelConfig calldata config,
        uint128 amount,
        uint256 nonce,
        bytes calldata receiverAuthorizerSignature
    ) external;

    /**
     * @notice Runs several calls of this contract in one transaction (e.g. claimWithSignature then
     * refundWithSignature); reverts if any call reverts.
     * @param data ABI-encoded calls to this contract.
     * @return results Their return data.
     */
    function multicall(bytes[] calldata data) external returns (bytes[] memory results);

    /// @notice Smallest accepted `withdrawDelay`: 15 minutes.
    function MIN_WITHDRAW_DELAY() external view returns (uint40);

    /// @notice Largest accepted `withdrawDelay`: 30 days.
    function MAX_WITHDRAW_DELAY() external view returns (uint40);

    /// @notice keccak256 of the `ChannelConfig` type string.
    function CHANNEL_CONFIG_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256 of the `Voucher` type string.
    function VOUCHER_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256 of the `Refund` type string.
    function REFUND_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256 of the `ClaimEntry` type string.
    function CLAIM_ENTRY_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256 of the `ClaimBatch` type string (with `ClaimEntry` appended).
    function CLAIM_BATCH_TYPEHASH() external view returns (bytes32);

    /**
     * @notice The channel id of `config` on this chain at this address.
     * @param config The channel.
     * @return The EIP-712 digest of `config`.
     */
    function getChannelId(ChannelConfig calldata config) external view returns (bytes32);

    /**
     * @notice The digest a payer signs for a voucher.
     * @param channelId The channel.
     * @param maxClaimableAmount The cumulative ceiling.
     * @return The EIP-712 digest of `Voucher(channelId, maxClaimableAmount)`.
     */
    function getVoucherDigest(bytes32 channelId, uint128 maxClaimableAmount) external view returns (bytes32);

    /**
     * @notice The digest a `receiverAuthorizer` signs for a refund.
     * @param channelId The channel.
     * @param nonce The refund nonce.
     * @param amount The refund amount.
     * @return The EIP-712 digest of `Refund(channelId, nonce, amount)`.
     */
    function getRefundDigest(bytes32 channelId, uint256 nonce, uint128 amount) external view returns (bytes32);

    /**
     * @notice The digest a `receiverAuthorizer` signs for {claimWithSignature}.
     * @param voucherClaims The rows, in order.
     * @return The EIP-712 digest of `ClaimBatch` over the rows' `(channelId, maxClaimableAmount, totalClaimed)`.
     */
    function getClaimBatchDigest(VoucherClaim[] calldata voucherClaims) external view returns (bytes32);

    /**
     * @notice The escrow of a channel.
     * @param channelId The channel.
     * @return balance Deposits minus refunds and withdrawals.
     * @return totalClaimed The cumulative claim.
     */
    function channels(bytes32 channelId) external view returns (uint128 balance, uint128 totalClaimed);

    /**
     * @notice The pending withdrawal of a channel.
     * @param channelId The channel.
     * @return amount The amount requested.
     * @return initiatedAt When it started; 0 when none is pending.
     */
    function pendingWithdrawals(bytes32 channelId) external view returns (uint128 amount, uint40 initiatedAt);

    /**
     * @notice The claim and settlement totals of a receiver in a token.
     * @param receiver The receiver.
     * @param token The token.
     * @return totalClaimed Everything claimed for it.
     * @return totalSettled Everything transferred to it.
     */
    function receivers(
        address receiver,
        address token
    ) external view returns (uint128 totalClaimed, uint128 totalSettled);

    /**
     * @notice The nonce the next signed refund of a channel must carry.
     * @param channelId The channel.
     * @return The number of refunds so far.
     */
    function refundNonce(bytes32 channelId) external view returns (uint256);
}
