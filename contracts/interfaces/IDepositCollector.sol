// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IX402BatchSettlement} from "./IX402BatchSettlement.sol";

/**
 * @title IDepositCollector
 * @notice A pluggable way to pull a deposit into an {IX402BatchSettlement} channel contract (ERC-3009 now,
 * Permit2 later). {IX402BatchSettlement-deposit} calls {collect} and then checks that its own token balance grew
 * by exactly the amount.
 *
 * Binding to the caller. A collector has no owner and no stored settlement address (so its runtime code works at
 * any address, e.g. placed with `hardhat_setCode`): it derives the channel id itself from `config` under the EIP-712
 * domain of `msg.sender` and binds the payer's authorization to that id. A caller other than the channel contract
 * the payer signed for gets another id, so the payer's signature does not verify and nothing moves.
 */
interface IDepositCollector {
    /**
     * @notice Pulls `amount` of `config.token` from `config.payer` and sends it to `msg.sender`.
     * @dev Requirements: `collectorData` is a valid authorization of `config.payer` bound to the channel id of
     * `config` under `msg.sender`'s `x402 Batch Settlement` domain on this chain.
     * @param config The channel being funded.
     * @param amount The exact amount to pull and forward.
     * @param collectorData Collector-specific authorization data.
     */
    function collect(
        IX402BatchSettlement.ChannelConfig calldata config,
        uint256 amount,
        bytes calldata collectorData
    ) external;
}
