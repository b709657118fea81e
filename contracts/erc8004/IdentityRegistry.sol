// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {CompactBytes} from "./utils/CompactBytes.sol";

/**
 * @title IdentityRegistry
 * @notice ERC-8004 Identity Registry (https://eips.ethereum.org/EIPS/eip-8004): agents are ERC-721 tokens
 * ("AgentIdentity", "AGENT") whose token URI is the agent's registration file, with on-chain metadata and a
 * verified payment wallet. ABI-compatible with the canonical registries (erc-8004/erc-8004-contracts v2.0.0),
 * including the EIP-712 domain (`ERC8004IdentityRegistry`, `1`) and message type of `setAgentWallet`, so wallet
 * signatures made for them verify here.
 *
 * Deployed behind an ERC-1967 proxy (UUPS): upgrades are gated by the owner. Ownership is `Ownable2Step`:
 * {transferOwnership} only records a pending owner, who becomes the owner by calling {acceptOwnership}
 * (the canonical registries use one-step `Ownable`).
 *
 * NOTE: Cheaper than the canonical registry by storing less, with the same observable behaviour:
 * - The agent wallet is not written at registration. Until a transfer, {unsetAgentWallet} or {setAgentWallet}
 *   touches it, it reads as the owner, who is still the minter (every transfer clears it).
 * - The agent URI and metadata values use {CompactBytes}: a 66-byte URI takes 3 slots instead of 4.
 * - A metadata value of exactly 32 bytes that are not all zero (a hash, an id, an ABI-encoded word) takes one slot of
 *   its own instead of two: a word slot, read when the value's {CompactBytes} head is empty (see {_setMetadata}).
 * The price is one storage write when an agent whose wallet was never touched is first transferred, unset or set,
 * and one storage read when {setMetadata} writes a word (to empty the record) or an empty value (to clear the word).
 *
 * NOTE: ERC-4906 `MetadataUpdate` is emitted where the canonical registries' `_setTokenURI` emits it: by
 * {setAgentURI}, and at registration when the URI is not empty (right after the mint's `Transfer`, before
 * {Registered}). `register()` and `register("")` write no URI and emit none.
 *
 * NOTE: As in the canonical registries, the `AgentWalletSet` message has no nonce: it binds the agent, the wallet,
 * the current owner and a deadline at most five minutes ahead, so within that window the same signature can set the
 * same wallet again (for example after {unsetAgentWallet}), and nothing else.
 *
 * NOTE: Storage is ERC-7201 namespaced (`x402kit.erc8004.identity`) and laid out differently from the canonical
 * implementation, so this is not an upgrade target for proxies that ran it.
 */
