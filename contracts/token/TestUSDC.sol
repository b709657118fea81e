// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ShortString, ShortStrings} from "@openzeppelin/contracts/utils/ShortStrings.sol";
import {ITestUSDC} from "../interfaces/ITestUSDC.sol";

/**
 * @title TestUSDC
 * @notice A USDC stand-in for x402 testing: an ERC-20 with 6 decimals that behaves like Circle's FiatToken
 * v2.2 (USDC) wherever x402 clients and facilitators touch it, and can reproduce USDC's failure modes.
 *
 * - ERC-3009 ({IERC3009}): `transferWithAuthorization`, `receiveWithAuthorization` and `cancelAuthorization`,
 *   each in the `(v, r, s)` and the `(bytes signature)` form, with USDC's rules: valid only while
 *   `validAfter < block.timestamp < validBefore`, one random-nonce space per authorizer shared by the three
 *   functions, `AuthorizationUsed` logged before `Transfer`, ECDSA for accounts without code (low-s, v in
 *   {27, 28}, 65 bytes) and an ERC-1271 STATICCALL for accounts with code. See https://eips.ethereum.org/EIPS/eip-3009.
 * - EIP-2612 `permit` in both forms (the bytes form accepts ERC-1271), `nonces`, `DOMAIN_SEPARATOR()`, and
 *   EIP-5267 `eip712Domain()`. The EIP-712 domain is (name, version, chainId, this), with name and version
 *   fixed at deployment; `name()` IS the domain name and `version()` the domain version, as x402 facilitators
 *   expect. Deploy with ("USDC", "USDC", "2") to mirror Base Sepolia USDC, or ("USD Coin", "USDC", "2") for
 *   Base mainnet USDC. The separator follows the current `block.chainid` (fork-safe, OpenZeppelin EIP712).
 * - FiatToken-style supply control: minters with allowances (`configureMinter`, `removeMinter`,
 *   `minterAllowance`, `mint`, minter-only `burn`), `pause`, a blocklist, and a rate-limited public faucet
 *   (off at deployment; the admin sets it with `configureFaucet`).
 *
 * NOTE: Trade-offs and differences from FiatToken v2.2:
 *
 * - Failures are custom errors with the offending values ({IERC3009}, {ITestUSDC}, ERC-6093), not
 *   FiatToken's strings. The reference x402 facilitator classifies a failed settlement by regular expressions
 *   over the error message, so against an undecoded custom error it reports its generic
 *   `invalid_exact_evm_transaction_failed`. Two cheap mitigations: (1) the error names contain the words its
 *   expressions look for (`AuthorizationExpired`, `AuthorizationNotYetValid`, `AuthorizationUsedOrCanceled`,
 *   `ERC20InsufficientBalance`, `InvalidSignature`), which a node that decodes custom errors (a Hardhat
 *   devnet) puts in the message; (2) the admin can switch the token to FiatToken's exact revert strings with
 *   {setFiatTokenRevertStrings}. The switch is read only on failing paths, so it costs successful calls nothing.
 * - Not a proxy and no external SignatureChecker library, so every call is a few thousand gas cheaper than
 *   USDC's (no DELEGATECALLs, no implementation-slot read). Compare router gas against this token, not USDC.
 * - As in v2.2, each balance word keeps the blocklist flag in bit 255, so blocklist checks on the transfer
 *   paths read the balance slot that the transfer touches anyway. The total supply is capped at 2^255 - 1,
 *   which bounds every balance below the flag bit.
 * - EOA versus contract is decided by `code.length`, as in v2.2 and OpenZeppelin's SignatureChecker: an
 *   EIP-7702-delegated EOA is asked through ERC-1271, like USDC does.
 * - `transferFrom` always lowers the allowance, even an allowance of `type(uint256).max` (FiatToken has no
 *   infinite allowance).
 * - Roles are OpenZeppelin AccessControl roles (several holders each, standard events, revocable) instead
 *   of FiatToken's single `owner`/`masterMinter`/`pauser`/`blacklister` addresses: test harnesses can hand
 *   pause or blocklist power to a fixture without giving away the admin.
 * - The name, symbol and version are at most 31 bytes each (OpenZeppelin ShortStrings; longer values revert
 *   at deployment) and cannot change.
 * - The faucet's cooldown is per recipient. It stops accidents and casual draining, not a determined Sybil;
 *   switch it off where that matters.
 * - Not included: FiatToken's `increaseAllowance`/`decreaseAllowance`, `rescueERC20`, role-rotation
 *   functions (`updatePauser`, ...) and upgradeability.
 */
