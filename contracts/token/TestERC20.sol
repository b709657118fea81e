// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ITestERC20} from "../interfaces/ITestERC20.sol";

/**
 * @title TestERC20
 * @notice A plain OpenZeppelin ERC-20 with EIP-2612 `permit` (https://eips.ethereum.org/EIPS/eip-2612) and a public
 * faucet, for the x402 flows that work with any ERC-20 through Uniswap's Permit2. It has no EIP-3009: a payer
 * approves Permit2 once (or signs an EIP-2612 permit for it) and then signs Permit2 transfers.
 *
 * NOTE: The faucet has a per-call cap and nothing else (no cooldown, no owner, no pause): this token is for local
 * chains and tests, where anyone minting anything is fine. The EIP-712 domain is (name, "1", chainId, this), as
 * OpenZeppelin's ERC20Permit sets it.
 */
contract TestERC20 is ITestERC20, ERC20Permit {
    uint8 private immutable _decimals;

    /// @inheritdoc ITestERC20
    uint256 public immutable faucetCap;

    /**
     * @param name_ ERC-20 name, also the EIP-712 domain name.
     * @param symbol_ ERC-20 symbol.
     * @param decimals_ ERC-20 decimals.
     * @param faucetCap_ Largest amount one {faucet} call may mint, in base units.
     */
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        uint256 faucetCap_
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        _decimals = decimals_;
        faucetCap = faucetCap_;
    }

    /// @inheritdoc ITestERC20
    function faucet(address to, uint256 amount) external {
        if (amount > faucetCap) revert TestERC20FaucetCapExceeded(amount, faucetCap);
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
