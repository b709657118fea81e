// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IDepositCollector} from "./IDepositCollector.sol";

/**
 * @title IPermit2DepositCollector
 * @notice An {IDepositCollector} that pulls `batch-settlement` deposits through Uniswap's Permit2 as the official
 * x402 EVM SDK 2.27 signs them: a `PermitWitnessTransferFrom` of the deposit amount with this collector as spender
 * and the witness `DepositWitness(bytes32 channelId)`, optionally preceded by an EIP-2612 permit that approves
 * Permit2.
 *
 * `collectorData = abi.encode(uint256 nonce, uint256 deadline, bytes permit2Signature, bytes eip2612PermitData)`,
 * where `eip2612PermitData` is empty or `abi.encode(uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)`.
 *
 * Requirements of {IDepositCollector-collect}:
 * - `permit2Signature` is `config.payer`'s Permit2 signature over `(token = config.token, amount, spender = this
 *   collector, nonce, deadline)` with the witness `channelId` of `config` under `msg.sender`'s domain on this chain;
 * - when `eip2612PermitData` is present, its `value` equals `amount`; a permit that fails (already used, e.g.
 *   front-run) is tolerated as long as `config.payer`'s allowance to Permit2 covers `amount`;
 * - the tokens go from `config.payer` to `msg.sender` directly, exactly `amount` of them.
 */
interface IPermit2DepositCollector is IDepositCollector {
    /// @dev The EIP-2612 permit in `collectorData` approves `permitValue`, not the deposit `amount`.
    error Permit2DepositCollectorPermitAmountMismatch(uint256 permitValue, uint256 amount);

    /// @dev The EIP-2612 permit failed and `payer`'s allowance of `token` to Permit2 is below the deposit `amount`.
    error Permit2DepositCollectorInsufficientAllowance(address token, address payer, uint256 allowance, uint256 amount);
}