contract TestUSDC is ITestUSDC, EIP712, Nonces, AccessControl, Pausable {
    using ShortStrings for *;

    /// @inheritdoc ITestUSDC
    bytes32 public constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    /// @notice See {IERC3009-TRANSFER_WITH_AUTHORIZATION_TYPEHASH}.
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,"
        "uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    /// @notice See {IERC3009-RECEIVE_WITH_AUTHORIZATION_TYPEHASH}.
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,"
        "uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    /// @notice See {IERC3009-CANCEL_AUTHORIZATION_TYPEHASH}.
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH = keccak256(
        "CancelAuthorization(address authorizer,bytes32 nonce)"
    );

    /// @inheritdoc ITestUSDC
    bytes32 public constant MASTER_MINTER_ROLE = keccak256("MASTER_MINTER_ROLE");

    /// @inheritdoc ITestUSDC
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @inheritdoc ITestUSDC
    bytes32 public constant BLOCKLISTER_ROLE = keccak256("BLOCKLISTER_ROLE");

    /// @dev Bit 255 of an account word: the account is blocklisted.
    uint256 private constant BLOCKLISTED_FLAG = 1 << 255;

    /// @dev Bits 0..254 of an account word hold the balance; also the total supply cap.
    uint256 private constant BALANCE_MASK = BLOCKLISTED_FLAG - 1;

    /// @dev secp256k1n / 2: larger `s` values are the malleable twin of a low-s signature.
    uint256 private constant HALF_CURVE_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @dev Faucet settings, packed in one slot.
    struct FaucetConfig {
        uint128 cap;
        uint64 cooldown;
        bool enabled;
    }

    ShortString private immutable _symbol;

    // Declared first so that it shares a slot with Pausable's `_paused`.
    bool private _fiatTokenRevertStrings;

    mapping(address account => uint256 balanceAndBlocklistFlag) private _accounts;
    mapping(address owner => mapping(address spender => uint256 amount)) private _allowances;
    uint256 private _totalSupply;

    mapping(address authorizer => mapping(bytes32 nonce => bool used)) private _authorizationStates;

    mapping(address account => bool) private _minters;
    mapping(address minter => uint256 amount) private _minterAllowances;

    FaucetConfig private _faucet;
    mapping(address account => uint256 readyAt) private _faucetReadyAt;

    /// @dev Reverts with {TestUSDCBlocklisted} if `account` is blocklisted.
    modifier notBlocklisted(address account) {
        _requireNotBlocklisted(account);
        _;
    }

    /// @dev Reverts with {TestUSDCUnauthorizedMinter} if the caller is not a minter.
    modifier onlyMinter() {
        if (!_minters[msg.sender]) revert TestUSDCUnauthorizedMinter(msg.sender);
        _;
    }

    /**
     * @param name_ ERC-20 name and EIP-712 domain name ("USDC" on Base Sepolia, "USD Coin" on Base).
     * @param symbol_ ERC-20 symbol ("USDC").
     * @param version_ EIP-712 domain version ("2" for USDC).
     * @param admin Receives every role: `DEFAULT_ADMIN_ROLE`, `MASTER_MINTER_ROLE`, `PAUSER_ROLE` and
     * `BLOCKLISTER_ROLE`. It is not a minter until it configures itself as one.
     */
    constructor(
        string memory name_,
        string memory symbol_,
        string memory version_,
        address admin
    ) EIP712(name_, version_) {
        if (admin == address(0)) revert TestUSDCZeroAddress();
        _symbol = symbol_.toShortString();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MASTER_MINTER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(BLOCKLISTER_ROLE, admin);
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-20
    // ------------------------------------------------------------------------------------------------

    /// @notice The ERC-20 name, which is also the EIP-712 domain name.
    /// @return The token name.
    function name() external view returns (string memory) {
        return _EIP712Name();
    }

    /// @notice The ERC-20 symbol.
    /// @return The token symbol.
    function symbol() external view returns (string memory) {
        return _symbol.toString();
    }

    /// @notice The number of decimals: 6, as USDC.
    /// @return 6.
    function decimals() external pure returns (uint8) {
        return 6;
    }

    /// @inheritdoc ITestUSDC
    function version() external view returns (string memory) {
        return _EIP712Version();
    }

    /// @notice The amount of tokens in existence.
    /// @return The total supply.
    function totalSupply() external view returns (uint256) {
        return _totalSupply;
    }

    /// @notice The balance of `account` (blocklisted accounts keep theirs).
    /// @param account The account to query.
    /// @return The balance in base units.
    function balanceOf(address account) external view returns (uint256) {
        return _accounts[account] & BALANCE_MASK;
    }

    /// @notice The amount `spender` may still move from `owner` with `transferFrom`.
    /// @param owner The token holder.
    /// @param spender The approved account.
    /// @return The remaining allowance.
    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    /**
     * @notice Moves `value` tokens from the caller to `to`.
     * @dev Requirements, in order: not paused; neither caller nor `to` blocklisted; `to` is not the zero
     * address; the caller holds at least `value`.
     * @param to The recipient.
     * @param value Amount in base units.
     * @return Always true.
     */
    function transfer(
        address to,
        uint256 value
    ) external whenNotPaused notBlocklisted(msg.sender) notBlocklisted(to) returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    /**
     * @notice Moves `value` tokens from `from` to `to` using the caller's allowance, which always decreases
     * by `value` (FiatToken has no infinite allowance).
     * @dev Requirements, in order: not paused; none of caller, `from`, `to` blocklisted; allowance at least
     * `value`; `from` and `to` are not the zero address; `from` holds at least `value`.
     * @param from The token holder.
     * @param to The recipient.
     * @param value Amount in base units.
     * @return Always true.
     */
    function transferFrom(
        address from,
        address to,
        uint256 value
    ) external whenNotPaused notBlocklisted(msg.sender) notBlocklisted(from) notBlocklisted(to) returns (bool) {
        uint256 currentAllowance = _allowances[from][msg.sender];
        if (value > currentAllowance) {
            _revertWithStringIfEnabled("ERC20: transfer amount exceeds allowance");
            revert ERC20InsufficientAllowance(msg.sender, currentAllowance, value);
        }
        unchecked {
            // value <= currentAllowance was checked above.
            _allowances[from][msg.sender] = currentAllowance - value;
        }
        _transfer(from, to, value);
        return true;
    }

    /**
     * @notice Sets `spender`'s allowance over the caller's tokens to `value`.
     * @dev Requirements, in order: not paused; neither caller nor `spender` blocklisted; `spender` is not
     * the zero address.
     * @param spender The account allowed to spend.
     * @param value The new allowance.
     * @return Always true.
     */
    function approve(
        address spender,
        uint256 value
    ) external whenNotPaused notBlocklisted(msg.sender) notBlocklisted(spender) returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // EIP-2612 and EIP-712
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice EIP-2612 permit with a `(v, r, s)` signature; contract owners are checked with ERC-1271 over
     * `abi.encodePacked(r, s, v)`, as FiatToken v2.2 does.
     * @dev Same requirements as the bytes form ({ITestUSDC-permit}).
     * @param owner The token holder and signer.
     * @param spender The account allowed to spend.
     * @param value The new allowance.
     * @param deadline Last valid unix time (inclusive).
     * @param v Signature recovery byte (27 or 28).
     * @param r Signature `r`.
     * @param s Signature `s`.
     */
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused {
        bytes32 digest = _usePermit(owner, spender, value, deadline);
        (address signer, bool valid) = _verify(owner, digest, v, r, s);
        if (!valid) _revertInvalidPermitSigner(signer, owner);
        _approve(owner, spender, value);
    }

    /// @inheritdoc ITestUSDC
    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 digest = _usePermit(owner, spender, value, deadline);
        (address signer, bool valid) = _verify(owner, digest, signature);
        if (!valid) _revertInvalidPermitSigner(signer, owner);
        _approve(owner, spender, value);
    }

    /// @notice The next EIP-2612 permit nonce of `owner`.
    /// @param owner The token holder.
    /// @return The nonce the next permit must sign.
    function nonces(address owner) public view override(IERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @notice The EIP-712 domain separator for the current chain id.
    /// @return keccak256(abi.encode(EIP712Domain typehash, keccak256(name), keccak256(version), chainid, this)).
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------------------------------------
    // ERC-3009
    // ------------------------------------------------------------------------------------------------

    /// @notice See {IERC3009-authorizationState}.
    /// @param authorizer The signer of the authorization.
    /// @param nonce The authorization's nonce.
    /// @return True when the nonce is used or canceled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /// @notice See {IERC3009-transferWithAuthorization}.
    /// @param from The payer and signer.
    /// @param to The payee.
    /// @param value Amount in base units.
    /// @param validAfter Unix time after which the authorization is valid (exclusive).
    /// @param validBefore Unix time before which the authorization is valid (exclusive).
    /// @param nonce Unique nonce chosen by the signer.
    /// @param v Signature recovery byte (27 or 28).
    /// @param r Signature `r`.
    /// @param s Signature `s`.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused notBlocklisted(from) notBlocklisted(to) {
        _requireUsableAuthorization(from, validAfter, validBefore, nonce);
        bytes32 digest = _authorizationDigest(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        (address signer, bool valid) = _verify(from, digest, v, r, s);
        if (!valid) _revertInvalidAuthorizationSigner(signer, from);
        _useAuthorization(from, to, value, nonce);
    }

    /// @notice See {IERC3009-transferWithAuthorization}.
    /// @param from The payer and signer.
    /// @param to The payee.
    /// @param value Amount in base units.
    /// @param validAfter Unix time after which the authorization is valid (exclusive).
    /// @param validBefore Unix time before which the authorization is valid (exclusive).
    /// @param nonce Unique nonce chosen by the signer.
    /// @param signature The signature bytes.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external whenNotPaused notBlocklisted(from) notBlocklisted(to) {
        _requireUsableAuthorization(from, validAfter, validBefore, nonce);
        bytes32 digest = _authorizationDigest(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        (address signer, bool valid) = _verify(from, digest, signature);
        if (!valid) _revertInvalidAuthorizationSigner(signer, from);
        _useAuthorization(from, to, value, nonce);
    }

    /// @notice See {IERC3009-receiveWithAuthorization}.
    /// @param from The payer and signer.
    /// @param to The payee, which must be the caller.
    /// @param value Amount in base units.
    /// @param validAfter Unix time after which the authorization is valid (exclusive).
    /// @param validBefore Unix time before which the authorization is valid (exclusive).
    /// @param nonce Unique nonce chosen by the signer.
    /// @param v Signature recovery byte (27 or 28).
    /// @param r Signature `r`.
    /// @param s Signature `s`.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused notBlocklisted(from) notBlocklisted(to) {
        _requireCallerIsPayee(to);
        _requireUsableAuthorization(from, validAfter, validBefore, nonce);
        bytes32 digest = _authorizationDigest(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        (address signer, bool valid) = _verify(from, digest, v, r, s);
        if (!valid) _revertInvalidAuthorizationSigner(signer, from);
        _useAuthorization(from, to, value, nonce);
    }

    /// @notice See {IERC3009-receiveWithAuthorization}.
    /// @param from The payer and signer.
    /// @param to The payee, which must be the caller.
    /// @param value Amount in base units.
    /// @param validAfter Unix time after which the authorization is valid (exclusive).
    /// @param validBefore Unix time before which the authorization is valid (exclusive).
    /// @param nonce Unique nonce chosen by the signer.
    /// @param signature The signature bytes.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external whenNotPaused notBlocklisted(from) notBlocklisted(to) {
        _requireCallerIsPayee(to);
        _requireUsableAuthorization(from, validAfter, validBefore, nonce);
        bytes32 digest = _authorizationDigest(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce
        );
        (address signer, bool valid) = _verify(from, digest, signature);
        if (!valid) _revertInvalidAuthorizationSigner(signer, from);
        _useAuthorization(from, to, value, nonce);
    }

    /// @notice See {IERC3009-cancelAuthorization}.
    /// @param authorizer The signer whose nonce is canceled.
    /// @param nonce The nonce to cancel.
    /// @param v Signature recovery byte (27 or 28).
    /// @param r Signature `r`.
    /// @param s Signature `s`.
    function cancelAuthorization(
        address authorizer,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused {
        _requireUnusedAuthorization(authorizer, nonce);
        (address signer, bool valid) = _verify(authorizer, _cancelDigest(authorizer, nonce), v, r, s);
        if (!valid) _revertInvalidAuthorizationSigner(signer, authorizer);
        _cancelAuthorization(authorizer, nonce);
    }

    /// @notice See {IERC3009-cancelAuthorization}.
    /// @param authorizer The signer whose nonce is canceled.
    /// @param nonce The nonce to cancel.
    /// @param signature The signature bytes.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external whenNotPaused {
        _requireUnusedAuthorization(authorizer, nonce);
        (address signer, bool valid) = _verify(authorizer, _cancelDigest(authorizer, nonce), signature);
        if (!valid) _revertInvalidAuthorizationSigner(signer, authorizer);
        _cancelAuthorization(authorizer, nonce);
    }

    // ------------------------------------------------------------------------------------------------
    // Supply control: minters, burn, faucet
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITestUSDC
    function configureMinter(
        address minter,
        uint256 minterAllowedAmount
    ) external whenNotPaused onlyRole(MASTER_MINTER_ROLE) returns (bool) {
        if (minter == address(0)) revert TestUSDCZeroAddress();
        _minters[minter] = true;
        _minterAllowances[minter] = minterAllowedAmount;
        emit MinterConfigured(minter, minterAllowedAmount);
        return true;
    }

    /// @inheritdoc ITestUSDC
    function removeMinter(address minter) external onlyRole(MASTER_MINTER_ROLE) returns (bool) {
        _minters[minter] = false;
        _minterAllowances[minter] = 0;
        emit MinterRemoved(minter);
        return true;
    }

    /// @inheritdoc ITestUSDC
    function isMinter(address account) external view returns (bool) {
        return _minters[account];
    }

    /// @inheritdoc ITestUSDC
    function minterAllowance(address minter) external view returns (uint256) {
        return _minterAllowances[minter];
    }

    /// @inheritdoc ITestUSDC
    function mint(
        address to,
        uint256 amount
    ) external whenNotPaused onlyMinter notBlocklisted(msg.sender) notBlocklisted(to) returns (bool) {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        if (amount == 0) revert TestUSDCZeroAmount();
        uint256 mintingAllowed = _minterAllowances[msg.sender];
        if (amount > mintingAllowed) revert TestUSDCMinterAllowanceExceeded(msg.sender, mintingAllowed, amount);
        unchecked {
            // amount <= mintingAllowed was checked above.
            _minterAllowances[msg.sender] = mintingAllowed - amount;
        }
        emit Mint(msg.sender, to, amount);
        _mint(to, amount);
        return true;
    }

    /// @inheritdoc ITestUSDC
    function burn(uint256 amount) external whenNotPaused onlyMinter notBlocklisted(msg.sender) {
        if (amount == 0) revert TestUSDCZeroAmount();
        uint256 account = _accounts[msg.sender];
        uint256 balance = account & BALANCE_MASK;
        if (amount > balance) revert ERC20InsufficientBalance(msg.sender, balance, amount);
        unchecked {
            // amount <= balance <= totalSupply, and the subtraction leaves the blocklist bit as it was.
            _accounts[msg.sender] = account - amount;
            _totalSupply -= amount;
        }
        emit Burn(msg.sender, amount);
        emit Transfer(msg.sender, address(0), amount);
    }

    /// @inheritdoc ITestUSDC
    function faucet(address to, uint256 amount) external whenNotPaused {
        FaucetConfig memory config = _faucet;
        if (!config.enabled) revert TestUSDCFaucetDisabled();
        _requireNotBlocklisted(to);
        if (amount == 0) revert TestUSDCZeroAmount();
        if (amount > config.cap) revert TestUSDCFaucetCapExceeded(amount, config.cap);
        uint256 readyAt = _faucetReadyAt[to];
        if (block.timestamp < readyAt) revert TestUSDCFaucetCooldown(to, readyAt);
        uint256 nextReadyAt = block.timestamp + config.cooldown;
        _faucetReadyAt[to] = nextReadyAt;
        _mint(to, amount);
        emit FaucetDripped(to, amount, nextReadyAt);
    }

    /// @inheritdoc ITestUSDC
    function configureFaucet(bool enabled, uint128 cap, uint64 cooldown) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _faucet = FaucetConfig({cap: cap, cooldown: cooldown, enabled: enabled});
        emit FaucetConfigured(enabled, cap, cooldown);
    }

    /// @inheritdoc ITestUSDC
    function faucetConfig() external view returns (bool enabled, uint256 cap, uint256 cooldown) {
        FaucetConfig memory config = _faucet;
        return (config.enabled, config.cap, config.cooldown);
    }

    /// @inheritdoc ITestUSDC
    function faucetReadyAt(address account) external view returns (uint256) {
        return _faucetReadyAt[account];
    }

    // ------------------------------------------------------------------------------------------------
    // Failure modes: pause, blocklist, revert style
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ITestUSDC
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ITestUSDC
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc ITestUSDC
    function paused() public view override(ITestUSDC, Pausable) returns (bool) {
        return super.paused();
    }

    /// @inheritdoc ITestUSDC
    function blocklist(address account) external onlyRole(BLOCKLISTER_ROLE) {
        _accounts[account] |= BLOCKLISTED_FLAG;
        emit Blocklisted(account);
    }

    /// @inheritdoc ITestUSDC
    function unblocklist(address account) external onlyRole(BLOCKLISTER_ROLE) {
        _accounts[account] &= BALANCE_MASK;
        emit Unblocklisted(account);
    }

    /// @inheritdoc ITestUSDC
    function isBlocklisted(address account) external view returns (bool) {
        return _accounts[account] & BLOCKLISTED_FLAG != 0;
    }

    /// @inheritdoc ITestUSDC
    function setFiatTokenRevertStrings(bool enabled) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _fiatTokenRevertStrings = enabled;
        emit FiatTokenRevertStringsSet(enabled);
    }

    /// @inheritdoc ITestUSDC
    function fiatTokenRevertStrings() external view returns (bool) {
        return _fiatTokenRevertStrings;
    }

    // ------------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------------

    /// @dev Pausable's check, with FiatToken's revert string when that style is on.
    function _requireNotPaused() internal view override {
        if (paused()) {
            _revertWithStringIfEnabled("Pausable: paused");
            revert EnforcedPause();
        }
    }

    /// @dev Moves `value` from `from` to `to`. Blocklist checks are the callers' (as FiatToken's modifiers).
    function _transfer(address from, address to, uint256 value) private {
        if (from == address(0)) {
            _revertWithStringIfEnabled("ERC20: transfer from the zero address");
            revert ERC20InvalidSender(address(0));
        }
        if (to == address(0)) {
            _revertWithStringIfEnabled("ERC20: transfer to the zero address");
            revert ERC20InvalidReceiver(address(0));
        }
        uint256 fromAccount = _accounts[from];
        uint256 fromBalance = fromAccount & BALANCE_MASK;
        if (value > fromBalance) {
            _revertWithStringIfEnabled("ERC20: transfer amount exceeds balance");
            revert ERC20InsufficientBalance(from, fromBalance, value);
        }
        unchecked {
            // value <= fromBalance: the subtraction stays within the balance bits and keeps the blocklist bit.
            _accounts[from] = fromAccount - value;
            // The balances sum to totalSupply <= BALANCE_MASK and `value` just left another balance (or this
            // one, when from == to), so the new balance is at most BALANCE_MASK: no carry into the flag bit.
            _accounts[to] += value;
        }
        emit Transfer(from, to, value);
    }

    /// @dev Creates `amount` tokens for `to`, keeping the total supply within BALANCE_MASK.
    function _mint(address to, uint256 amount) private {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        uint256 supply = _totalSupply;
        if (amount > BALANCE_MASK - supply) revert TestUSDCSupplyCapExceeded(supply, amount);
        unchecked {
            // supply + amount <= BALANCE_MASK was checked above, and balance(to) <= supply, so neither the
            // supply nor the balance reaches the blocklist bit.
            _totalSupply = supply + amount;
            _accounts[to] += amount;
        }
        emit Transfer(address(0), to, amount);
    }

    /// @dev Sets `owner`'s allowance for `spender` (FiatToken `_approve`).
    function _approve(address owner, address spender, uint256 value) private {
        if (owner == address(0)) {
            _revertWithStringIfEnabled("ERC20: approve from the zero address");
            revert ERC20InvalidApprover(address(0));
        }
        if (spender == address(0)) {
            _revertWithStringIfEnabled("ERC20: approve to the zero address");
            revert ERC20InvalidSpender(address(0));
        }
        _allowances[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    /// @dev Checks the deadline, consumes `owner`'s permit nonce and returns the permit digest.
    function _usePermit(address owner, address spender, uint256 value, uint256 deadline) private returns (bytes32) {
        // `deadline == type(uint256).max` never expires: no timestamp exceeds it.
        if (block.timestamp > deadline) {
            _revertWithStringIfEnabled("FiatTokenV2: permit is expired");
            revert ERC2612ExpiredSignature(deadline);
        }
        return
            _hashTypedDataV4(keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline)));
    }

    /// @dev Reverts if `msg.sender` is not the payee of a receive authorization.
    function _requireCallerIsPayee(address to) private view {
        if (to != msg.sender) {
            _revertWithStringIfEnabled("FiatTokenV2: caller must be the payee");
            revert ERC3009CallerMustBePayee(msg.sender, to);
        }
    }

    /// @dev Time window (strict on both ends) and nonce checks of a transfer or receive authorization.
    function _requireUsableAuthorization(
        address authorizer,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) private view {
        if (block.timestamp <= validAfter) {
            _revertWithStringIfEnabled("FiatTokenV2: authorization is not yet valid");
            revert ERC3009AuthorizationNotYetValid(validAfter, block.timestamp);
        }
        if (block.timestamp >= validBefore) {
            _revertWithStringIfEnabled("FiatTokenV2: authorization is expired");
            revert ERC3009AuthorizationExpired(validBefore, block.timestamp);
        }
        _requireUnusedAuthorization(authorizer, nonce);
    }

    /// @dev Reverts if `authorizer` already used or canceled `nonce`.
    function _requireUnusedAuthorization(address authorizer, bytes32 nonce) private view {
        if (_authorizationStates[authorizer][nonce]) {
            _revertWithStringIfEnabled("FiatTokenV2: authorization is used or canceled");
            revert ERC3009AuthorizationUsedOrCanceled(authorizer, nonce);
        }
    }

    /// @dev Spends the nonce, logs `AuthorizationUsed`, then moves the tokens (which logs `Transfer`).
    function _useAuthorization(address from, address to, uint256 value, bytes32 nonce) private {
        _authorizationStates[from][nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    /// @dev Spends the nonce without moving tokens.
    function _cancelAuthorization(address authorizer, bytes32 nonce) private {
        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @dev EIP-712 digest of a transfer or receive authorization.
    function _authorizationDigest(
        bytes32 typeHash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(typeHash, from, to, value, validAfter, validBefore, nonce)));
    }

    /// @dev EIP-712 digest of a cancel authorization.
    function _cancelDigest(address authorizer, bytes32 nonce) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
    }

    /**
     * @dev Checks a `(v, r, s)` signature of `digest` by `account` with FiatToken v2.2's rule: ECDSA when
     * `account` has no code, otherwise ERC-1271 over `abi.encodePacked(r, s, v)`. Malformed ECDSA signatures
     * revert here; otherwise returns the ECDSA signer (zero for contracts or a failed recovery) and validity.
     */
    function _verify(
        address account,
        bytes32 digest,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private view returns (address signer, bool valid) {
        if (account.code.length == 0) {
            signer = _recover(digest, v, r, s);
            valid = signer != address(0) && signer == account;
        } else {
            valid = SignatureChecker.isValidERC1271SignatureNow(account, digest, abi.encodePacked(r, s, v));
        }
    }

    /// @dev `bytes` variant of {_verify}: ECDSA signatures must be 65 bytes `r ‖ s ‖ v`; contract accounts
    /// receive the signature unchanged.
    function _verify(
        address account,
        bytes32 digest,
        bytes calldata signature
    ) private view returns (address signer, bool valid) {
        if (account.code.length == 0) {
            if (signature.length != 65) {
                _revertWithStringIfEnabled("ECRecover: invalid signature length");
                revert ERC3009InvalidSignatureLength(signature.length);
            }
            bytes32 r;
            bytes32 s;
            uint8 v;
            assembly ("memory-safe") {
                r := calldataload(signature.offset) // bytes 0..31
                s := calldataload(add(signature.offset, 0x20)) // bytes 32..63
                v := byte(0, calldataload(add(signature.offset, 0x40))) // byte 64
            }
            signer = _recover(digest, v, r, s);
            valid = signer != address(0) && signer == account;
        } else {
            valid = SignatureChecker.isValidERC1271SignatureNowCalldata(account, digest, signature);
        }
    }

    /// @dev ECDSA recovery with FiatToken's ECRecover checks: `s` in the lower half order, `v` in {27, 28}.
    /// Returns `address(0)` when the precompile finds no signer.
    function _recover(bytes32 digest, uint8 v, bytes32 r, bytes32 s) private view returns (address signer) {
        if (uint256(s) > HALF_CURVE_ORDER) {
            _revertWithStringIfEnabled("ECRecover: invalid signature 's' value");
            revert ERC3009InvalidSignatureS(s);
        }
        if (v != 27 && v != 28) {
            _revertWithStringIfEnabled("ECRecover: invalid signature 'v' value");
            revert ERC3009InvalidSignatureV(v);
        }
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) _revertWithStringIfEnabled("ECRecover: invalid signature");
    }

    /// @dev Reverts with {TestUSDCBlocklisted} if `account` is blocklisted.
    function _requireNotBlocklisted(address account) private view {
        if (_accounts[account] & BLOCKLISTED_FLAG != 0) {
            _revertWithStringIfEnabled("Blacklistable: account is blacklisted");
            revert TestUSDCBlocklisted(account);
        }
    }

    /// @dev Reverts for an EIP-3009 signature that does not come from `authorizer`.
    function _revertInvalidAuthorizationSigner(address signer, address authorizer) private view {
        _revertWithStringIfEnabled("FiatTokenV2: invalid signature");
        revert ERC3009InvalidSignature(signer, authorizer);
    }

    /// @dev Reverts for an EIP-2612 signature that does not come from `owner`.
    function _revertInvalidPermitSigner(address signer, address owner) private view {
        _revertWithStringIfEnabled("EIP2612: invalid signature");
        revert ERC2612InvalidSigner(signer, owner);
    }

    /// @dev In FiatToken revert-string mode, reverts with `reason`; otherwise returns, and the caller
    /// reverts with its custom error. Only failing paths call this, so successful calls never read the flag.
    function _revertWithStringIfEnabled(string memory reason) private view {
        // solhint-disable-next-line gas-custom-errors
        if (_fiatTokenRevertStrings) revert(reason);
    }
}
