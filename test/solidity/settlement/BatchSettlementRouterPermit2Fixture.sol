// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {BatchSettlementRouter} from "../../../contracts/settlement/BatchSettlementRouter.sol";
import {PERMIT2_ADDRESS} from "../utils/Permit2Etch.sol";
import {vm} from "../utils/Vm.sol";
import {X402Permit2ProxyFixture} from "./X402Permit2ProxyFixture.sol";

/**
 * @title BatchSettlementRouterPermit2Fixture
 * @notice The Permit2 proxy fixture (Permit2 and x402kit's proxies at the official addresses, a plain ERC-20) plus
 * the router and payers `_payerKey(i)`, each funded and approved for Permit2. Items are signed from the full type
 * strings the official client signs (the proxy fixture's digests), and the upto settler nonce is rebuilt here from
 * its type string, not taken from the router.
 */
abstract contract BatchSettlementRouterPermit2Fixture is X402Permit2ProxyFixture {
    bytes32 internal constant UPTO_SETTLER_TYPEHASH = keccak256(
        "UptoSettler(uint256 chainId,address router,address settler,bytes32 salt)"
    );
    bytes32 internal constant PERMIT2_SETTLED_TOPIC = keccak256("Permit2PaymentSettled(uint256)");
    uint256 internal constant ITEM_GAS = 150_000;
    uint256 internal constant PAYERS = 8;
    uint256 internal constant PAYER_BALANCE = 100e6;

    BatchSettlementRouter internal router;

    function setUp() public virtual override {
        super.setUp();
        router = new BatchSettlementRouter();
        token.faucet(PAY_TO, 1); // an existing payee (a merchant)
        for (uint256 i; i < PAYERS; ++i) {
            address p = vm.addr(_payerKey(i));
            token.faucet(p, PAYER_BALANCE);
            vm.prank(p);
            token.approve(PERMIT2_ADDRESS, type(uint256).max);
        }
    }

    function _payerKey(uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("router permit2 payer", i)));
    }

    function _payerAt(uint256 i) internal pure returns (address) {
        return vm.addr(_payerKey(i));
    }

    /// @dev The upto nonce for `settler`, from the type string (see IBatchSettlementRouter.uptoSettlerNonce).
    function _settlerNonce(address settler, bytes32 salt) internal view returns (uint256) {
        return uint256(keccak256(abi.encode(UPTO_SETTLER_TYPEHASH, block.chainid, address(router), settler, salt)));
    }

    /// @dev Payer `i`'s exact payment of `amount` to `to` with `nonce`, signed as the official client does.
    function _exactItem(
        uint256 i,
        address to,
        uint256 amount,
        uint256 nonce
    ) internal view returns (IBatchSettlementRouter.Permit2ExactItem memory item) {
        item.permit = _permit(amount, nonce, block.timestamp + 300);
        item.owner = _payerAt(i);
        item.witness = _exactWitness(to, block.timestamp - 600);
        item.signature = _sign(_payerKey(i), _exactDigest(item.permit, EXACT_PROXY, item.witness));
    }

    /// @dev Re-signs `item` with payer `i`'s key (after a test changed a signed field on purpose).
    function _resignExact(IBatchSettlementRouter.Permit2ExactItem memory item, uint256 i) internal view {
        item.signature = _sign(_payerKey(i), _exactDigest(item.permit, EXACT_PROXY, item.witness));
    }

    /// @dev Payer `i`'s upto payment (maximum `maxAmount`, charged `amount`) to `to`, settled by `settler` through
    /// the router: witness facilitator the router, nonce the settler commitment.
    function _uptoItem(
        uint256 i,
        address to,
        uint256 maxAmount,
        uint256 amount,
        address settler,
        bytes32 salt
    ) internal view returns (IBatchSettlementRouter.Permit2UptoItem memory item) {
        item.permit = _permit(maxAmount, _settlerNonce(settler, salt), block.timestamp + 300);
        item.amount = amount;
        item.owner = _payerAt(i);
        item.witness = _uptoWitness(to, address(router), block.timestamp - 600);
        item.salt = salt;
        item.signature = _sign(_payerKey(i), _uptoDigest(item.permit, UPTO_PROXY, item.witness));
    }

    function _resignUpto(IBatchSettlementRouter.Permit2UptoItem memory item, uint256 i) internal view {
        item.signature = _sign(_payerKey(i), _uptoDigest(item.permit, UPTO_PROXY, item.witness));
    }

    function _exactOnly(
        IBatchSettlementRouter.Permit2ExactItem memory item
    ) internal pure returns (IBatchSettlementRouter.Permit2ExactItem[] memory items) {
        items = new IBatchSettlementRouter.Permit2ExactItem[](1);
        items[0] = item;
    }

    function _uptoOnly(
        IBatchSettlementRouter.Permit2UptoItem memory item
    ) internal pure returns (IBatchSettlementRouter.Permit2UptoItem[] memory items) {
        items = new IBatchSettlementRouter.Permit2UptoItem[](1);
        items[0] = item;
    }

    function _noExact() internal pure returns (IBatchSettlementRouter.Permit2ExactItem[] memory) {
        return new IBatchSettlementRouter.Permit2ExactItem[](0);
    }

    function _noUpto() internal pure returns (IBatchSettlementRouter.Permit2UptoItem[] memory) {
        return new IBatchSettlementRouter.Permit2UptoItem[](0);
    }

    function _assertReason(
        bytes memory results,
        uint256 i,
        IBatchSettlementRouter.FailureReason expected
    ) internal pure {
        assertEq(uint256(uint8(results[i])), uint256(expected), "item reason");
    }
}
