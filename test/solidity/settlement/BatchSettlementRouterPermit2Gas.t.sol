// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchSettlementRouter} from "../../../contracts/interfaces/IBatchSettlementRouter.sol";
import {vm} from "../utils/Vm.sol";
import {BatchSettlementRouterPermit2Fixture} from "./BatchSettlementRouterPermit2Fixture.sol";

/**
 * @notice Router batches of Permit2 payments for `.gas-snapshot`: distinct payers who approved Permit2 once, one
 * existing payee, random-looking nonces (compare with `X402Permit2ProxyGasTest`). Signing happens with gas metering
 * paused; each figure is the call (no intrinsic or calldata cost). scripts/bench/router-gas.ts measures whole
 * transactions per payment at more batch sizes.
 */
contract BatchSettlementRouterPermit2GasTest is BatchSettlementRouterPermit2Fixture {
    function _nonce(uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("router permit2 gas nonce", i)));
    }

    function test_gas_settlePermit2_exact_1() public {
        _exactBatch(1);
    }

    function test_gas_settlePermit2_exact_8() public {
        _exactBatch(8);
    }

    function test_gas_settlePermit2_upto_8() public {
        vm.pauseGasMetering();
        IBatchSettlementRouter.Permit2UptoItem[] memory items = new IBatchSettlementRouter.Permit2UptoItem[](PAYERS);
        for (uint256 i; i < PAYERS; ++i) {
            items[i] = _uptoItem(i, PAY_TO, 1e6, PRICE, FACILITATOR, bytes32(_nonce(i)));
        }
        vm.prank(FACILITATOR);
        vm.resumeGasMetering();
        router.settlePermit2(_noExact(), items, ITEM_GAS);
    }

    function _exactBatch(uint256 n) private {
        vm.pauseGasMetering();
        IBatchSettlementRouter.Permit2ExactItem[] memory items = new IBatchSettlementRouter.Permit2ExactItem[](n);
        for (uint256 i; i < n; ++i) items[i] = _exactItem(i, PAY_TO, PRICE, _nonce(i));
        vm.resumeGasMetering();
        router.settlePermit2(items, _noUpto(), ITEM_GAS);
    }
}
