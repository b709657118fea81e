// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IIdentityRegistry
 * @notice The ERC-8004 ("Trustless Agents") Identity Registry: an ERC-721 (with URI storage) whose tokens are
 * agents. The token id is the `agentId`, the token URI is the `agentURI` (it resolves to the agent's
 * registration file), and the token owner owns the agent. Operators (ERC-721 `approve` /
 * `setApprovalForAll`) may manage it.
 *
 * Spec: https://eips.ethereum.org/EIPS/eip-8004 (text of 2026-01-25). Everything below except the errors,
 * {isAuthorizedOrOwner} and {getVersion} is the ERC's interface; those three match the canonical deployments
 * (erc-8004/erc-8004-contracts v2.0.0), so tools written for them work here too.
 *
 * An agent is globally identified by `{namespace}:{chainId}:{identityRegistry}` (e.g. `eip155:1:0x8004…`) plus
 * its `agentId`. Ids are assigned incrementally from 0: agent 0 is a valid agent, never a sentinel.
 */
interface IIdentityRegistry {
    /// @notice An extra on-chain metadata entry passed to {register}.
    struct MetadataEntry {
        string metadataKey;
        bytes metadataValue;
    }

    /**
     * @notice A new agent was minted to `owner`. Emitted by every {register} overload, together with one ERC-721
     * `Transfer`, one {MetadataSet} for the reserved `agentWallet` key and one {MetadataSet} per extra entry.
     */
    event Registered(uint256 indexed agentId, string agentURI, address indexed owner);

    /**
     * @notice On-chain metadata `metadataKey` of `agentId` was set to `metadataValue`. `indexedMetadataKey` is
     * the same key as an indexed topic, i.e. `keccak256(bytes(metadataKey))`. For the reserved `agentWallet`
     * key the value is the 20-byte packed wallet address, or empty when the wallet was cleared.
     */
    event MetadataSet(
        uint256 indexed agentId,
        string indexed indexedMetadataKey,
        string metadataKey,
        bytes metadataValue
    );