contract IdentityRegistry is
    Initializable,
    ERC721Upgradeable,
    EIP712Upgradeable,
    Ownable2StepUpgradeable,
    UUPSUpgradeable,
    IERC4906,
    IIdentityRegistry
{
    using CompactBytes for CompactBytes.Stored;

    /// @dev The agent wallet record. `wallet == 0 && !cleared` means "the owner" (never touched since the mint).
    struct AgentWallet {
        address wallet;
        bool cleared;
    }

    /// @custom:storage-location erc7201:x402kit.erc8004.identity
    struct IdentityRegistryStorage {
        uint256 nextAgentId;
        mapping(uint256 agentId => CompactBytes.Stored agentURI) agentURIs;
        mapping(uint256 agentId => mapping(string metadataKey => CompactBytes.Stored metadataValue)) metadata;
        mapping(uint256 agentId => AgentWallet agentWallet) agentWallets;
        // A 32-byte non-zero value, valid while `metadata` of the same key is empty (appended: upgrade-safe).
        mapping(uint256 agentId => mapping(string metadataKey => bytes32 word)) metadataWords;
    }

    /// @notice EIP-712 type hash of the message a new agent wallet signs (the canonical registries' type).
    bytes32 public constant AGENT_WALLET_SET_TYPEHASH = keccak256(
        "AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)"
    );

    /// @notice How far in the future an agent wallet signature's deadline may be.
    uint256 public constant MAX_DEADLINE_DELAY = 5 minutes;

    string private constant _AGENT_WALLET_KEY = "agentWallet";
    bytes32 private constant _AGENT_WALLET_KEY_HASH = keccak256("agentWallet");
    bytes4 private constant _ERC4906_INTERFACE_ID = 0x49064906;

    // keccak256(abi.encode(uint256(keccak256("x402kit.erc8004.identity")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_LOCATION = 0x8e0e3784cbe6a9e06af714801c374a24fa6e0a0ae008a47ddab291e3c7994d00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initializes the proxy with the caller as owner (the canonical registries' `initialize()`).
     * @dev When the proxy is created through a CREATE2 factory the caller is the factory: use
     * {initialize-address} there.
     */
    function initialize() external initializer {
        _initializeRegistry(msg.sender);
    }

    /**
     * @notice Initializes the proxy with `initialOwner` as owner (the account that may upgrade it).
     * @param initialOwner The owner.
     */
    function initialize(address initialOwner) external initializer {
        _initializeRegistry(initialOwner);
    }

    /// @inheritdoc IIdentityRegistry
    function register(string calldata agentURI, MetadataEntry[] calldata metadata) external returns (uint256 agentId) {
        agentId = _mintAgent(bytes(agentURI));
        for (uint256 i = 0; i < metadata.length; ++i) {
            MetadataEntry calldata entry = metadata[i];
            _checkNotReserved(entry.metadataKey);
            // A new agent has no metadata yet, except what earlier entries of this list wrote.
            _setMetadata(agentId, entry.metadataKey, entry.metadataValue, i == 0);
            emit MetadataSet(agentId, entry.metadataKey, entry.metadataKey, entry.metadataValue);
        }
        _checkReceiver(agentId);
    }

    /// @inheritdoc IIdentityRegistry
    function register(string calldata agentURI) external returns (uint256 agentId) {
        agentId = _mintAgent(bytes(agentURI));
        _checkReceiver(agentId);
    }

    /// @inheritdoc IIdentityRegistry
    function register() external returns (uint256 agentId) {
        agentId = _mintAgent(msg.data[0:0]);
        _checkReceiver(agentId);
    }

    /// @inheritdoc IIdentityRegistry
    function setAgentURI(uint256 agentId, string calldata newURI) external {
        _checkAuthorized(agentId);
        _getStorage().agentURIs[agentId].set(bytes(newURI));
        emit URIUpdated(agentId, newURI, msg.sender);
        emit MetadataUpdate(agentId);
    }

    /// @inheritdoc IIdentityRegistry
    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external {
        _checkAuthorized(agentId);
        _checkNotReserved(metadataKey);
        _setMetadata(agentId, metadataKey, metadataValue, false);
        emit MetadataSet(agentId, metadataKey, metadataKey, metadataValue);
    }

    /// @inheritdoc IIdentityRegistry
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external {
        address owner = _checkAuthorized(agentId);
        if (newWallet == address(0)) revert IdentityRegistryInvalidWallet(newWallet);
        if (block.timestamp > deadline) revert IdentityRegistryExpiredSignature(deadline, block.timestamp);
        uint256 maxDeadline = block.timestamp + MAX_DEADLINE_DELAY;
        if (deadline > maxDeadline) revert IdentityRegistryDeadlineTooFar(deadline, maxDeadline);

        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, owner, deadline))
        );
        if (!_isValidWalletSignature(newWallet, digest, signature)) {
            revert IdentityRegistryInvalidWalletSignature(agentId, newWallet);
        }

        _getStorage().agentWallets[agentId] = AgentWallet({wallet: newWallet, cleared: false});
        emit MetadataSet(agentId, _AGENT_WALLET_KEY, _AGENT_WALLET_KEY, abi.encodePacked(newWallet));
    }

    /// @inheritdoc IIdentityRegistry
    function unsetAgentWallet(uint256 agentId) external {
        _checkAuthorized(agentId);
        _clearAgentWallet(agentId);
    }

    /// @inheritdoc IIdentityRegistry
    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory) {
        if (keccak256(bytes(metadataKey)) == _AGENT_WALLET_KEY_HASH) {
            address wallet = _agentWallet(agentId, _ownerOf(agentId));
            return wallet == address(0) ? bytes("") : abi.encodePacked(wallet);
        }
        IdentityRegistryStorage storage $ = _getStorage();
        CompactBytes.Stored storage stored = $.metadata[agentId][metadataKey];
        if (stored.length() != 0) return stored.get();
        bytes32 word = $.metadataWords[agentId][metadataKey];
        return word == bytes32(0) ? bytes("") : abi.encodePacked(word);
    }

    /// @inheritdoc IIdentityRegistry
    function getAgentWallet(uint256 agentId) external view returns (address) {
        return _agentWallet(agentId, _ownerOf(agentId));
    }

    /// @inheritdoc IIdentityRegistry
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool) {
        return _isAuthorized(_requireOwned(agentId), spender, agentId);
    }

    /// @inheritdoc IIdentityRegistry
    function getVersion() external pure returns (string memory) {
        return "2.0.0+x402kit";
    }

    /**
     * @notice The agent URI of `tokenId` (empty until set).
     * @dev Requirements: the token exists.
     */
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return string(_getStorage().agentURIs[tokenId].get());
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC721Upgradeable, IERC165) returns (bool) {
        return interfaceId == _ERC4906_INTERFACE_ID || super.supportsInterface(interfaceId);
    }

    /// @dev Clears the agent wallet on every transfer (not on mint): the new owner must verify one again.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0) && to != address(0)) {
            _clearAgentWallet(tokenId);
        }
    }

    /// @dev Upgrades are the owner's decision.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _initializeRegistry(address initialOwner) private {
        __ERC721_init("AgentIdentity", "AGENT");
        __EIP712_init("ERC8004IdentityRegistry", "1");
        __Ownable_init(initialOwner);
    }

    /// @dev Mints the next agent to the caller with `agentURI` and emits `MetadataUpdate` (non-empty URI only),
    /// `Registered` and the wallet's `MetadataSet`.
    /// The ERC-721 receiver check is left to the caller, to run after every write.
    function _mintAgent(bytes calldata agentURI) private returns (uint256 agentId) {
        IdentityRegistryStorage storage $ = _getStorage();
        agentId = $.nextAgentId++;
        _mint(msg.sender, agentId);
        // A new agent's URI slot is empty: only a non-empty URI needs a write (and announces it, as ERC-4906's
        // `_setTokenURI` does in the canonical registries).
        if (agentURI.length != 0) {
            $.agentURIs[agentId].set(agentURI);
            emit MetadataUpdate(agentId);
        }
        emit Registered(agentId, string(agentURI), msg.sender);
        emit MetadataSet(agentId, _AGENT_WALLET_KEY, _AGENT_WALLET_KEY, abi.encodePacked(msg.sender));
    }

    /**
     * @dev Stores `value` as metadata `metadataKey` of `agentId`. Two places hold a value: its {CompactBytes} record
     * (any value), which wins when not empty, and its word slot (only a 32-byte value not all zero, the common
     * hash/id/ABI-word case, in one slot instead of two). So a word is written to its slot alone, with the record
     * emptied if it held something; any other value goes to the record, with the word slot cleared only for an empty
     * value (a non-empty record shadows a stale word). `fresh` says neither place was ever written (a new agent's
     * first entry: agents are never burnt, so nothing was written for their id before the mint), skipping the checks.
     */
    function _setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata value, bool fresh) private {
        IdentityRegistryStorage storage $ = _getStorage();
        CompactBytes.Stored storage stored = $.metadata[agentId][metadataKey];
        if (value.length == 32 && bytes32(value) != bytes32(0)) {
            $.metadataWords[agentId][metadataKey] = bytes32(value);
            if (!fresh && stored.length() != 0) stored.clear();
            return;
        }
        stored.set(value);
        if (value.length == 0 && !fresh && $.metadataWords[agentId][metadataKey] != bytes32(0)) {
            delete $.metadataWords[agentId][metadataKey];
        }
    }

    /// @dev ERC-721 safe-mint acceptance check, run last so a receiver hook sees a fully registered agent.
    function _checkReceiver(uint256 agentId) private {
        ERC721Utils.checkOnERC721Received(msg.sender, address(0), msg.sender, agentId, "");
    }

    function _clearAgentWallet(uint256 agentId) private {
        _getStorage().agentWallets[agentId] = AgentWallet({wallet: address(0), cleared: true});
        emit MetadataSet(agentId, _AGENT_WALLET_KEY, _AGENT_WALLET_KEY, "");
    }

    /// @dev Reverts unless the caller is the owner or an approved operator of `agentId`; returns the owner.
    function _checkAuthorized(uint256 agentId) private view returns (address owner) {
        owner = _requireOwned(agentId);
        if (!_isAuthorized(owner, msg.sender, agentId)) revert IdentityRegistryUnauthorized(agentId, msg.sender);
    }

    /// @dev The agent wallet of `agentId`, whose owner is `owner` (zero for an agent that does not exist, whose
    /// record is never written: then the zero address, as the canonical registries' empty metadata reads).
    function _agentWallet(uint256 agentId, address owner) private view returns (address) {
        AgentWallet memory record = _getStorage().agentWallets[agentId];
        // Never touched since the mint means never transferred: the owner is the minter, the initial wallet.
        if (record.wallet == address(0) && !record.cleared) return owner;
        return record.wallet;
    }

    /// @dev ECDSA first (EOAs, including EIP-7702 delegated ones), then ERC-1271, as the canonical registries do.
    function _isValidWalletSignature(
        address wallet,
        bytes32 digest,
        bytes calldata signature
    ) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == wallet) return true;
        return SignatureChecker.isValidERC1271SignatureNowCalldata(wallet, digest, signature);
    }

    function _checkNotReserved(string calldata metadataKey) private pure {
        if (keccak256(bytes(metadataKey)) == _AGENT_WALLET_KEY_HASH) {
            revert IdentityRegistryReservedMetadataKey(metadataKey);
        }
    }

    function _getStorage() private pure returns (IdentityRegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := _STORAGE_LOCATION
        }
    }
}
