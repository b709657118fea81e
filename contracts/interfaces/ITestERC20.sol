// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ITestERC20
 * @notice A plain ERC-20 for testing x402's Permit2 flows (`exact` with `assetTransferMethod: "permit2"`, `upto`,
 * Permit2 `batch-settlement` deposits): EIP-2612 `permit`, configurable decimals and a public faucet, and no
 * EIP-3009, so a client has to go through Permit2.
 */
interface ITestERC20 {
    /// @notice `amount` is above the faucet's per-call `cap`.
    error TestERC20FaucetCapExceeded(uint256 amount, uint256 cap);

    /**
     * @notice Public faucet: mints `amount` to `to`. Anyone may call it, for any recipient, any number of times.
     * Emits `Transfer(address(0), to, amount)`.
     * @dev Requirements: `amount <= faucetCap()` ({TestERC20FaucetCapExceeded}); `to` is not the zero address
     * (ERC-6093 `ERC20InvalidReceiver`).
     * @param to The recipient.
     * @param amount The amount to mint, in base units.
     */
    function faucet(address to, uint256 amount) external;

    /**
     * @return The largest amount one {faucet} call may mint, in base units (fixed at deployment).
     */
    function faucetCap() external view returns (uint256);
}