    /// @notice The `agentURI` of `agentId` was changed to `newURI` by `updatedBy`.
    event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy);

    /// @notice `caller` is neither the owner nor an approved operator of `agentId`.
    error IdentityRegistryUnauthorized(uint256 agentId, address caller);

    /// @notice `metadataKey` is reserved (`agentWallet`) and cannot be set as ordinary metadata.
    error IdentityRegistryReservedMetadataKey(string metadataKey);

    /// @notice `wallet` cannot be an agent wallet (the zero address).
    error IdentityRegistryInvalidWallet(address wallet);

    /// @notice The wallet signature expired: `deadline` is before the current block time `currentTime`.
    error IdentityRegistryExpiredSignature(uint256 deadline, uint256 currentTime);

    /// @notice `deadline` is later than `maxDeadline` (the current block time plus five minutes).
    error IdentityRegistryDeadlineTooFar(uint256 deadline, uint256 maxDeadline);

    /// @notice `signature` is not a valid `AgentWalletSet` signature by `wallet` (ECDSA or ERC-1271) for `agentId`.
    error IdentityRegistryInvalidWalletSignature(uint256 agentId, address wallet);

    /**
     * @notice Mints a new agent to the caller with `agentURI` and extra on-chain `metadata`.
     * @dev Requirements:
     * - No entry may use the reserved key `agentWallet` ("The key `agentWallet` is reserved and cannot be set via
     *   `setMetadata()` or during `register()` (including the metadata array overload)").
     * - A contract caller must accept the token (ERC-721 `onERC721Received`).
     *
     * Effects: the agent wallet starts as the caller ("initially set to the owner's address"). Emits `Transfer`,
     * ERC-4906 `MetadataUpdate` when `agentURI` is not empty (as the canonical registries' `_setTokenURI`),
     * {Registered}, {MetadataSet} for `agentWallet`, then one {MetadataSet} per entry.
     * @param agentURI The URI of the agent registration file (may be empty and set later with {setAgentURI}).
     * @param metadata Extra on-chain metadata entries.
     * @return agentId The new agent's id (the ERC-721 token id), assigned incrementally from 0.
     */
    function register(string calldata agentURI, MetadataEntry[] calldata metadata) external returns (uint256 agentId);

    /**
     * @notice Mints a new agent to the caller with `agentURI`.
     * @dev Same effects as the metadata overload with no entries.
     * @param agentURI The URI of the agent registration file.
     * @return agentId The new agent's id.
     */
    function register(string calldata agentURI) external returns (uint256 agentId);

    /**
     * @notice Mints a new agent to the caller with an empty `agentURI` ("agentURI is added later with
     * setAgentURI()").
     * @return agentId The new agent's id.
     */
    function register() external returns (uint256 agentId);

    /**
     * @notice Changes the `agentURI` (the ERC-721 `tokenURI`) of `agentId`.
     * @dev Requirements: the caller is the owner or an approved operator of `agentId`. Emits {URIUpdated} and
     * ERC-4906 `MetadataUpdate`.
     * @param agentId The agent.
     * @param newURI The new registration-file URI.
     */
    function setAgentURI(uint256 agentId, string calldata newURI) external;

    /**
     * @notice Reads the on-chain metadata `metadataKey` of `agentId` (empty if never set). For `agentWallet` it
     * returns the 20-byte packed wallet address, or empty once the wallet was cleared.
     * @dev An agent that does not exist has no metadata: every key reads empty (as in the canonical registries).
     * @param agentId The agent.
     * @param metadataKey The key.
     * @return The stored value.
     */
    function getMetadata(uint256 agentId, string calldata metadataKey) external view returns (bytes memory);

    /**
     * @notice Sets the on-chain metadata `metadataKey` of `agentId` to `metadataValue`.
     * @dev Requirements: the caller is the owner or an approved operator of `agentId`; `metadataKey` is not
     * `agentWallet`. Emits {MetadataSet}.
     * @param agentId The agent.
     * @param metadataKey The key.
     * @param metadataValue The value.
     */
    function setMetadata(uint256 agentId, string calldata metadataKey, bytes calldata metadataValue) external;

    /**
     * @notice Sets the agent wallet (the address where the agent receives payments) to `newWallet`, which proves
     * control by signing the EIP-712 message
     * `AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)` (domain name
     * `ERC8004IdentityRegistry`, version `1`, this chain, this registry).
     * @dev Requirements:
     * - the caller is the owner or an approved operator of `agentId`; `owner` in the message is the agent's owner;
     * - `newWallet` is not the zero address;
     * - `block.timestamp <= deadline <= block.timestamp + 5 minutes`;
     * - `signature` is a valid ECDSA signature by `newWallet` or, failing that, `newWallet` accepts it through
     *   ERC-1271 ("the agent owner must prove control of the new wallet by providing a valid EIP-712 signature for
     *   EOAs or ERC-1271 for smart contract wallets").
     *
     * Emits {MetadataSet} for `agentWallet` with the packed address.
     * @param agentId The agent.
     * @param newWallet The new agent wallet.
     * @param deadline Last second (unix time) at which the signature is accepted.
     * @param signature The wallet's signature: a 65-byte ECDSA signature (`r ‖ s ‖ v`, as the canonical registries
     * accept; ERC-2098 64-byte signatures are refused), or whatever the wallet's ERC-1271 check accepts.
     */
    function setAgentWallet(uint256 agentId, address newWallet, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice The agent wallet of `agentId`: the owner at registration, a verified wallet after {setAgentWallet},
     * and the zero address after {unsetAgentWallet} or a transfer ("When the agent is transferred, `agentWallet` is
     * automatically cleared (effectively resetting it to the zero address) and must be re-verified by the new
     * owner").
     * @dev An agent that does not exist has the zero address (as in the canonical registries).
     * @param agentId The agent.
     * @return The agent wallet.
     */
    function getAgentWallet(uint256 agentId) external view returns (address);

    /**
     * @notice Clears the agent wallet of `agentId` (it reads as the zero address until set again).
     * @dev Requirements: the caller is the owner or an approved operator of `agentId`. Emits {MetadataSet} for
     * `agentWallet` with an empty value.
     * @param agentId The agent.
     */
    function unsetAgentWallet(uint256 agentId) external;

    /**
     * @notice Whether `spender` is the owner, an operator for all of the owner's tokens, or the approved address
     * of `agentId`. Not in the ERC text; the canonical registries expose it for the other registries.
     * @dev Requirements: `agentId` exists (reverts `ERC721NonexistentToken(agentId)` otherwise).
     * @param spender The account to check.
     * @param agentId The agent.
     * @return Whether `spender` may manage `agentId`.
     */
    function isAuthorizedOrOwner(address spender, uint256 agentId) external view returns (bool);

    /// @notice The implementation's version string (`2.0.0` is the canonical registries' version).
    function getVersion() external pure returns (string memory);
}
