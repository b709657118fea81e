// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC3009} from "./IERC3009.sol";

/**
 * @title ITestUSDC
 * @notice The full surface of x402kit's USDC stand-in: ERC-20 (6 decimals), EIP-2612 permit in both
 * signature forms, EIP-5267 `eip712Domain`, ERC-3009 ({IERC3009}), and FiatToken-style supply control
 * (minters with allowances, burn), pause, blocklist and a rate-limited public faucet.
 *
 * Roles (OpenZeppelin AccessControl): `DEFAULT_ADMIN_ROLE` grants and revokes every role, configures the
 * faucet and the revert style; `MASTER_MINTER_ROLE` configures minters; `PAUSER_ROLE` pauses;
 * `BLOCKLISTER_ROLE` edits the blocklist. Missing roles revert with
 * `AccessControlUnauthorizedAccount(account, neededRole)`. Pausing emits OpenZeppelin's
 * `Paused(account)` / `Unpaused(account)`; a paused call reverts with `EnforcedPause()`.
 *
 * ERC-20 failures use the standard ERC-6093 errors (`ERC20InsufficientBalance(sender, balance, needed)`,
 * `ERC20InvalidReceiver(receiver)`, ...).
 */
interface ITestUSDC is IERC20Metadata, IERC20Permit, IERC5267, IERC3009, IERC20Errors, IAccessControl {
    /// @notice `MASTER_MINTER_ROLE` holders set `minter` up with `minterAllowedAmount` of mint allowance.
    event MinterConfigured(address indexed minter, uint256 minterAllowedAmount);

    /// @notice `oldMinter` lost its minter status and allowance.
    event MinterRemoved(address indexed oldMinter);

    /// @notice `minter` minted `amount` to `to` (followed by `Transfer(address(0), to, amount)`).
    event Mint(address indexed minter, address indexed to, uint256 amount);

    /// @notice `burner` burned `amount` of its own balance (followed by `Transfer(burner, address(0), amount)`).
    event Burn(address indexed burner, uint256 amount);

    /// @notice `account` was added to the blocklist.
    event Blocklisted(address indexed account);

    /// @notice `account` was removed from the blocklist.
    event Unblocklisted(address indexed account);

    /// @notice The faucet settings changed.
    event FaucetConfigured(bool enabled, uint256 cap, uint256 cooldown);

    /// @notice The faucet minted `amount` to `to`; `to` may use it again from `readyAt` on.
    event FaucetDripped(address indexed to, uint256 amount, uint256 readyAt);

    /// @notice The revert style changed (see {setFiatTokenRevertStrings}).
    event FiatTokenRevertStringsSet(bool enabled);

    /// @notice `account` is blocklisted, so it can neither send, receive, approve nor mint.
    error TestUSDCBlocklisted(address account);

    /// @notice `account` is not a minter.
    error TestUSDCUnauthorizedMinter(address account);

    /// @notice `minter` asked to mint `amount` but may only mint `allowance` more.
    error TestUSDCMinterAllowanceExceeded(address minter, uint256 allowance, uint256 amount);

    /// @notice An amount that must be positive (mint, burn, faucet) was zero.
    error TestUSDCZeroAmount();

    /// @notice An address that must be set (admin, minter) was the zero address.
    error TestUSDCZeroAddress();

    /// @notice Minting `amount` on top of `totalSupply` would exceed the supply cap of 2^255 - 1 (the top bit
    /// of each balance word holds the blocklist flag, as in FiatToken v2.2).
    error TestUSDCSupplyCapExceeded(uint256 totalSupply, uint256 amount);

    /// @notice The faucet is switched off.
    error TestUSDCFaucetDisabled();

    /// @notice `amount` is above the faucet's per-call `cap`.
    error TestUSDCFaucetCapExceeded(uint256 amount, uint256 cap);

    /// @notice `account` used the faucet recently and may use it again at `readyAt` (unix time).
    error TestUSDCFaucetCooldown(address account, uint256 readyAt);

    /// @notice EIP-2612: the permit's `deadline` has passed (OpenZeppelin's ERC20Permit error).
    error ERC2612ExpiredSignature(uint256 deadline);

