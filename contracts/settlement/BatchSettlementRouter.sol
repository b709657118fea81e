// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IBatchSettlementRouter} from "../interfaces/IBatchSettlementRouter.sol";
import {ISignatureTransfer} from "../interfaces/ISignatureTransfer.sol";
import {IX402ExactPermit2Proxy} from "../interfaces/IX402ExactPermit2Proxy.sol";
import {IX402UptoPermit2Proxy} from "../interfaces/IX402UptoPermit2Proxy.sol";

/**
 * @title BatchSettlementRouter
 * @notice Settles packed batches of EIP-3009 authorizations against any EIP-3009 token (TestUSDC, USDC on
 * Base and Base Sepolia, OpenZeppelin's ERC3009): plain x402 `exact` payments with {settle}, fee-splitting
 * `ReceiveWithAuthorization` payments with {settleWithFees}. The specification, the packed format and the
 * comparison with x402's channel-based `batch-settlement` scheme are in {IBatchSettlementRouter}.
 *
 * NOTE: Design choices and their trade-offs:
 *
 * - Gas first. Items are tightly packed calldata (127 bytes for a typical payment, plus 20 per new address)
 *   decoded in place in one pass, straight into the ABI encoding of the token call, in scratch memory that
 *   every item reuses (memory does not grow with the batch). {settle} runs items on an assembly fast path
 *   that only decodes, calls and logs; any item that needs attention (a failed call, a bad token or payee,
 *   malformed data, too little gas) drops to Solidity, which handles it and resumes the fast path. A settled
 *   standard item logs only its index: the token's own `AuthorizationUsed` and `Transfer` logs carry the
 *   payment. A settled fee item logs its index and what the token's logs lack (the split and the salt), from
 *   the words its `settleFeeItem` call already holds in memory.
 * - One pass. A malformed item is found when the loop reaches it and reverts the whole call, undoing the
 *   items before it: the same outcome as validating everything first, without a second pass over the data.
 * - Isolation. Each item is one low-level call with a fixed gas limit (standard mode: the token; fee mode:
 *   {settleFeeItem} on this contract, so that the pull and the payouts commit or unwind together), and the
 *   router checks before each item that the limit can really be forwarded. An item's outcome therefore never
 *   depends on the transaction's gas limit, and a gas-burning ERC-1271 wallet costs the batch at most
 *   `itemGasLimit`. Only the first four bytes of revert data are read (and a short revert string hashed), so
 *   a token cannot grief the router with huge revert data.
 * - Stateless. No owner, no upgrades, no storage besides the transient reentrancy flag, no fees of its own.
 *   Tokens sent to the router directly (not through an item) stay there: fee mode accounts only by balance
 *   change, so they are never paid out to anyone, and nothing can recover them. Never sign a
 *   `TransferWithAuthorization` to the router; fee mode uses `ReceiveWithAuthorization`, which only the
 *   router can execute.
 * - Failure reasons are decoded generically (custom errors of TestUSDC and OpenZeppelin, revert strings of
 *   FiatToken and of the EIP-3009 reference implementation) into {FailureReason}; anything else is `Other`
 *   with the raw selector.
 * - Permit2 payments ({settlePermit2}) go through x402's Permit2 proxies at their fixed official addresses, not
 *   through proxies the caller names. A caller-named proxy could be any contract that "succeeds" without paying,
 *   and the router's {Permit2PaymentSettled} would then vouch for a payment that never happened; with fixed
 *   addresses a settled item always means the real proxy had Permit2 move the funds. The proxies are the same
 *   bytecode-independent addresses on every chain (x402kit puts its ABI-identical proxies there on a devnet), and
 *   a payer's signature names the proxy as spender anyway, so no other proxy could use it. The router checks
 *   that code is there (a call to an empty account would succeed). These items are plain ABI structs decoded by
 *   Solidity: Permit2's signature check and nonce bitmap dominate their cost, not decoding.
 * - An `upto` payment through the router names the router as `witness.facilitator` (the proxy only lets the
 *   named facilitator settle, and it sees the router as caller); since the router is open to anyone, the payer
 *   commits to the real settler in the Permit2 nonce ({uptoSettlerNonce}), and the router settles the item only
 *   for that caller. Exact payments need no such binding: they can be settled by anyone, for exactly the signed
 *   amount, to exactly the signed recipient.
 */
