// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISignatureTransfer} from "./ISignatureTransfer.sol";

/**
 * @title IX402Permit2Proxy
 * @notice What the x402 `exact` (Permit2 transfer method) and `upto` proxies share: the Permit2 address, the
 * EIP-2612 permit struct of `settleWithPermit`, the events and the errors of the official x402 EVM SDK 2.27 ABIs.
 *
 * NOTE: The errors carry no values. The official facilitator decodes reverts with its own ABI and maps them to
 * reasons by name (`InvalidDestination` → `permit2_invalid_destination`, ...); an error with parameters would have
 * another selector, would not decode, and the payer would get `transaction_failed` instead of the reason. The
 * offending values are all in the call's arguments.
 */
interface IX402Permit2Proxy {
    /// @notice An EIP-2612 permit of the token for Permit2, signed by the payer (gasless first approval).
    struct EIP2612Permit {
        uint256 value;
        uint256 deadline;
        bytes32 r;
        bytes32 s;
        uint8 v;
    }

    /// @notice A payment was settled through {settle}.
    event Settled();

    /// @notice A payment was settled through {settleWithPermit}.
    event SettledWithPermit();

    /// @notice The payer (`owner`) is the zero address.
    error InvalidOwner();

    /// @notice The witness's recipient (`witness.to`) is the zero address.
    error InvalidDestination();

    /// @notice `block.timestamp` is before the witness's `validAfter`.
    error PaymentTooEarly();

    /// @notice The EIP-2612 permit's value is below the Permit2 permitted amount.
    error Permit2612AmountMismatch();

    /// @notice Declared for ABI compatibility with the official proxies, whose constructor takes the Permit2
    /// address. Never raised here: Permit2 is the constant {PERMIT2}.
    error InvalidPermit2Address();

    /**
     * @notice Uniswap's Permit2 at its canonical address, `0x000000000022D473030F116dDEE9F6B43aC78BA3`.
     * @return The Permit2 contract this proxy transfers through.
     */
    function PERMIT2() external view returns (ISignatureTransfer);

    /**
     * @notice The EIP-712 type hash of the witness struct (`keccak256` of its encoded type).
     * @return The witness type hash.
     */
    function WITNESS_TYPEHASH() external view returns (bytes32);

    /**
     * @notice The witness type string passed to Permit2's `permitWitnessTransferFrom`: the tail of the
     * `PermitWitnessTransferFrom` type, `Witness witness)` followed by the referenced types in alphabetical order.
     * @return The witness type string.
     */
    function WITNESS_TYPE_STRING() external view returns (string memory);
}