    /// @notice EIP-2612: the permit was signed by `signer`, not `owner` (`signer` is `address(0)` when
    /// recovery failed or `owner` is a contract that refused it). OpenZeppelin's ERC20Permit error.
    error ERC2612InvalidSigner(address signer, address owner);

    /**
     * @notice The EIP-712 domain version, equal to `eip712Domain().version` ("2" for USDC). x402 facilitators
     * compare `name()` and `version()` with a payment requirement's `extra.name` / `extra.version`.
     * @return The version string.
     */
    function version() external view returns (string memory);

    /**
     * @notice `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
     * @return The EIP-2612 permit type hash.
     */
    // solhint-disable-next-line func-name-mixedcase
    function PERMIT_TYPEHASH() external view returns (bytes32);

    /**
     * @notice EIP-2612 permit with a `bytes` signature: 65-byte ECDSA for accounts without code, ERC-1271
     * for contract owners. Sets `spender`'s allowance over `owner`'s tokens to `value`.
     * @dev Requirements, in order: not paused; `deadline >= block.timestamp` (`type(uint256).max` never
     * expires); the signature over `owner`'s current `nonces(owner)` is valid (the nonce is then used);
     * `spender` is not the zero address. There is no blocklist check (FiatToken v2.2). A malformed ECDSA
     * signature reverts with {IERC3009}'s `ERC3009InvalidSignatureLength/S/V`: one decoder serves every
     * signed entry point.
     * @param owner The token holder and signer.
     * @param spender The account allowed to spend.
     * @param value The new allowance.
     * @param deadline Last valid unix time (inclusive).
     * @param signature The signature bytes.
     */
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes calldata signature) external;

    /// @return The role that configures and removes minters.
    // solhint-disable-next-line func-name-mixedcase
    function MASTER_MINTER_ROLE() external view returns (bytes32);

    /// @return The role that pauses and unpauses the token.
    // solhint-disable-next-line func-name-mixedcase
    function PAUSER_ROLE() external view returns (bytes32);

    /// @return The role that adds accounts to and removes them from the blocklist.
    // solhint-disable-next-line func-name-mixedcase
    function BLOCKLISTER_ROLE() external view returns (bytes32);

    /**
     * @notice Makes `minter` a minter allowed to mint `minterAllowedAmount` more tokens (replacing any
     * previous allowance), as FiatToken's `configureMinter`.
     * @dev Requirements: caller has `MASTER_MINTER_ROLE`; not paused; `minter` is not the zero address.
     * @param minter The account to configure.
     * @param minterAllowedAmount Its new mint allowance.
     * @return Always true.
     */
    function configureMinter(address minter, uint256 minterAllowedAmount) external returns (bool);

    /**
     * @notice Removes `minter`'s minter status and sets its allowance to zero.
     * @dev Requirements: caller has `MASTER_MINTER_ROLE`.
     * @param minter The account to remove.
     * @return Always true.
     */
    function removeMinter(address minter) external returns (bool);

    /**
     * @param account The account to check.
     * @return True when `account` is a minter.
     */
    function isMinter(address account) external view returns (bool);

    /**
     * @param minter The minter to check.
     * @return How many more tokens `minter` may mint.
     */
    function minterAllowance(address minter) external view returns (uint256);

    /**
     * @notice Mints `amount` to `to` and lowers the caller's mint allowance by `amount`.
     * Emits {Mint} and `Transfer(address(0), to, amount)`.
     * @dev Requirements, in order: not paused; caller is a minter; neither caller nor `to` is blocklisted;
     * `to` is not the zero address; `amount > 0`; `amount <= minterAllowance(caller)`; the total supply
     * stays at most 2^255 - 1.
     * @param to The recipient.
     * @param amount Amount in base units.
     * @return Always true.
     */
    function mint(address to, uint256 amount) external returns (bool);

    /**
     * @notice Burns `amount` of the caller's balance. As in FiatToken, only minters can burn.
     * Emits {Burn} and `Transfer(caller, address(0), amount)`.
     * @dev Requirements, in order: not paused; caller is a minter; caller is not blocklisted; `amount > 0`;
     * the caller holds at least `amount`.
     * @param amount Amount in base units.
     */
    function burn(uint256 amount) external;

    /**
     * @notice Public testnet faucet: mints `amount` to `to`. Anyone may call it for any recipient; the
     * cooldown is per recipient. Emits {FaucetDripped} and `Transfer(address(0), to, amount)`.
     * @dev Requirements, in order: not paused; the faucet is enabled; `to` is not blocklisted;
     * `0 < amount <= cap`; `block.timestamp >= faucetReadyAt(to)`; `to` is not the zero address; the total
     * supply stays at most 2^255 - 1. Afterwards `faucetReadyAt(to) = block.timestamp + cooldown`.
     * @param to The recipient.
     * @param amount Amount in base units.
     */
    function faucet(address to, uint256 amount) external;

    /**
     * @notice Sets the faucet's switch, per-call cap and per-recipient cooldown. Emits {FaucetConfigured}.
     * @dev Requirements: caller has `DEFAULT_ADMIN_ROLE`. Cooldowns already running keep their `readyAt`.
     * @param enabled Whether {faucet} may be used.
     * @param cap Largest amount one {faucet} call may mint, in base units.
     * @param cooldown Seconds a recipient waits between two {faucet} calls.
     */
    function configureFaucet(bool enabled, uint128 cap, uint64 cooldown) external;

    /**
     * @return enabled Whether {faucet} may be used.
     * @return cap Largest amount one {faucet} call may mint.
     * @return cooldown Seconds a recipient waits between two {faucet} calls.
     */
    function faucetConfig() external view returns (bool enabled, uint256 cap, uint256 cooldown);

    /**
     * @param account A faucet recipient.
     * @return Unix time from which `account` may receive from the faucet again (0 if never used).
     */
    function faucetReadyAt(address account) external view returns (uint256);

    /**
     * @notice Pauses the token: transfers, approvals, permits, EIP-3009 authorizations, cancellations,
     * minting, burning, minter configuration and the faucet revert with `EnforcedPause()`.
     * @dev Requirements: caller has `PAUSER_ROLE`; not paused.
     */
    function pause() external;

    /**
     * @notice Unpauses the token.
     * @dev Requirements: caller has `PAUSER_ROLE`; paused.
     */
    function unpause() external;

    /// @return True while the token is paused.
    function paused() external view returns (bool);

    /**
     * @notice Blocklists `account`: any transfer from or to it (plain, `transferFrom`, EIP-3009, mint,
     * faucet), and `approve` by or to it, reverts with {TestUSDCBlocklisted}. Its balance is kept.
     * Idempotent. Emits {Blocklisted}.
     * @dev Requirements: caller has `BLOCKLISTER_ROLE`.
     * @param account The account to block.
     */
    function blocklist(address account) external;

    /**
     * @notice Removes `account` from the blocklist. Idempotent. Emits {Unblocklisted}.
     * @dev Requirements: caller has `BLOCKLISTER_ROLE`.
     * @param account The account to unblock.
     */
    function unblocklist(address account) external;

    /**
     * @param account The account to check.
     * @return True when `account` is blocklisted.
     */
    function isBlocklisted(address account) external view returns (bool);

    /**
     * @notice Chooses how the ERC-20, EIP-2612 and EIP-3009 paths revert: with this interface's custom
     * errors (default, `false`), or with FiatToken v2.2's exact revert strings (`true`; e.g.
     * "FiatTokenV2: authorization is expired"), for facilitators that classify failures by revert text.
     * Admin, minter and faucet errors are always custom errors. Emits {FiatTokenRevertStringsSet}.
     * @dev Requirements: caller has `DEFAULT_ADMIN_ROLE`.
     * @param enabled True for FiatToken revert strings.
     */
    function setFiatTokenRevertStrings(bool enabled) external;

    /// @return True when the token reverts with FiatToken v2.2's revert strings instead of custom errors.
    function fiatTokenRevertStrings() external view returns (bool);
}