contract BatchSettlementRouter is IBatchSettlementRouter, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /**
     * @dev A batch being settled. Assembly reads the fields by offset: start 0x00, end 0x20, table 0x40,
     * tableLength 0x60, itemCount 0x80, itemGasLimit 0xa0, gasRequired 0xc0, knownToken 0xe0, cursor 0x100,
     * index 0x120, itemEnd 0x140, itemToken 0x160, gasMeasure 0x180. Offsets are absolute calldata offsets.
     */
    struct Batch {
        uint256 start; // first byte of `batch`
        uint256 end; // one past its last byte
        uint256 table; // first address-table entry
        uint256 tableLength; // number of entries
        uint256 itemCount;
        uint256 itemGasLimit; // gas forwarded to each item's call
        uint256 gasRequired; // gas that must be left before an item (see {_gasRequired})
        address knownToken; // last token seen to have code
        uint256 cursor; // start of the current item
        uint256 index; // index of the current item
        // Set by {_runTransfers} for the item that stopped it:
        uint256 itemEnd; // where the item ends
        address itemToken; // its token
        uint256 gasMeasure; // STOP_LOW_GAS: the gas left; STOP_CALL_FAILED: the gas the call used
    }

    /// @inheritdoc IBatchSettlementRouter
    /// @dev A literal so that assembly can use it; the tests check it against the type string.
    bytes32 public constant FEE_COMMITMENT_TYPEHASH =
        0x2c9d7c90201b05ba941666737535c2e3341bbde3b079df1a8030d4d6e515e260;

    /// @inheritdoc IBatchSettlementRouter
    address public constant EXACT_PERMIT2_PROXY = 0x402085c248EeA27D92E8b30b2C58ed07f9E20001;

    /// @inheritdoc IBatchSettlementRouter
    address public constant UPTO_PERMIT2_PROXY = 0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002;

    /// @inheritdoc IBatchSettlementRouter
    bytes32 public constant UPTO_SETTLER_TYPEHASH = keccak256(
        "UptoSettler(uint256 chainId,address router,address settler,bytes32 salt)"
    );

    /// @dev Uniswap's Permit2, the spender of the payers' ERC-20 allowances (read when an item fails).
    address private constant PERMIT2 = 0x000000000022D473030F116dDEE9F6B43aC78BA3;

    /// @dev Gas for each read of a token's allowance or balance while classifying a failed Permit2 item.
    uint256 private constant TOKEN_READ_GAS = 30_000;

    /// @dev Item flag: the signature is `length:uint16 ‖ bytes`, for the token's `bytes` overload.
    uint256 private constant FLAG_SIGNATURE_BYTES = 0x01;
    /// @dev Item flag: amounts and times are full 32-byte words.
    uint256 private constant FLAG_WIDE = 0x02;

    /// @dev Gas kept back per item on top of the forwarded limit: the CALL itself (up to a cold account
    /// access) and the router's work after it (decoding a failure, logging).
    uint256 private constant ITEM_GAS_RESERVE = 10_000;

    /// @dev Longest revert string the decoder hashes; every string it knows is shorter.
    uint256 private constant MAX_REASON_STRING = 96;

    // Selectors and topics as literals, so that assembly can use them; the tests check each derivation.
    /// @dev `transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)`
    bytes4 internal constant TRANSFER_VRS = 0xe3ee160e;
    /// @dev `transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)`
    bytes4 internal constant TRANSFER_BYTES = 0xcf092995;
    /// @dev `receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)`
    bytes4 internal constant RECEIVE_VRS = 0xef55bec6;
    /// @dev `receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)`
    bytes4 internal constant RECEIVE_BYTES = 0x88b7ab63;
    /// @dev `settleFeeItem(address,bytes,uint256,address,uint256,address)`
    bytes4 internal constant SETTLE_FEE_ITEM = 0x8e15be59;
    /// @dev `keccak256("AuthorizationSettled(uint256)")`
    bytes32 internal constant AUTHORIZATION_SETTLED_TOPIC =
        0x2ec538e06eb20269f7a85f2c79ef7e97bc89130443d4351fa14c69331e8e441e;
    /// @dev `keccak256("FeeAuthorizationSettled(uint256,address,uint256,address,bytes32)")`
    bytes32 internal constant FEE_AUTHORIZATION_SETTLED_TOPIC =
        0x94352c1ff7c036cb3bbf2828251bc1695aaf9e018a05f9c0d498256460a0c9b1;

    // Why a fast path ({_runTransfers}, {_runFeeItems}) stopped.
    uint256 private constant STOP_DONE = 0;
    uint256 private constant STOP_MALFORMED = 1;
    uint256 private constant STOP_INVALID_TOKEN = 2;
    uint256 private constant STOP_INVALID_PAYEE = 3;
    uint256 private constant STOP_LOW_GAS = 4;
    uint256 private constant STOP_CALL_FAILED = 5;
    uint256 private constant STOP_FEE_EXCEEDS_VALUE = 6;

    // Custom errors of EIP-3009 tokens (TestUSDC, OpenZeppelin 5 ERC3009/ECDSA/Pausable, ERC-6093).
    bytes4 private constant ERR_NOT_YET_VALID = bytes4(keccak256("ERC3009AuthorizationNotYetValid(uint256,uint256)"));
    bytes4 private constant ERR_EXPIRED = bytes4(keccak256("ERC3009AuthorizationExpired(uint256,uint256)"));
    bytes4 private constant ERR_INVALID_TIME = bytes4(keccak256("ERC3009InvalidAuthorizationTime(uint256,uint256)"));
    bytes4 private constant ERR_USED_OR_CANCELED = bytes4(
        keccak256("ERC3009AuthorizationUsedOrCanceled(address,bytes32)")
    );
    bytes4 private constant ERR_USED = bytes4(keccak256("ERC3009UsedAuthorization(address,bytes32)"));
    bytes4 private constant ERR_INVALID_SIGNER = bytes4(keccak256("ERC3009InvalidSignature(address,address)"));
    bytes4 private constant ERR_INVALID_SIGNATURE = bytes4(keccak256("ERC3009InvalidSignature()"));
    bytes4 private constant ERR_SIGNATURE_LENGTH = bytes4(keccak256("ERC3009InvalidSignatureLength(uint256)"));
    bytes4 private constant ERR_SIGNATURE_S = bytes4(keccak256("ERC3009InvalidSignatureS(bytes32)"));
    bytes4 private constant ERR_SIGNATURE_V = bytes4(keccak256("ERC3009InvalidSignatureV(uint8)"));
    bytes4 private constant ERR_ECDSA_SIGNATURE = bytes4(keccak256("ECDSAInvalidSignature()"));
    bytes4 private constant ERR_ECDSA_LENGTH = bytes4(keccak256("ECDSAInvalidSignatureLength(uint256)"));
    bytes4 private constant ERR_ECDSA_S = bytes4(keccak256("ECDSAInvalidSignatureS(bytes32)"));
    bytes4 private constant ERR_INSUFFICIENT_BALANCE = bytes4(
        keccak256("ERC20InsufficientBalance(address,uint256,uint256)")
    );
    bytes4 private constant ERR_PAUSED = bytes4(keccak256("EnforcedPause()"));
    bytes4 private constant ERR_BLOCKLISTED = bytes4(keccak256("TestUSDCBlocklisted(address)"));
    bytes4 private constant ERR_STRING = bytes4(keccak256("Error(string)"));
    bytes4 private constant ERR_INSUFFICIENT_ALLOWANCE = bytes4(
        keccak256("ERC20InsufficientAllowance(address,uint256,uint256)")
    );

    // Errors of Permit2 (SignatureTransfer, PermitErrors, SignatureVerification) and of the x402 Permit2 proxies.
    bytes4 private constant ERR_P2_INVALID_NONCE = bytes4(keccak256("InvalidNonce()"));
    bytes4 private constant ERR_P2_SIGNATURE_EXPIRED = bytes4(keccak256("SignatureExpired(uint256)"));
    bytes4 private constant ERR_P2_INVALID_SIGNER = bytes4(keccak256("InvalidSigner()"));
    bytes4 private constant ERR_P2_INVALID_SIGNATURE = bytes4(keccak256("InvalidSignature()"));
    bytes4 private constant ERR_P2_SIGNATURE_LENGTH = bytes4(keccak256("InvalidSignatureLength()"));
    bytes4 private constant ERR_P2_CONTRACT_SIGNATURE = bytes4(keccak256("InvalidContractSignature()"));
    bytes4 private constant ERR_P2_INVALID_AMOUNT = bytes4(keccak256("InvalidAmount(uint256)"));
    bytes4 private constant ERR_PROXY_INVALID_OWNER = bytes4(keccak256("InvalidOwner()"));
    bytes4 private constant ERR_PROXY_INVALID_DESTINATION = bytes4(keccak256("InvalidDestination()"));
    bytes4 private constant ERR_PROXY_TOO_EARLY = bytes4(keccak256("PaymentTooEarly()"));
    bytes4 private constant ERR_PROXY_AMOUNT_EXCEEDS = bytes4(keccak256("AmountExceedsPermitted()"));
    bytes4 private constant ERR_PROXY_UNAUTHORIZED = bytes4(keccak256("UnauthorizedFacilitator()"));

    /// @inheritdoc IBatchSettlementRouter
    function feeCommitment(
        address payTo,
        uint256 fee,
        address feeRecipient,
        bytes32 salt
    ) external view returns (bytes32) {
        return _feeCommitment(payTo, fee, feeRecipient, salt, _scratch());
    }

    /// @inheritdoc IBatchSettlementRouter
    function settle(bytes calldata batch, uint256 itemGasLimit) external nonReentrant returns (bytes memory results) {
        return _settle(batch, itemGasLimit, false);
    }

    /// @inheritdoc IBatchSettlementRouter
    function settleWithFees(
        bytes calldata batch,
        uint256 itemGasLimit
    ) external nonReentrant returns (bytes memory results) {
        return _settle(batch, itemGasLimit, true);
    }

    /// @inheritdoc IBatchSettlementRouter
    function uptoSettlerNonce(address settler, bytes32 salt) external view returns (uint256) {
        return _uptoSettlerNonce(settler, salt);
    }

    /// @inheritdoc IBatchSettlementRouter
    function settlePermit2(
        Permit2ExactItem[] calldata exactItems,
        Permit2UptoItem[] calldata uptoItems,
        uint256 itemGasLimit
    ) external nonReentrant returns (bytes memory results) {
        uint256 exactCount = exactItems.length;
        uint256 uptoCount = uptoItems.length;
        // Calldata array lengths are far below 2^128: no overflow.
        uint256 count = exactCount + uptoCount;
        if (count == 0) revert BatchSettlementEmptyBatch();
        if (exactCount != 0 && EXACT_PERMIT2_PROXY.code.length == 0) {
            revert BatchSettlementProxyNotDeployed(EXACT_PERMIT2_PROXY);
        }
        if (uptoCount != 0 && UPTO_PERMIT2_PROXY.code.length == 0) {
            revert BatchSettlementProxyNotDeployed(UPTO_PERMIT2_PROXY);
        }
        results = new bytes(count);
        // Beyond the item's own gas: what classifying a refused transfer may read ({_transferShortfall}).
        uint256 gasRequired = _gasRequired(itemGasLimit);
        if (gasRequired != type(uint256).max) gasRequired += 2 * TOKEN_READ_GAS;
        for (uint256 i; i < exactCount; ++i) {
            _settleExactItem(results, i, exactItems[i], itemGasLimit, gasRequired);
        }
        for (uint256 j; j < uptoCount; ++j) {
            _settleUptoItem(results, exactCount + j, uptoItems[j], itemGasLimit, gasRequired);
        }
    }

    /// @inheritdoc IBatchSettlementRouter
    function settleFeeItem(
        address token,
        bytes calldata receiveCall,
        uint256 value,
        address payTo,
        uint256 fee,
        address feeRecipient
    ) external {
        if (msg.sender != address(this)) revert BatchSettlementUnauthorizedCaller(msg.sender);
        uint256 balanceBefore = _balanceOf(token);
        _callOrBubble(token, receiveCall);
        uint256 balanceAfter = _balanceOf(token);
        if (balanceAfter < balanceBefore || balanceAfter - balanceBefore != value) {
            revert BatchSettlementReceivedAmountMismatch(value, balanceBefore, balanceAfter);
        }
        uint256 amount;
        unchecked {
            // settleWithFees only calls this with fee <= value.
            amount = value - fee;
        }
        if (amount != 0) IERC20(token).safeTransfer(payTo, amount);
        if (fee != 0) IERC20(token).safeTransfer(feeRecipient, fee);
        balanceAfter = _balanceOf(token);
        if (balanceAfter != balanceBefore) revert BatchSettlementBalanceNotRestored(balanceBefore, balanceAfter);
    }

    // ------------------------------------------------------------------------------------------------
    // Batch loop
    // ------------------------------------------------------------------------------------------------

    /**
     * @dev Settles every item of `batch`: runs the mode's assembly fast path ({_runTransfers} or
     * {_runFeeItems}), which decodes, calls and logs items until one needs attention; handles that one here
     * (a whole-call revert, or a recorded failure), and resumes after it.
     */
    function _settle(bytes calldata batch, uint256 itemGasLimit, bool feeMode) private returns (bytes memory results) {
        Batch memory b = _openBatch(batch, itemGasLimit);
        results = new bytes(b.itemCount);
        // Where the stopped item's token call was left: standard mode builds it at the free memory pointer,
        // fee mode embeds it 0xe4 bytes into the settleFeeItem call.
        uint256 callPtr = _scratch() + (feeMode ? 0xe4 : 0);
        for (;;) {
            uint256 stop = feeMode ? _runFeeItems(b) : _runTransfers(b);
            if (stop == STOP_DONE) break;
            if (stop == STOP_MALFORMED) _revertMalformed(b, b.itemEnd, feeMode);
            if (stop == STOP_LOW_GAS) revert BatchSettlementInsufficientGas(b.index, b.gasMeasure, b.gasRequired);
            FailureReason reason;
            bytes4 errorSelector;
            if (stop == STOP_CALL_FAILED) {
                (reason, errorSelector) = _decodeFailure(b.gasMeasure, itemGasLimit, callPtr);
            } else if (stop == STOP_INVALID_TOKEN) {
                reason = FailureReason.InvalidToken;
            } else if (stop == STOP_INVALID_PAYEE) {
                reason = FailureReason.InvalidPayee;
            } else {
                reason = FailureReason.FeeExceedsValue; // STOP_FEE_EXCEEDS_VALUE
            }
            _recordFailure(results, b.index, b.itemToken, callPtr, reason, errorSelector);
            b.cursor = b.itemEnd;
            ++b.index;
        }
        if (b.cursor != b.end) revert BatchSettlementLengthMismatch(b.cursor - b.start, b.end - b.start);
    }

    // ------------------------------------------------------------------------------------------------
    // Standard items
    // ------------------------------------------------------------------------------------------------

    /**
     * @dev The fast path of {settle}: from item `b.index` at `b.cursor` on, decodes each item into its token
     * call (in scratch memory at the free memory pointer), calls the token with exactly `b.itemGasLimit` gas
     * and logs {AuthorizationSettled}, until the batch is done (`STOP_DONE`, `b.cursor` then at the end of
     * the items) or an item needs attention. Then `b.index` and `b.cursor` are that item's, its token call is
     * left in scratch memory, `b.itemEnd`, `b.itemToken` and `b.gasMeasure` describe it (for
     * `STOP_CALL_FAILED` its revert data is still the current return data), and it returns why (a `STOP_...`
     * value).
     */
    // One assembly loop, on purpose: splitting it into functions costs ~500 gas per item in call overhead.
    // solhint-disable-next-line function-max-lines
    function _runTransfers(Batch memory b) private returns (uint256 outcome) {
        assembly ("memory-safe") {
            let ptr := mload(0x40) // scratch above the free memory pointer, not allocated
            let index := mload(add(b, 0x120)) // b.index
            let cursor := mload(add(b, 0x100)) // b.cursor
            for {} lt(index, mload(add(b, 0x80))) {} {
                // index < b.itemCount; the loop ends with outcome = STOP_DONE
                let token
                let length
                {
                    let head := calldataload(cursor) // flags (1) ‖ token (2) ‖ from (2) ‖ to (2) ‖ ...
                    // Selector first: its mstore also zeroes the 28 bytes after it, which the next words cover.
                    mstore(ptr, TRANSFER_VRS)
                    if and(shr(248, head), 1) {
                        mstore(ptr, TRANSFER_BYTES) // flag SIGNATURE_BYTES
                    }
                    let bad := gt(shr(248, head), 3) // bits 0 and 1 are the only flags
                    let to
                    {
                        let table := mload(add(b, 0x40)) // b.table; 20-byte entries
                        let tableLength := mload(add(b, 0x60)) // b.tableLength
                        let i := and(shr(232, head), 0xffff) // token index
                        bad := or(bad, iszero(lt(i, tableLength)))
                        token := shr(96, calldataload(add(table, mul(i, 20))))
                        i := and(shr(216, head), 0xffff) // from index
                        bad := or(bad, iszero(lt(i, tableLength)))
                        mstore(add(ptr, 0x04), shr(96, calldataload(add(table, mul(i, 20))))) // from
                        i := and(shr(200, head), 0xffff) // to index
                        bad := or(bad, iszero(lt(i, tableLength)))
                        to := shr(96, calldataload(add(table, mul(i, 20))))
                        mstore(add(ptr, 0x24), to) // to
                    }
                    let p := add(cursor, 7)
                    switch and(head, shl(249, 1)) // flag WIDE (bit 1 of the flags byte)
                    case 0 {
                        mstore(add(ptr, 0x44), shr(160, calldataload(p))) // value: 12 bytes
                        mstore(add(ptr, 0x64), shr(208, calldataload(add(p, 12)))) // validAfter: 6 bytes
                        mstore(add(ptr, 0x84), shr(208, calldataload(add(p, 18)))) // validBefore: 6 bytes
                        p := add(p, 24)
                    }
                    default {
                        mstore(add(ptr, 0x44), calldataload(p)) // value: 32 bytes
                        mstore(add(ptr, 0x64), calldataload(add(p, 32))) // validAfter: 32 bytes
                        mstore(add(ptr, 0x84), calldataload(add(p, 64))) // validBefore: 32 bytes
                        p := add(p, 96)
                    }
                    mstore(add(ptr, 0xa4), calldataload(p)) // nonce
                    p := add(p, 32)
                    switch and(head, shl(248, 1)) // flag SIGNATURE_BYTES (bit 0 of the flags byte)
                    case 0 {
                        // EIP-2098 compact signature: r (32 bytes) ‖ yParity (1 bit) ‖ s (255 bits).
                        let vs := calldataload(add(p, 0x20))
                        mstore(add(ptr, 0xc4), add(27, shr(255, vs))) // v = 27 + yParity
                        mstore(add(ptr, 0xe4), calldataload(p)) // r
                        mstore(add(ptr, 0x104), and(vs, sub(shl(255, 1), 1))) // s: vs without its top bit
                        length := 0x124 // selector + 9 words
                        p := add(p, 64)
                    }
                    default {
                        // length:uint16 ‖ bytes, passed on as the `bytes signature` argument.
                        let signatureLength := shr(240, calldataload(p))
                        p := add(add(p, 2), signatureLength)
                        mstore(add(ptr, 0xc4), 0xe0) // offset of `signature` (7 head words)
                        mstore(add(ptr, 0xe4), signatureLength)
                        // Copy only an in-bounds signature (a longer one makes the item malformed).
                        if iszero(gt(p, mload(add(b, 0x20)))) {
                            calldatacopy(add(ptr, 0x104), sub(p, signatureLength), signatureLength)
                        }
                        mstore(add(add(ptr, 0x104), signatureLength), 0) // zero padding to the next word
                        length := add(0x104, and(add(signatureLength, 31), not(31)))
                    }
                    mstore(add(b, 0x140), p) // b.itemEnd
                    mstore(add(b, 0x160), token) // b.itemToken
                    if or(bad, gt(p, mload(add(b, 0x20)))) {
                        outcome := STOP_MALFORMED // a bad flag or index, or past b.end
                        break
                    }
                    if eq(to, address()) {
                        outcome := STOP_INVALID_PAYEE
                        break
                    }
                }
                if iszero(eq(token, mload(add(b, 0xe0)))) {
                    if iszero(extcodesize(token)) {
                        outcome := STOP_INVALID_TOKEN
                        break
                    }
                    mstore(add(b, 0xe0), token) // b.knownToken
                }
                let gasLeft := gas()
                if lt(gasLeft, mload(add(b, 0xc0))) {
                    outcome := STOP_LOW_GAS // less than b.gasRequired
                    mstore(add(b, 0x180), gasLeft) // b.gasMeasure
                    break
                }
                if iszero(call(mload(add(b, 0xa0)), token, 0, ptr, length, 0, 0)) {
                    outcome := STOP_CALL_FAILED
                    mstore(add(b, 0x180), sub(gasLeft, gas())) // b.gasMeasure: gas used by the call
                    break
                }
                mstore(0, index) // AuthorizationSettled(index), from scratch space
                log1(0, 0x20, AUTHORIZATION_SETTLED_TOPIC)
                cursor := mload(add(b, 0x140)) // b.itemEnd
                index := add(index, 1)
            }
            mstore(add(b, 0x120), index) // b.index
            mstore(add(b, 0x100), cursor) // b.cursor
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Fee items
    // ------------------------------------------------------------------------------------------------

    /**
     * @dev The fast path of {settleWithFees}, as {_runTransfers} for fee items: each item's calldata for
     * `settleFeeItem(token, receiveCall, value, payTo, fee, feeRecipient)` is built in scratch memory at the
     * free memory pointer `ptr`, {settleFeeItem} runs in its own frame with exactly `b.itemGasLimit` gas, and a
     * settled item logs {FeeAuthorizationSettled}.
     *
     * Layout at `ptr`: selector; token (0x04); 0xc0, the offset of receiveCall (0x24); value (0x44); payTo
     * (0x64); fee (0x84); feeRecipient (0xa4); receiveCall's length (0xc4); receiveCall (0xe4): the token's
     * `receiveWithAuthorization` selector, then its argument k (0-based) at 0xe8 + 32 * k, `to` being this
     * router and `nonce` the fee commitment, hashed in scratch at `ptr + 0x300` before the signature (which
     * may be longer) is copied.
     */
    // One assembly loop, on purpose, as {_runTransfers}.
    // solhint-disable-next-line function-max-lines
    function _runFeeItems(Batch memory b) private returns (uint256 outcome) {
        assembly ("memory-safe") {
            let ptr := mload(0x40) // scratch above the free memory pointer, not allocated
            let index := mload(add(b, 0x120)) // b.index
            let cursor := mload(add(b, 0x100)) // b.cursor
            for {} lt(index, mload(add(b, 0x80))) {} {
                // index < b.itemCount; the loop ends with outcome = STOP_DONE
                let token
                let length
                {
                    // flags (1) ‖ token (2) ‖ from (2) ‖ payTo (2) ‖ feeRecipient (2) ‖ ...
                    let head := calldataload(cursor)
                    // Each selector first: its mstore also zeroes the 28 bytes after it, which later words cover.
                    mstore(ptr, SETTLE_FEE_ITEM)
                    mstore(add(ptr, 0xe4), RECEIVE_VRS)
                    if and(shr(248, head), 1) {
                        mstore(add(ptr, 0xe4), RECEIVE_BYTES) // flag SIGNATURE_BYTES
                    }
                    let bad := gt(shr(248, head), 3) // bits 0 and 1 are the only flags
                    let payTo
                    let feeRecipient
                    {
                        let table := mload(add(b, 0x40)) // b.table; 20-byte entries
                        let tableLength := mload(add(b, 0x60)) // b.tableLength
                        let i := and(shr(232, head), 0xffff) // token index
                        bad := or(bad, iszero(lt(i, tableLength)))
                        token := shr(96, calldataload(add(table, mul(i, 20))))
                        i := and(shr(216, head), 0xffff) // from index
                        bad := or(bad, iszero(lt(i, tableLength)))
                        mstore(add(ptr, 0xe8), shr(96, calldataload(add(table, mul(i, 20))))) // receiveCall: from
                        i := and(shr(200, head), 0xffff) // payTo index
                        bad := or(bad, iszero(lt(i, tableLength)))
                        payTo := shr(96, calldataload(add(table, mul(i, 20))))
                        i := and(shr(184, head), 0xffff) // feeRecipient index
                        bad := or(bad, iszero(lt(i, tableLength)))
                        feeRecipient := shr(96, calldataload(add(table, mul(i, 20))))
                    }
                    mstore(add(ptr, 0x04), token)
                    mstore(add(ptr, 0x24), 0xc0) // offset of `receiveCall` (6 head words)
                    mstore(add(ptr, 0x64), payTo)
                    mstore(add(ptr, 0xa4), feeRecipient)
                    mstore(add(ptr, 0x108), address()) // receiveCall: to = this router
                    let p := add(cursor, 9)
                    switch and(head, shl(249, 1)) // flag WIDE (bit 1 of the flags byte)
                    case 0 {
                        mstore(add(ptr, 0x44), shr(160, calldataload(p))) // value: 12 bytes
                        mstore(add(ptr, 0x84), shr(160, calldataload(add(p, 12)))) // fee: 12 bytes
                        mstore(add(ptr, 0x148), shr(208, calldataload(add(p, 24)))) // receiveCall: validAfter
                        mstore(add(ptr, 0x168), shr(208, calldataload(add(p, 30)))) // receiveCall: validBefore
                        p := add(p, 36)
                    }
                    default {
                        mstore(add(ptr, 0x44), calldataload(p)) // value: 32 bytes
                        mstore(add(ptr, 0x84), calldataload(add(p, 32))) // fee: 32 bytes
                        mstore(add(ptr, 0x148), calldataload(add(p, 64))) // receiveCall: validAfter
                        mstore(add(ptr, 0x168), calldataload(add(p, 96))) // receiveCall: validBefore
                        p := add(p, 128)
                    }
                    mstore(add(ptr, 0x128), mload(add(ptr, 0x44))) // receiveCall: value
                    {
                        // nonce = keccak256(abi.encode(FEE_COMMITMENT_TYPEHASH, chainid, this, payTo, fee,
                        // feeRecipient, salt)), before the signature is copied over this scratch.
                        let h := add(ptr, 0x300)
                        mstore(h, FEE_COMMITMENT_TYPEHASH)
                        mstore(add(h, 0x20), chainid())
                        mstore(add(h, 0x40), address())
                        mstore(add(h, 0x60), payTo)
                        mstore(add(h, 0x80), mload(add(ptr, 0x84))) // fee
                        mstore(add(h, 0xa0), feeRecipient)
                        let salt := calldataload(p)
                        mstore(add(h, 0xc0), salt)
                        // Parked in scratch space for the log (no stack slot is left); nothing writes 0x00-0x1f
                        // until then: the item call returns no data into memory.
                        mstore(0, salt)
                        mstore(add(ptr, 0x188), keccak256(h, 0xe0)) // receiveCall: nonce
                    }
                    p := add(p, 32)
                    let inner := add(ptr, 0xe4) // receiveCall
                    switch and(head, shl(248, 1)) // flag SIGNATURE_BYTES (bit 0 of the flags byte)
                    case 0 {
                        // EIP-2098 compact signature: r (32 bytes) ‖ yParity (1 bit) ‖ s (255 bits).
                        let vs := calldataload(add(p, 0x20))
                        mstore(add(inner, 0xc4), add(27, shr(255, vs))) // v = 27 + yParity
                        mstore(add(inner, 0xe4), calldataload(p)) // r
                        mstore(add(inner, 0x104), and(vs, sub(shl(255, 1), 1))) // s: vs without its top bit
                        mstore(add(inner, 0x124), 0) // zero padding after the 0x124-byte call
                        mstore(add(ptr, 0xc4), 0x124) // receiveCall.length: selector + 9 words
                        length := add(0xe4, 0x140) // the padded receiveCall
                        p := add(p, 64)
                    }
                    default {
                        // length:uint16 ‖ bytes, passed on as the `bytes signature` argument.
                        let signatureLength := shr(240, calldataload(p))
                        p := add(add(p, 2), signatureLength)
                        mstore(add(inner, 0xc4), 0xe0) // offset of `signature` (7 head words)
                        mstore(add(inner, 0xe4), signatureLength)
                        // Copy only an in-bounds signature (a longer one makes the item malformed).
                        if iszero(gt(p, mload(add(b, 0x20)))) {
                            calldatacopy(add(inner, 0x104), sub(p, signatureLength), signatureLength)
                        }
                        mstore(add(add(inner, 0x104), signatureLength), 0) // zero padding to the next word
                        let innerLength := add(0x104, signatureLength)
                        mstore(add(ptr, 0xc4), innerLength) // receiveCall.length
                        length := add(0xe4, and(add(innerLength, 31), not(31))) // receiveCall padded
                    }
                    mstore(add(b, 0x140), p) // b.itemEnd
                    mstore(add(b, 0x160), token) // b.itemToken
                    if or(bad, gt(p, mload(add(b, 0x20)))) {
                        outcome := STOP_MALFORMED // a bad flag or index, or past b.end
                        break
                    }
                    if or(eq(payTo, address()), eq(feeRecipient, address())) {
                        outcome := STOP_INVALID_PAYEE
                        break
                    }
                    if gt(mload(add(ptr, 0x84)), mload(add(ptr, 0x44))) {
                        outcome := STOP_FEE_EXCEEDS_VALUE // fee > value
                        break
                    }
                }
                if iszero(eq(token, mload(add(b, 0xe0)))) {
                    if iszero(extcodesize(token)) {
                        outcome := STOP_INVALID_TOKEN
                        break
                    }
                    mstore(add(b, 0xe0), token) // b.knownToken
                }
                let gasLeft := gas()
                if lt(gasLeft, mload(add(b, 0xc0))) {
                    outcome := STOP_LOW_GAS // less than b.gasRequired
                    mstore(add(b, 0x180), gasLeft) // b.gasMeasure
                    break
                }
                if iszero(call(mload(add(b, 0xa0)), address(), 0, ptr, length, 0, 0)) {
                    outcome := STOP_CALL_FAILED
                    mstore(add(b, 0x180), sub(gasLeft, gas())) // b.gasMeasure: gas used by the call
                    break
                }
                // FeeAuthorizationSettled(index, payTo, fee, feeRecipient, salt), in place in the settleFeeItem
                // call, whose payTo (0x64), fee (0x84) and feeRecipient (0xa4) words are already in that order:
                // index over value (0x44) and salt over receiveCall's length (0xc4), both no longer needed.
                mstore(add(ptr, 0x44), index)
                mstore(add(ptr, 0xc4), mload(0)) // salt, parked in scratch space
                log1(add(ptr, 0x44), 0xa0, FEE_AUTHORIZATION_SETTLED_TOPIC)
                cursor := mload(add(b, 0x140)) // b.itemEnd
                index := add(index, 1)
            }
            mstore(add(b, 0x120), index) // b.index
            mstore(add(b, 0x100), cursor) // b.cursor
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Permit2 items
    // ------------------------------------------------------------------------------------------------

    /// @dev Settles exact item `index` through {EXACT_PERMIT2_PROXY} and records its outcome. Its call is
    /// encoded in free memory that the next item reuses (memory does not grow with the batch).
    function _settleExactItem(
        bytes memory results,
        uint256 index,
        Permit2ExactItem calldata item,
        uint256 itemGasLimit,
        uint256 gasRequired
    ) private {
        uint256 freeMemory = _scratch();
        FailureReason reason;
        bytes4 selector;
        if (item.witness.to == address(this)) {
            reason = FailureReason.InvalidPayee; // the router could never pass the funds on
        } else if (item.permit.permitted.token.code.length == 0) {
            reason = FailureReason.InvalidToken; // Permit2 would "transfer" it without moving anything
        } else {
            (reason, selector) = _callProxy(
                index,
                EXACT_PERMIT2_PROXY,
                abi.encodeCall(IX402ExactPermit2Proxy.settle, (item.permit, item.owner, item.witness, item.signature)),
                itemGasLimit,
                gasRequired,
                item.owner,
                item.permit.permitted
            );
        }
        _recordPermit2Outcome(results, index, item.permit, item.owner, reason, selector);
        _freeMemory(freeMemory);
    }

    /// @dev Settles upto item `index` through {UPTO_PERMIT2_PROXY}, only for the settler its nonce commits to,
    /// and records its outcome; memory as {_settleExactItem}.
    function _settleUptoItem(
        bytes memory results,
        uint256 index,
        Permit2UptoItem calldata item,
        uint256 itemGasLimit,
        uint256 gasRequired
    ) private {
        uint256 freeMemory = _scratch();
        FailureReason reason;
        bytes4 selector;
        if (
            item.witness.facilitator != address(this) || item.permit.nonce != _uptoSettlerNonce(msg.sender, item.salt)
        ) {
            reason = FailureReason.UnauthorizedSettler;
        } else if (item.amount > item.permit.permitted.amount) {
            reason = FailureReason.AmountExceedsPermitted;
        } else if (item.witness.to == address(this)) {
            reason = FailureReason.InvalidPayee;
        } else if (item.permit.permitted.token.code.length == 0) {
            reason = FailureReason.InvalidToken;
        } else {
            (reason, selector) = _callProxy(
                index,
                UPTO_PERMIT2_PROXY,
                abi.encodeCall(
                    IX402UptoPermit2Proxy.settle,
                    (item.permit, item.amount, item.owner, item.witness, item.signature)
                ),
                itemGasLimit,
                gasRequired,
                item.owner,
                ISignatureTransfer.TokenPermissions({token: item.permit.permitted.token, amount: item.amount})
            );
        }
        _recordPermit2Outcome(results, index, item.permit, item.owner, reason, selector);
        _freeMemory(freeMemory);
    }

    /**
     * @dev Calls `proxy` with `data` and exactly `itemGasLimit` gas, after checking that this much can be
     * forwarded (else the whole call reverts). Returns `None` on success, else the decoded reason; a missing
     * allowance or balance for moving `transfer.amount` of `transfer.token` from `owner` is told apart by reading
     * them (Permit2 reports both as one revert string).
     */
    function _callProxy(
        uint256 index,
        address proxy,
        bytes memory data,
        uint256 itemGasLimit,
        uint256 gasRequired,
        address owner,
        ISignatureTransfer.TokenPermissions memory transfer
    ) private returns (FailureReason reason, bytes4 selector) {
        uint256 gasLeft = gasleft();
        if (gasLeft < gasRequired) revert BatchSettlementInsufficientGas(index, gasLeft, gasRequired);
        bool success;
        assembly ("memory-safe") {
            success := call(itemGasLimit, proxy, 0, add(data, 0x20), mload(data), 0, 0)
        }
        if (success) return (FailureReason.None, 0);
        // The proxy's call data starts with the permit (token, amount, nonce, deadline): no EIP-3009 window there,
        // so OpenZeppelin's ERC3009InvalidAuthorizationTime (never raised on this path) reads nothing meaningful.
        uint256 callPtr;
        assembly ("memory-safe") {
            callPtr := add(data, 0x20)
        }
        (reason, selector) = _decodeFailure(gasLeft - gasleft(), itemGasLimit, callPtr);
        if (reason == FailureReason.Other) reason = _permit2Reason(selector);
        if (reason == FailureReason.InsufficientAllowance) reason = _transferShortfall(owner, transfer);
    }

    /// @dev The reason for a custom error `selector` of Permit2 or of the x402 Permit2 proxies.
    function _permit2Reason(bytes4 selector) private pure returns (FailureReason) {
        if (selector == ERR_P2_INVALID_NONCE) return FailureReason.UsedOrCanceled;
        if (selector == ERR_P2_SIGNATURE_EXPIRED) return FailureReason.Expired;
        if (selector == ERR_PROXY_TOO_EARLY) return FailureReason.NotYetValid;
        if (
            selector == ERR_P2_INVALID_SIGNER ||
            selector == ERR_P2_INVALID_SIGNATURE ||
            selector == ERR_P2_SIGNATURE_LENGTH ||
            selector == ERR_P2_CONTRACT_SIGNATURE ||
            selector == ERR_PROXY_INVALID_OWNER
        ) return FailureReason.InvalidSignature;
        if (selector == ERR_PROXY_INVALID_DESTINATION) return FailureReason.InvalidPayee;
        if (selector == ERR_PROXY_AMOUNT_EXCEEDS || selector == ERR_P2_INVALID_AMOUNT) {
            return FailureReason.AmountExceedsPermitted;
        }
        if (selector == ERR_PROXY_UNAUTHORIZED) return FailureReason.UnauthorizedSettler;
        if (selector == ERR_INSUFFICIENT_ALLOWANCE) return FailureReason.InsufficientAllowance;
        return FailureReason.Other;
    }

    /**
     * @dev Why Permit2 could not move `transfer.amount` from `owner`: `InsufficientAllowance` if the allowance to
     * Permit2 is below it, else `InsufficientBalance` if the balance is, else `Other` (the token refused for its
     * own reasons). Runs after the item's call reverted, so the state read is the one the call saw.
     */
    function _transferShortfall(
        address owner,
        ISignatureTransfer.TokenPermissions memory transfer
    ) private view returns (FailureReason) {
        (bool ok, uint256 allowance) = _readToken(transfer.token, IERC20.allowance.selector, owner, PERMIT2);
        if (ok && allowance < transfer.amount) return FailureReason.InsufficientAllowance;
        (bool read, uint256 balance) = _readToken(transfer.token, IERC20.balanceOf.selector, owner, address(0));
        if (read && balance < transfer.amount) return FailureReason.InsufficientBalance;
        return FailureReason.Other;
    }

    /**
     * @dev Static-calls `token` with `selector(a)` (or `selector(a, b)` when `b` is non-zero) and
     * `TOKEN_READ_GAS` gas, in free memory (not allocated); `ok` is false if the call fails or returns less than a
     * word, so a broken token can neither revert the batch nor burn its gas.
     */
    function _readToken(
        address token,
        bytes4 selector,
        address a,
        address b
    ) private view returns (bool ok, uint256 value) {
        assembly ("memory-safe") {
            let ptr := mload(0x40) // free memory, not allocated
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), a)
            mstore(add(ptr, 0x24), b)
            let length := 0x24
            if b {
                length := 0x44
            }
            ok := staticcall(TOKEN_READ_GAS, token, ptr, length, ptr, 0x20)
            // (Separate statement: returndatasize() must be read after the call.)
            ok := and(ok, gt(returndatasize(), 31))
            value := mload(ptr)
        }
    }

    /// @dev Records the outcome of Permit2 item `index`: {Permit2PaymentSettled}, or its reason in `results` and
    /// {AuthorizationFailed} (the Permit2 nonce as its `nonce`).
    function _recordPermit2Outcome(
        bytes memory results,
        uint256 index,
        ISignatureTransfer.PermitTransferFrom calldata permit,
        address owner,
        FailureReason reason,
        bytes4 selector
    ) private {
        if (reason == FailureReason.None) {
            emit Permit2PaymentSettled(index);
            return;
        }
        results[index] = bytes1(uint8(reason));
        emit AuthorizationFailed(permit.permitted.token, owner, bytes32(permit.nonce), index, reason, selector);
    }

    /// @dev See {IBatchSettlementRouter-uptoSettlerNonce}.
    function _uptoSettlerNonce(address settler, bytes32 salt) private view returns (uint256) {
        return uint256(keccak256(abi.encode(UPTO_SETTLER_TYPEHASH, block.chainid, address(this), settler, salt)));
    }

    /// @dev Moves the free memory pointer back to `ptr`, releasing what an item allocated above it; nothing
    /// allocated there is used afterwards.
    function _freeMemory(uint256 ptr) private pure {
        assembly ("memory-safe") {
            mstore(0x40, ptr)
        }
    }

    /// @dev See {IBatchSettlementRouter-feeCommitment}; hashed in the free memory at `scratch`.
    function _feeCommitment(
        address payTo,
        uint256 fee,
        address feeRecipient,
        bytes32 salt,
        uint256 scratch
    ) private view returns (bytes32 commitment) {
        bytes32 typeHash = FEE_COMMITMENT_TYPEHASH;
        assembly ("memory-safe") {
            mstore(scratch, typeHash)
            mstore(add(scratch, 0x20), chainid())
            mstore(add(scratch, 0x40), address())
            mstore(add(scratch, 0x60), payTo)
            mstore(add(scratch, 0x80), fee)
            mstore(add(scratch, 0xa0), feeRecipient)
            mstore(add(scratch, 0xc0), salt)
            commitment := keccak256(scratch, 0xe0) // abi.encode of the seven words
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Batch framing
    // ------------------------------------------------------------------------------------------------

    /// @dev Reads `itemCount ‖ addressCount`, locates the address table and the first item, and sets up the
    /// per-item gas.
    function _openBatch(bytes calldata batch, uint256 itemGasLimit) private pure returns (Batch memory b) {
        if (batch.length < 4) revert BatchSettlementTruncated(4, batch.length);
        uint256 start;
        uint256 itemCount;
        uint256 tableLength;
        assembly ("memory-safe") {
            start := batch.offset
            let word := calldataload(start) // itemCount (2 bytes) ‖ addressCount (2 bytes) ‖ ...
            itemCount := shr(240, word)
            tableLength := and(shr(224, word), 0xffff)
        }
        if (itemCount == 0) revert BatchSettlementEmptyBatch();
        // Calldata offsets and lengths are far below 2^64: no overflow.
        b = Batch({
            start: start,
            end: start + batch.length,
            table: start + 4,
            tableLength: tableLength,
            itemCount: itemCount,
            itemGasLimit: itemGasLimit,
            gasRequired: _gasRequired(itemGasLimit),
            knownToken: address(0),
            cursor: start + 4 + tableLength * 20,
            index: 0,
            itemEnd: 0,
            itemToken: address(0),
            gasMeasure: 0
        });
        if (b.cursor > b.end) revert BatchSettlementTruncated(b.cursor - start, batch.length);
    }

    /**
     * @dev Reverts for the malformed item `b.index` at `b.cursor`, whose decoding ended at `itemEnd`: unknown
     * flags first, then an address index outside the table, else the item runs past the end of the batch.
     */
    function _revertMalformed(Batch memory b, uint256 itemEnd, bool feeMode) private pure {
        uint256 cursor = b.cursor;
        uint256 head;
        assembly ("memory-safe") {
            head := calldataload(cursor)
        }
        uint256 flags = head >> 248;
        if (flags & ~(FLAG_SIGNATURE_BYTES | FLAG_WIDE) != 0) revert BatchSettlementUnknownFlags(b.index, uint8(flags));
        uint256 indexCount = feeMode ? 4 : 3;
        for (uint256 k; k < indexCount; ++k) {
            uint256 addressIndex = (head >> (232 - 16 * k)) & 0xffff;
            if (addressIndex >= b.tableLength) {
                revert BatchSettlementAddressIndexOutOfRange(b.index, addressIndex, b.tableLength);
            }
        }
        revert BatchSettlementTruncated(itemEnd - b.start, b.end - b.start);
    }

    /// @dev `itemGasLimit` plus what EIP-150 keeps back (1/64) plus the per-item reserve, saturating.
    function _gasRequired(uint256 itemGasLimit) private pure returns (uint256) {
        if (itemGasLimit > type(uint128).max) return type(uint256).max;
        return itemGasLimit + itemGasLimit / 63 + ITEM_GAS_RESERVE;
    }

    /// @dev The free memory pointer: scratch space for token calls, never allocated.
    function _scratch() private pure returns (uint256 ptr) {
        assembly ("memory-safe") {
            ptr := mload(0x40)
        }
    }

    /// @dev This router's balance of `token`; reverts with the token's revert data if the call fails or returns
    /// less than a word.
    function _balanceOf(address token) private view returns (uint256 amount) {
        bytes4 selector = IERC20.balanceOf.selector;
        assembly ("memory-safe") {
            mstore(0, selector) // balanceOf(address(this)), from scratch space
            mstore(4, address())
            let success := staticcall(gas(), token, 0, 0x24, 0, 0x20)
            // (Separate statement: Yul evaluates arguments right to left, returndatasize() must come after.)
            if iszero(and(success, gt(returndatasize(), 31))) {
                let ptr := mload(0x40) // scratch above the free memory pointer, not allocated
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            amount := mload(0)
        }
    }

    /// @dev Calls `target` with `data`; on failure reverts with the callee's revert data.
    function _callOrBubble(address target, bytes calldata data) private {
        assembly ("memory-safe") {
            let ptr := mload(0x40) // scratch above the free memory pointer, not allocated
            calldatacopy(ptr, data.offset, data.length)
            if iszero(call(gas(), target, 0, ptr, data.length, 0, 0)) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Failure reasons
    // ------------------------------------------------------------------------------------------------

    /// @dev Records the failure of item `index`: its reason in `results` and {AuthorizationFailed}, with `from`
    /// and `nonce` read from its token call at `callPtr`.
    function _recordFailure(
        bytes memory results,
        uint256 index,
        address token,
        uint256 callPtr,
        FailureReason reason,
        bytes4 errorSelector
    ) private {
        results[index] = bytes1(uint8(reason));
        address from;
        bytes32 nonce;
        assembly ("memory-safe") {
            from := mload(add(callPtr, 0x04)) // first argument
            nonce := mload(add(callPtr, 0xa4)) // sixth argument
        }
        emit AuthorizationFailed(token, from, nonce, index, reason, errorSelector);
    }

    /**
     * @dev Decodes the revert data of the item call that just failed after using `gasUsed` of its `gasLimit`;
     * `callPtr` is the item's token call in scratch memory (for its validity window). Empty revert data after
     * at least 63/64 of the limit is `GasLimitExceeded` (a nested out-of-gas leaves 1/64 to its caller).
     */
    function _decodeFailure(
        uint256 gasUsed,
        uint256 gasLimit,
        uint256 callPtr
    ) private view returns (FailureReason reason, bytes4 selector) {
        uint256 size;
        assembly ("memory-safe") {
            size := returndatasize()
        }
        if (size < 4) {
            return (gasUsed >= gasLimit - gasLimit / 64 ? FailureReason.GasLimitExceeded : FailureReason.Other, 0);
        }
        assembly ("memory-safe") {
            returndatacopy(0, 0, 4) // the selector, into scratch space
            selector := mload(0)
        }
        if (selector == ERR_STRING) return (_stringReason(size), selector);
        if (selector == ERR_INVALID_TIME) {
            // OpenZeppelin's ERC3009 reports both ends of the window with one error (timestamp clock).
            uint256 validAfter;
            assembly ("memory-safe") {
                validAfter := mload(add(callPtr, 0x64)) // fourth argument
            }
            return (block.timestamp <= validAfter ? FailureReason.NotYetValid : FailureReason.Expired, selector);
        }
        return (_selectorReason(selector), selector);
    }

    /// @dev The reason for a custom error `selector`.
    function _selectorReason(bytes4 selector) private pure returns (FailureReason) {
        if (selector == ERR_USED_OR_CANCELED || selector == ERR_USED) return FailureReason.UsedOrCanceled;
        if (
            selector == ERR_INVALID_SIGNER ||
            selector == ERR_INVALID_SIGNATURE ||
            selector == ERR_SIGNATURE_LENGTH ||
            selector == ERR_SIGNATURE_S ||
            selector == ERR_SIGNATURE_V ||
            selector == ERR_ECDSA_SIGNATURE ||
            selector == ERR_ECDSA_LENGTH ||
            selector == ERR_ECDSA_S
        ) return FailureReason.InvalidSignature;
        if (selector == ERR_EXPIRED) return FailureReason.Expired;
        if (selector == ERR_NOT_YET_VALID) return FailureReason.NotYetValid;
        if (selector == ERR_INSUFFICIENT_BALANCE) return FailureReason.InsufficientBalance;
        if (selector == ERR_PAUSED) return FailureReason.Paused;
        if (selector == ERR_BLOCKLISTED) return FailureReason.Blocklisted;
        if (
            selector == BatchSettlementReceivedAmountMismatch.selector ||
            selector == BatchSettlementBalanceNotRestored.selector
        ) return FailureReason.AmountMismatch;
        return FailureReason.Other;
    }

    /// @dev The reason for an `Error(string)` revert of `size` bytes, from FiatToken's and the EIP-3009
    /// reference implementation's strings. The string is hashed in free memory (never allocated).
    function _stringReason(uint256 size) private pure returns (FailureReason) {
        if (size < 68) return FailureReason.Other;
        uint256 offset;
        uint256 length;
        assembly ("memory-safe") {
            returndatacopy(0, 4, 64) // the string's offset and length words, into scratch space
            offset := mload(0)
            length := mload(0x20)
        }
        // Canonical encoding only: the string right after its offset word, within the revert data.
        if (offset != 0x20 || length > MAX_REASON_STRING || size < 68 + length) return FailureReason.Other;
        bytes32 hash;
        assembly ("memory-safe") {
            // Far enough past the free memory pointer not to touch the token call left there.
            let scratch := add(mload(0x40), 0x1000)
            returndatacopy(scratch, 68, length)
            hash := keccak256(scratch, length)
        }
        if (
            hash == keccak256("FiatTokenV2: authorization is used or canceled") ||
            hash == keccak256("EIP3009: authorization is used or canceled") ||
            hash == keccak256("EIP3009: authorization is used")
        ) return FailureReason.UsedOrCanceled;
        if (
            hash == keccak256("FiatTokenV2: invalid signature") ||
            hash == keccak256("EIP3009: invalid signature") ||
            hash == keccak256("ECRecover: invalid signature") ||
            hash == keccak256("ECRecover: invalid signature length") ||
            hash == keccak256("ECRecover: invalid signature 's' value") ||
            hash == keccak256("ECRecover: invalid signature 'v' value")
        ) return FailureReason.InvalidSignature;
        if (
            hash == keccak256("FiatTokenV2: authorization is expired") ||
            hash == keccak256("EIP3009: authorization is expired")
        ) return FailureReason.Expired;
        if (
            hash == keccak256("FiatTokenV2: authorization is not yet valid") ||
            hash == keccak256("EIP3009: authorization is not yet valid")
        ) return FailureReason.NotYetValid;
        if (hash == keccak256("ERC20: transfer amount exceeds balance")) return FailureReason.InsufficientBalance;
        if (hash == keccak256("Pausable: paused")) return FailureReason.Paused;
        if (hash == keccak256("Blacklistable: account is blacklisted")) return FailureReason.Blocklisted;
        // solmate's SafeTransferLib in Permit2: a refused transferFrom (allowance or balance, told apart later).
        if (hash == keccak256("TRANSFER_FROM_FAILED")) return FailureReason.InsufficientAllowance;
        return FailureReason.Other;
    }
}
