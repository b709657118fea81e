// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "./ISignatureTransfer.sol";
import {IX402ExactPermit2Proxy} from "./IX402ExactPermit2Proxy.sol";
import {IX402UptoPermit2Proxy} from "./IX402UptoPermit2Proxy.sol";

/**
 * @title IBatchSettlementRouter
 * @notice Settles many EIP-3009 authorizations (x402 `exact` payments) in one transaction, across any number of
 * tokens, payers and payees. One bad item never sinks the batch: it is skipped, logged with a decoded reason
 * and reported in the returned results. See https://eips.ethereum.org/EIPS/eip-3009.
 *
 * Two modes:
 *
 * - {settle} (standard): relays ordinary `TransferWithAuthorization` signatures with `to == payTo`, exactly as
 *   the official x402 clients sign them. Funds go straight from payer to payee; the router never holds them.
 *   Anyone may call it: the signatures are the authority. Such signatures are public once sent, so anyone can
 *   also submit one to the token directly first (front-running); the payee still gets paid, and the router
 *   reports the item as `UsedOrCanceled`.
 * - {settleWithFees} (fee-bearing, front-run-proof): the payer signs `ReceiveWithAuthorization` with
 *   `to = this router` and `nonce = feeCommitment(payTo, fee, feeRecipient, salt)`. The router recomputes the
 *   nonce from the split it is given (so nobody can change payee, fee or fee recipient), pulls the funds, and
 *   in the same item pays `value - fee` to `payTo` and `fee` to `feeRecipient`. Only the router can execute a
 *   receive authorization addressed to it. Each item runs in its own call frame, so a failed payout (for
 *   example a blocklisted payee) unwinds the pull as well: the payer's nonce stays unused and nothing is left
 *   in the router. What arrived is measured by the router's balance change, never by `authorizationState`
 *   (a canceled nonce looks "used" too).
 *
 * Against x402's `batch-settlement` scheme (payment channels with cumulative vouchers): channels need a
 * deposit, a channel config, server-side voucher state, timed withdrawals and a separate claim and sweep,
 * and they pay off for many payments between the same payer and payee. This router needs none of that: every
 * item is a self-contained `exact` payment between any payer and any payee, final in the block that includes
 * it, with no funds parked in a contract; the price is one nonce SSTORE and one signature check per payment,
 * which channels amortize away. Where a channel batch reverts whole on one bad voucher, this router isolates
 * every item.
 *
 * Packed batch format (the `batch` argument of {settle} and {settleWithFees}). All integers are big-endian,
 * fields are tightly packed with no padding, and offsets are in bytes from the start of `batch`:
 *
 * ```
 * batch  = itemCount:uint16 ‖ addressCount:uint16 ‖ address[addressCount] (20 bytes each) ‖ item[itemCount]
 * ```
 *
 * Every address the items use (tokens, payers, payees, fee recipients) is written once in the address table;
 * items refer to it by uint16 index (0-based). Items follow back to back; their total length must end exactly
 * at the end of `batch`. A standard item ({settle}):
 *
 * ```
 * offset size field
 *      0    1 flags        bit 0 SIGNATURE_BYTES, bit 1 WIDE, bits 2..7 must be 0
 *      1    2 token        address-table index of the EIP-3009 token
 *      3    2 from         address-table index of the payer (the signer)
 *      5    2 to           address-table index of the payee (x402 `payTo`)
 *      7   12 value        uint96                       (WIDE: 32 bytes, uint256)
 *     19    6 validAfter   uint48                       (WIDE: 32 bytes, uint256)
 *     25    6 validBefore  uint48                       (WIDE: 32 bytes, uint256)
 *     31   32 nonce        bytes32
 *     63    . signature    compact: 64 bytes r ‖ yParityAndS (EIP-2098)
 *                          SIGNATURE_BYTES: length:uint16 ‖ the signature's bytes
 * ```
 *
 * A narrow item with a compact signature is 127 bytes; a WIDE one 199. A fee item ({settleWithFees}):
 *
 * ```
 * offset size field
 *      0    1 flags         as above (WIDE widens value, fee, validAfter and validBefore)
 *      1    2 token
 *      3    2 from
 *      5    2 payTo         receives value - fee
 *      7    2 feeRecipient  receives fee
 *      9   12 value         uint96  (WIDE: 32 bytes)
 *     21   12 fee           uint96  (WIDE: 32 bytes)
 *     33    6 validAfter    uint48  (WIDE: 32 bytes)
 *     39    6 validBefore   uint48  (WIDE: 32 bytes)
 *     45   32 salt          bytes32; the signed nonce is feeCommitment(payTo, fee, feeRecipient, salt)
 *     77    . signature     as above
 * ```
 *
 * A narrow fee item with a compact signature is 141 bytes; a WIDE one 233. Narrow fields are zero-extended,
 * so they encode a value exactly; an encoder must set WIDE when a value needs more than 96 bits or a time
 * more than 48 bits (e.g. `validBefore = type(uint256).max`).
 *
 * Signatures: a compact signature is the 64-byte EIP-2098 form of a 65-byte `r ‖ s ‖ v` ECDSA signature with
 * `v` in {27, 28} and `s` in the lower half order (`yParityAndS = s | (v - 27) << 255`). The router expands it
 * and calls the token's `(v, r, s)` overload, which FiatToken (every version) has; for a contract payer that
 * overload passes `abi.encodePacked(r, s, v)` to ERC-1271, the original 65 bytes. Any other signature
 * (an ERC-1271 wallet's, of any length, or a malformed 65-byte one) goes with SIGNATURE_BYTES to the token's
 * `bytes` overload (FiatToken v2.2 and later), unchanged.
 *
 * Whole-call faults revert with this interface's errors: an empty batch, a truncated or over-long batch,
 * unknown flags, an address index outside the table, or too little gas left to give the next item its
 * `itemGasLimit`. Everything that depends on an item's signed content or on chain state is an item failure.
 *
 * Permit2 payments ({settlePermit2}): x402 `exact` payments with `assetTransferMethod: "permit2"` and `upto`
 * payments, for tokens without EIP-3009. Each item is one call to x402's Permit2 proxy at its official address
 * ({EXACT_PERMIT2_PROXY}, {UPTO_PERMIT2_PROXY}, the same on every chain), with the same isolation, gas rule,
 * results and {AuthorizationFailed} events as the EIP-3009 modes. Items are ABI-encoded structs (the proxies'
 * own argument types), not packed: a Permit2 payment's token call dominates its cost (see docs/benchmarks.md).
 */
