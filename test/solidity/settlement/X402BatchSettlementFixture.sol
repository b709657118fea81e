// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IX402BatchSettlement} from "../../../contracts/interfaces/IX402BatchSettlement.sol";
import {ERC3009DepositCollector} from "../../../contracts/settlement/ERC3009DepositCollector.sol";
import {X402BatchSettlement} from "../../../contracts/settlement/X402BatchSettlement.sol";
import {TestUSDC} from "../../../contracts/token/TestUSDC.sol";
import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @title X402BatchSettlementFixture
 * @notice Shared setup for the channel contract tests: TestUSDC as Base Sepolia USDC, the channel contract, the
 * ERC-3009 deposit collector, fixed keys, and EIP-712 helpers that rebuild every hash from the type strings the
 * official x402 EVM SDK 2.27 signs (never from the contract's own getters), so the tests check the contract
 * against the wire format independently.
 */
abstract contract X402BatchSettlementFixture is Test {
    // Type strings exactly as in @x402/evm 2.27 (dist: channelConfigTypes, voucherTypes, refundTypes, claimBatchTypes).
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant CHANNEL_CONFIG_TYPEHASH = keccak256(
        "ChannelConfig(address payer,address payerAuthorizer,address receiver,address receiverAuthorizer,address token,uint40 withdrawDelay,bytes32 salt)"
    );
    bytes32 internal constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint128 maxClaimableAmount)");
    bytes32 internal constant REFUND_TYPEHASH = keccak256("Refund(bytes32 channelId,uint256 nonce,uint128 amount)");
    bytes32 internal constant CLAIM_ENTRY_TYPEHASH = keccak256(
        "ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
    );
    bytes32 internal constant CLAIM_BATCH_TYPEHASH = keccak256(
        "ClaimBatch(ClaimEntry[] claims)ClaimEntry(bytes32 channelId,uint128 maxClaimableAmount,uint128 totalClaimed)"
    );
    bytes32 internal constant RECEIVE_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    uint256 internal constant START_TIME = 1_750_000_000;
    uint40 internal constant DELAY = 1 hours;
    uint128 internal constant DEPOSIT = 10e6; // 10 USDC
    uint256 internal constant INITIAL_BALANCE = 1_000e6;

    uint256 internal constant PAYER_KEY = 0xA11CE;
    uint256 internal constant PAYER_AUTHORIZER_KEY = 0xA11CE2;
    uint256 internal constant RECEIVER_AUTHORIZER_KEY = 0x5E5;
    uint256 internal constant OTHER_KEY = 0xB0B;

    address internal constant ADMIN = address(0xAD);
    address internal constant RECEIVER = address(0xBEEF);
    address internal constant RELAYER = address(0xFEE);

    address internal payer;
    address internal payerAuthorizer;
    address internal receiverAuthorizer;
    address internal other;

    TestUSDC internal usdc;
    X402BatchSettlement internal settlement;
    ERC3009DepositCollector internal collector;

    function setUp() public virtual {
        vm.warp(START_TIME);
        payer = vm.addr(PAYER_KEY);
        payerAuthorizer = vm.addr(PAYER_AUTHORIZER_KEY);
        receiverAuthorizer = vm.addr(RECEIVER_AUTHORIZER_KEY);
        other = vm.addr(OTHER_KEY);
        usdc = new TestUSDC("USDC", "USDC", "2", ADMIN);
        settlement = new X402BatchSettlement();
        collector = new ERC3009DepositCollector();
        vm.prank(ADMIN);
        usdc.configureMinter(ADMIN, type(uint256).max);
        _mintTo(payer, INITIAL_BALANCE);
    }

    function _mintTo(address to, uint256 amount) internal {
        vm.prank(ADMIN);
        usdc.mint(to, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Channels
    // ------------------------------------------------------------------------------------------------

    /// @dev A channel of the fixture payer (signing vouchers itself) to RECEIVER in USDC.
    function _config(bytes32 salt) internal view returns (IX402BatchSettlement.ChannelConfig memory) {
        return
            IX402BatchSettlement.ChannelConfig({
                payer: payer,
                payerAuthorizer: address(0),
                receiver: RECEIVER,
                receiverAuthorizer: receiverAuthorizer,
                token: address(usdc),
                withdrawDelay: DELAY,
                salt: salt
            });
    }

    function _settlementDomain(address verifyingContract) internal view returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    DOMAIN_TYPEHASH,
                    keccak256("x402 Batch Settlement"),
                    keccak256("1"),
                    block.chainid,
                    verifyingContract
                )
            );
    }

    function _typedDigest(bytes32 domain, bytes32 structHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @dev The channel id as the official client computes it (viem `hashTypedData` of the config).
    function _channelId(IX402BatchSettlement.ChannelConfig memory c) internal view returns (bytes32) {
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
        return _typedDigest(_settlementDomain(address(settlement)), structHash);
    }

    // ------------------------------------------------------------------------------------------------
    // Signatures
    // ------------------------------------------------------------------------------------------------

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _voucherDigest(bytes32 channelId, uint128 maxClaimableAmount) internal view returns (bytes32) {
        return
            _typedDigest(
                _settlementDomain(address(settlement)),
                keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, maxClaimableAmount))
            );
    }

    function _signVoucher(
        uint256 key,
        bytes32 channelId,
        uint128 maxClaimableAmount
    ) internal view returns (bytes memory) {
        return _sign(key, _voucherDigest(channelId, maxClaimableAmount));
    }

    function _refundDigest(bytes32 channelId, uint256 nonce, uint128 amount) internal view returns (bytes32) {
        return
            _typedDigest(
                _settlementDomain(address(settlement)),
                keccak256(abi.encode(REFUND_TYPEHASH, channelId, nonce, amount))
            );
    }

    function _signRefund(
        uint256 key,
        bytes32 channelId,
        uint256 nonce,
        uint128 amount
    ) internal view returns (bytes memory) {
        return _sign(key, _refundDigest(channelId, nonce, amount));
    }

    function _claimBatchDigest(IX402BatchSettlement.VoucherClaim[] memory claims) internal view returns (bytes32) {
        bytes memory entries;
        for (uint256 i = 0; i < claims.length; ++i) {
            bytes32 entry = keccak256(
                abi.encode(
                    CLAIM_ENTRY_TYPEHASH,
                    _channelId(claims[i].voucher.channel),
                    claims[i].voucher.maxClaimableAmount,
                    claims[i].totalClaimed
                )
            );
            entries = abi.encodePacked(entries, entry);
        }
        return
            _typedDigest(
                _settlementDomain(address(settlement)),
                keccak256(abi.encode(CLAIM_BATCH_TYPEHASH, keccak256(entries)))
            );
    }

    function _signClaimBatch(
        uint256 key,
        IX402BatchSettlement.VoucherClaim[] memory claims
    ) internal view returns (bytes memory) {
        return _sign(key, _claimBatchDigest(claims));
    }

    /// @dev A claim row for `c` raising the claim to `totalClaimed`, under a payer voucher for `maxClaimable`.
    function _row(
        IX402BatchSettlement.ChannelConfig memory c,
        uint128 maxClaimable,
        uint128 totalClaimed
    ) internal view returns (IX402BatchSettlement.VoucherClaim memory) {
        return
            IX402BatchSettlement.VoucherClaim({
                voucher: IX402BatchSettlement.Voucher({channel: c, maxClaimableAmount: maxClaimable}),
                signature: _signVoucher(PAYER_KEY, _channelId(c), maxClaimable),
                totalClaimed: totalClaimed
            });
    }

    function _rows1(
        IX402BatchSettlement.VoucherClaim memory row
    ) internal pure returns (IX402BatchSettlement.VoucherClaim[] memory rows) {
        rows = new IX402BatchSettlement.VoucherClaim[](1);
        rows[0] = row;
    }

    // ------------------------------------------------------------------------------------------------
    // Deposits
    // ------------------------------------------------------------------------------------------------

    /// @dev collectorData for a deposit of `amount` into `c`, signed by `key` as the official client signs it.
    function _collectorData(
        uint256 key,
        IX402BatchSettlement.ChannelConfig memory c,
        uint256 amount,
        uint256 salt
    ) internal view returns (bytes memory) {
        uint256 validBefore = block.timestamp + 300;
        bytes32 nonce = keccak256(abi.encode(_channelId(c), salt));
        bytes32 tokenDomain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("USDC"), keccak256("2"), block.chainid, address(usdc))
        );
        bytes32 digest = _typedDigest(
            tokenDomain,
            keccak256(abi.encode(RECEIVE_TYPEHASH, vm.addr(key), address(collector), amount, 0, validBefore, nonce))
        );
        return abi.encode(uint256(0), validBefore, salt, _sign(key, digest));
    }

    /// @dev Deposits `amount` into `c` from the fixture payer, relayed by RELAYER.
    function _deposit(IX402BatchSettlement.ChannelConfig memory c, uint128 amount, uint256 salt) internal {
        bytes memory data = _collectorData(PAYER_KEY, c, amount, salt);
        vm.prank(RELAYER);
        settlement.deposit(c, amount, address(collector), data);
    }

    function _balance(bytes32 channelId) internal view returns (uint128 balance) {
        (balance, ) = settlement.channels(channelId);
    }

    function _claimed(bytes32 channelId) internal view returns (uint128 totalClaimed) {
        (, totalClaimed) = settlement.channels(channelId);
    }
}
