// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Permit2Code} from "./Permit2Code.sol";
import {vm} from "./Vm.sol";

/// @dev Uniswap's Permit2, at the same address on every chain that has it.
address constant PERMIT2_ADDRESS = 0x000000000022D473030F116dDEE9F6B43aC78BA3;

/// @dev Permit2's EIP-712 domain separator on this chain at its canonical address (no version field).
function permit2DomainSeparator() view returns (bytes32) {
    return
        keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)"),
                keccak256("Permit2"),
                block.chainid,
                PERMIT2_ADDRESS
            )
        );
}

/**
 * @dev Puts Permit2's runtime code (the bindings' build, `Permit2Code`) at its canonical address, with its
 * immutables `_CACHED_CHAIN_ID` and `_CACHED_DOMAIN_SEPARATOR` set for this chain, as `ensurePermit2` does on a
 * devnet. On another chain id Permit2 recomputes its separator, as the deployed one does.
 */
function etchPermit2() {
    bytes memory code = Permit2Code.RUNTIME_CODE;
    uint256 chainIdOffset = Permit2Code.CACHED_CHAIN_ID_OFFSET;
    uint256 separatorOffset = Permit2Code.CACHED_DOMAIN_SEPARATOR_OFFSET;
    uint256 chainId = block.chainid;
    bytes32 separator = permit2DomainSeparator();
    assembly ("memory-safe") {
        // The code's bytes start one word after `code`; each immutable is a 32-byte word at its offset.
        mstore(add(add(code, 0x20), chainIdOffset), chainId)
        mstore(add(add(code, 0x20), separatorOffset), separator)
    }
    vm.etch(PERMIT2_ADDRESS, code);
}