interface IBatchSettlementRouter {
    /**
     * @notice Why an item was skipped. `None` (0) means the item settled; in the `results` of {settle} and
     * {settleWithFees} byte `i` is `uint8(FailureReason)` of item `i`.
     * @dev Reasons are decoded from the token's revert data: TestUSDC's and OpenZeppelin's custom errors,
     * FiatToken's and the EIP-3009 reference implementation's revert strings. Anything else is `Other`,
     * reported with the first four bytes of the revert data.
     */
    enum FailureReason {
        None, // settled
        Other, // unrecognised revert data; see `errorSelector` in {AuthorizationFailed}
        NotYetValid, // block.timestamp <= validAfter
        Expired, // block.timestamp >= validBefore
        UsedOrCanceled, // the nonce was used (possibly front-run, see {settle}) or canceled
        InvalidSignature, // wrong signer, tampered field, malformed signature, or refused by ERC-1271
        InsufficientBalance, // the payer holds less than `value`
        Paused, // the token is paused
        Blocklisted, // payer, payee or fee recipient is blocklisted
        GasLimitExceeded, // the item ran out of its `itemGasLimit`
        InvalidToken, // the token address has no code
        InvalidPayee, // a payee or fee recipient is the router itself (its funds would be stranded)
        FeeExceedsValue, // fee mode: fee > value
        AmountMismatch, // fee mode: the router's balance did not grow by exactly `value` on the pull
        InsufficientAllowance, // Permit2 mode: the payer's ERC-20 allowance to Permit2 is below the amount
        AmountExceedsPermitted, // Permit2 upto: the amount to charge is above the signed maximum
        UnauthorizedSettler // Permit2 upto: the witness does not name this router, or the nonce not the caller
    }

    /**
     * @notice An x402 `exact` Permit2 payment, as the official client signs it and as
     * {IX402ExactPermit2Proxy-settle} takes it.
     * @param permit The signed permit (token, amount, nonce, deadline); spender is {EXACT_PERMIT2_PROXY}.
     * @param owner The payer, the permit's signer.
     * @param witness The signed recipient (x402 `payTo`) and earliest settlement time.
     * @param signature The payer's Permit2 signature.
     */
    struct Permit2ExactItem {
        ISignatureTransfer.PermitTransferFrom permit;
        address owner;
        IX402ExactPermit2Proxy.Witness witness;
        bytes signature;
    }

    /**
     * @notice An x402 `upto` Permit2 payment settled through this router: the payer signed `witness.facilitator =
     * this router` and `permit.nonce = uptoSettlerNonce(settler, salt)`, naming the one caller allowed to settle it.
     * @param permit The signed permit (token, maximum amount, nonce, deadline); spender is {UPTO_PERMIT2_PROXY}.
     * @param amount The amount to charge (the usage), at most `permit.permitted.amount`.
     * @param owner The payer, the permit's signer.
     * @param witness The signed recipient, facilitator (this router) and earliest settlement time.
     * @param salt The salt of the nonce commitment (see {uptoSettlerNonce}).
     * @param signature The payer's Permit2 signature.
     */
    struct Permit2UptoItem {
        ISignatureTransfer.PermitTransferFrom permit;
        uint256 amount;
        address owner;
        IX402UptoPermit2Proxy.Witness witness;
        bytes32 salt;
        bytes signature;
    }

    /**
     * @notice Standard-mode item `index` settled ({settle}; fee mode logs {FeeAuthorizationSettled} instead).
     * @dev The token's own logs right before this one carry the payment, so the router does not repeat them
     * (that would cost about 1,100 gas per payment): `AuthorizationUsed(from, nonce)` and `Transfer(from, to,
     * value)`, emitted by the token after the previous item's router log; this log ties them to the batch index.
     */
    event AuthorizationSettled(uint256 index);

    /**
     * @notice Fee-mode item `index` settled ({settleWithFees}): `value - fee` went to `payTo` and `fee` to
     * `feeRecipient`, and `salt` completes the commitment the payer signed. Together with the token's logs it
     * rebuilds the whole settlement from logs alone, also when a share is zero and so not transferred.
     * @dev Emitted right after the item's token logs, which it does not repeat: `AuthorizationUsed(from, nonce)`,
     * `Transfer(from, router, value)`, then `Transfer(router, payTo, value - fee)` unless that share is zero and
     * `Transfer(router, feeRecipient, fee)` unless the fee is zero, all emitted by the token after the previous
     * item's router log. The token is the emitter of `AuthorizationUsed`, and `from` and `value` are in it and the
     * pull. The key joins without relying on log order too: `nonce == feeCommitment(payTo, fee, feeRecipient,
     * salt)` of the emitting router on this chain (see {feeCommitment}), so an indexer recomputes it and matches
     * the token's `AuthorizationUsed(from, nonce)`. No field is indexed (a topic costs more than a data word);
     * filter by the router's address and this event's topic.
     * @param index The item's position in the batch.
     * @param payTo The payee, paid `value - fee`.
     * @param fee The fee.
     * @param feeRecipient The fee recipient, paid `fee`.
     * @param salt The salt of the signed commitment.
     */
    event FeeAuthorizationSettled(uint256 index, address payTo, uint256 fee, address feeRecipient, bytes32 salt);

    /**
     * @notice Item `index` was skipped; nothing moved for it and, unless the reason is `UsedOrCanceled`, its
     * nonce is still unused.
     * @param token The EIP-3009 token.
     * @param from The payer.
     * @param nonce The signed nonce (in fee mode, the commitment).
     * @param index The item's position in the batch.
     * @param reason The decoded reason.
     * @param errorSelector The first four bytes of the revert data that failed the item (zero when there were
     * none, or when the router rejected the item before calling the token).
     */
    event AuthorizationFailed(
        address indexed token,
        address indexed from,
        bytes32 indexed nonce,
        uint256 index,
        FailureReason reason,
        bytes4 errorSelector
    );

    /**
     * @notice Permit2 item `index` settled ({settlePermit2}): the proxy moved the amount from the payer to the
     * witness's recipient.
     * @dev The logs right before this one carry the payment, so the router does not repeat them: the token's
     * `Transfer(owner, to, amount)` (Permit2 moves the funds) and the proxy's `Settled()`. Permit2 logs no nonce
     * use; `nonceBitmap(owner, nonce >> 8)` is the source of truth for it.
     */
    event Permit2PaymentSettled(uint256 index);

    /// @notice The batch declares no items.
    error BatchSettlementEmptyBatch();

    /// @notice The batch ends before the data it declares: reading on needs `requiredLength` bytes, the batch
    /// has `actualLength`.
    error BatchSettlementTruncated(uint256 requiredLength, uint256 actualLength);

    /// @notice The declared items end at `expectedLength` but the batch is `actualLength` bytes long.
    error BatchSettlementLengthMismatch(uint256 expectedLength, uint256 actualLength);

    /// @notice Item `index` sets flag bits this router does not know.
    error BatchSettlementUnknownFlags(uint256 index, uint8 flags);

    /// @notice Item `index` refers to `addressIndex` in an address table of `tableLength` entries.
    error BatchSettlementAddressIndexOutOfRange(uint256 index, uint256 addressIndex, uint256 tableLength);

    /// @notice Only `gasLeft` gas remains before item `index`, which needs `gasRequired` to get its full
    /// `itemGasLimit`. Raise the transaction's gas limit or lower `itemGasLimit`.
    error BatchSettlementInsufficientGas(uint256 index, uint256 gasLeft, uint256 gasRequired);

    /// @notice The Permit2 batch has items for `proxy`, but no code is deployed there (a call would "succeed"
    /// without moving anything).
    error BatchSettlementProxyNotDeployed(address proxy);

    /// @notice `caller` called the router's internal per-item entry point, which only the router may call.
    error BatchSettlementUnauthorizedCaller(address caller);

    /// @notice Fee mode, item level: the pull should have raised the router's balance from `balanceBefore` by
    /// `value`, but it is `balanceAfter` (the item unwinds with reason `AmountMismatch`).
    error BatchSettlementReceivedAmountMismatch(uint256 value, uint256 balanceBefore, uint256 balanceAfter);

    /// @notice Fee mode, item level: after paying out, the router's balance is `balanceAfter` instead of
    /// `balanceBefore` (the item unwinds with reason `AmountMismatch`).
    error BatchSettlementBalanceNotRestored(uint256 balanceBefore, uint256 balanceAfter);

    /**
     * @notice The EIP-712 type hash of the fee commitment: `keccak256("FeeCommitment(uint256 chainId,address router,`
     * `address payTo,uint256 fee,address feeRecipient,bytes32 salt)")` =
     * `0x2c9d7c90201b05ba941666737535c2e3341bbde3b079df1a8030d4d6e515e260`.
     * @return The type hash.
     */
    // solhint-disable-next-line func-name-mixedcase
    function FEE_COMMITMENT_TYPEHASH() external view returns (bytes32);

    /**
     * @notice The nonce a payer signs for a fee-mode payment: a commitment to the split, this chain and this
     * router. It is the EIP-712 `hashStruct` of `FeeCommitment(uint256 chainId,address router,address payTo,
     * uint256 fee,address feeRecipient,bytes32 salt)`, that is
     * `keccak256(abi.encode(FEE_COMMITMENT_TYPEHASH, block.chainid, address(this), payTo, fee, feeRecipient, salt))`.
     * @dev The token, payer, amount and validity window are already in the signed `ReceiveWithAuthorization`
     * (the token through its EIP-712 domain), and `to` is this router. The chain id and router address are
     * bound again so that a commitment can never be replayed on another deployment, whatever authorization
     * type carries it. `salt` makes each payment's nonce unique (use 32 random bytes).
     * @param payTo The payee.
     * @param fee The fee, at most the signed value.
     * @param feeRecipient The fee recipient.
     * @param salt Random per-payment salt.
     * @return The nonce to sign.
     */
    function feeCommitment(
        address payTo,
        uint256 fee,
        address feeRecipient,
        bytes32 salt
    ) external view returns (bytes32);

    /**
     * @notice Settles a packed batch of `TransferWithAuthorization` items (see the format above). Anyone may
     * call it. Each item calls the token's `transferWithAuthorization` with `itemGasLimit` gas; an item that
     * fails emits {AuthorizationFailed} and is skipped, a settled item emits {AuthorizationSettled}.
     * @dev Requirements:
     * - the batch is well formed (else the whole call reverts with a `BatchSettlement...` error);
     * - before each item at least `itemGasLimit + itemGasLimit / 63 + 10_000` gas is left (EIP-150's 63/64
     *   rule), so that an item's outcome never depends on how much gas the caller supplied. The transaction
     *   therefore needs that much more gas than the last item uses (`eth_estimateGas` finds it), else the
     *   whole call reverts with {BatchSettlementInsufficientGas};
     * - no reentrant call from a token.
     *
     * Item failures (never revert): the token rejects the call (window, nonce, signature, balance, pause,
     * blocklist), the token has no code, `to` is the router, or the item needs more than `itemGasLimit`.
     * `UsedOrCanceled` covers both a front-run (the same signature submitted to the token first: the payee was
     * paid) and a payer's cancel (nobody was paid); tell them apart by the token's `AuthorizationUsed` versus
     * `AuthorizationCanceled` log. At 100 items and more a payment costs about 42k gas against TestUSDC
     * (0.62x a standalone `transferWithAuthorization` transaction) and 147 calldata bytes, the token call
     * itself being about 37.7k of it; see bench/results/gas.json. A 30M-gas block holds 714 payments.
     *
     * `itemGasLimit` bounds what one item can burn, e.g. an ERC-1271 wallet that wastes gas in
     * `isValidSignature` (which could otherwise eat the batch). An EOA item's token call needs about 38k gas
     * against TestUSDC and about 45k against USDC (proxy and signature library); 150,000 leaves room for
     * ordinary smart wallets. Simulate first (`eth_call`): the returned results tell which items to drop.
     * @param batch The packed items.
     * @param itemGasLimit Gas forwarded to each item's token call.
     * @return results One byte per item: `uint8(FailureReason)`, 0 when the item settled.
     */
    function settle(bytes calldata batch, uint256 itemGasLimit) external returns (bytes memory results);

    /**
     * @notice Settles a packed batch of fee items (see the format above): for each, pulls `value` from the
     * payer with `receiveWithAuthorization(from, router, value, validAfter, validBefore,
     * feeCommitment(payTo, fee, feeRecipient, salt), signature)`, then pays `value - fee` to `payTo` and `fee`
     * to `feeRecipient`. Anyone may call it. A settled item emits {FeeAuthorizationSettled} (with the split and
     * the salt, so that logs alone rebuild it), a failed one {AuthorizationFailed}.
     * @dev Requirements: as {settle}. Each item runs in a call to {settleFeeItem} with `itemGasLimit` gas, so
     * the pull and both payouts commit together or not at all. The pull must raise the router's balance by
     * exactly `value` and the payouts must bring it back; otherwise the item unwinds (`AmountMismatch`).
     * A zero share (`fee == 0` or `fee == value`) is not transferred.
     *
     * Item failures (never revert): everything {settle} lists, plus `fee > value` (`FeeExceedsValue`), `payTo`
     * or `feeRecipient` being the router (`InvalidPayee`), a failed payout (decoded from the token's error,
     * e.g. `Blocklisted`), and a commitment that does not match the signed nonce, which the token reports as
     * `InvalidSignature`. A payer who cancels the nonce first makes the item fail with `UsedOrCanceled` and the
     * router pays nothing.
     * @param batch The packed fee items.
     * @param itemGasLimit Gas forwarded to each item's call frame (pull and both payouts).
     * @return results One byte per item: `uint8(FailureReason)`, 0 when the item settled.
     */
    function settleWithFees(bytes calldata batch, uint256 itemGasLimit) external returns (bytes memory results);

    /**
     * @notice Internal step of {settleWithFees}, external only so that it runs in its own call frame: pulls
     * `value` with `receiveCall` (the encoded `receiveWithAuthorization` call to `token`), checks the balance
     * change, pays `value - fee` to `payTo` and `fee` to `feeRecipient`, and checks that the router's balance
     * is back where it started. Any failure reverts the whole step, pull included.
     * @dev Requirements: the caller is the router itself (else {BatchSettlementUnauthorizedCaller}); `fee <=
     * value` (the router checks it before calling).
     * @param token The EIP-3009 token.
     * @param receiveCall ABI-encoded `receiveWithAuthorization` call, `to` being the router.
     * @param value The signed amount.
     * @param payTo The payee.
     * @param fee The fee.
     * @param feeRecipient The fee recipient.
     */
    function settleFeeItem(
        address token,
        bytes calldata receiveCall,
        uint256 value,
        address payTo,
        uint256 fee,
        address feeRecipient
    ) external;

    /**
     * @notice x402's `exact` Permit2 proxy, `0x402085c248EeA27D92E8b30b2C58ed07f9E20001` on every chain (x402kit
     * deploys its own, ABI-identical, there on a devnet).
     * @return The proxy every {Permit2ExactItem} is settled through.
     */
    // solhint-disable-next-line func-name-mixedcase
    function EXACT_PERMIT2_PROXY() external view returns (address);

    /**
     * @notice x402's `upto` Permit2 proxy, `0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002` on every chain.
     * @return The proxy every {Permit2UptoItem} is settled through.
     */
    // solhint-disable-next-line func-name-mixedcase
    function UPTO_PERMIT2_PROXY() external view returns (address);

    /**
     * @notice The EIP-712 type hash of the upto settler commitment: `keccak256("UptoSettler(uint256 chainId,`
     * `address router,address settler,bytes32 salt)")`.
     * @return The type hash.
     */
    // solhint-disable-next-line func-name-mixedcase
    function UPTO_SETTLER_TYPEHASH() external view returns (bytes32);

    /**
     * @notice The Permit2 nonce a payer signs for an `upto` payment settled through this router: a commitment to
     * the one `settler` (the facilitator's account) that may settle it, on this chain and through this router. It
     * is `uint256(keccak256(abi.encode(UPTO_SETTLER_TYPEHASH, block.chainid, address(this), settler, salt)))`.
     * @dev The upto proxy lets only `witness.facilitator` settle, and the caller it sees is this router, so the
     * payer names this router there. The router is open to anyone; without this commitment anyone could then
     * settle the payment for any amount up to the maximum (a payer for 0, a payee for the maximum). With it, only
     * `settler` can, as if it were named in the witness. `salt` makes each nonce unique (use 32 random bytes).
     * @param settler The account that will call {settlePermit2} for this payment.
     * @param salt Random per-payment salt.
     * @return The Permit2 nonce to sign.
     */
    function uptoSettlerNonce(address settler, bytes32 salt) external view returns (uint256);

    /**
     * @notice Settles a batch of x402 Permit2 payments: each `exact` item through {EXACT_PERMIT2_PROXY}'s
     * `settle`, then each `upto` item through {UPTO_PERMIT2_PROXY}'s `settle`, each in its own call with
     * `itemGasLimit` gas. Exact items have indexes `0 .. exactItems.length - 1`, upto items follow. A settled item
     * emits {Permit2PaymentSettled}, a failed one {AuthorizationFailed} (`token` the permitted token, `from` the
     * owner, `nonce` the Permit2 nonce as bytes32) and is skipped.
     * @dev Requirements:
     * - at least one item (else {BatchSettlementEmptyBatch});
     * - code at each proxy the batch uses (else {BatchSettlementProxyNotDeployed});
     * - before each item at least `itemGasLimit + itemGasLimit / 63 + 70_000` gas left: as {settle}, plus two
     *   token reads of at most 30,000 gas each that tell a missing allowance from a low balance when Permit2's
     *   transfer fails (else {BatchSettlementInsufficientGas});
     * - no reentrant call.
     *
     * Anyone may call it for exact items: the payer's signature binds token, amount, nonce, deadline, the proxy as
     * spender and the recipient, so the caller chooses nothing but the gas (as with the proxy itself). An upto item
     * settles only for the caller its nonce commits to ({uptoSettlerNonce}), for `amount`, at most the signed
     * maximum; the proxy, then Permit2, check that bound again.
     *
     * Item failures (never revert; nothing moves and the nonce stays unused): an expired deadline (`Expired`),
     * a used nonce (`UsedOrCanceled`, also a payment settled directly on the proxy first, or a nonce the payer
     * invalidated), `validAfter` in the future (`NotYetValid`), a bad signature or zero owner
     * (`InvalidSignature`), a missing Permit2 allowance (`InsufficientAllowance`), too small a balance
     * (`InsufficientBalance`), a zero recipient or the router as recipient (`InvalidPayee`), a token address
     * without code (`InvalidToken`: Permit2's transfer would succeed there without moving anything), running out of
     * `itemGasLimit` (`GasLimitExceeded`); for upto, `amount` above the maximum (`AmountExceedsPermitted`) and a
     * witness or nonce that does not name this router and the caller (`UnauthorizedSettler`). A token that fails
     * otherwise is `Other` with the first four bytes of the revert data.
     * @param exactItems The `exact` payments.
     * @param uptoItems The `upto` payments.
     * @param itemGasLimit Gas forwarded to each item's proxy call.
     * @return results One byte per item (exact items first): `uint8(FailureReason)`, 0 when the item settled.
     */
    function settlePermit2(
        Permit2ExactItem[] calldata exactItems,
        Permit2UptoItem[] calldata uptoItems,
        uint256 itemGasLimit
    ) external returns (bytes memory results);
}
