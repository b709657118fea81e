// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IReputationRegistry
 * @notice The ERC-8004 ("Trustless Agents") Reputation Registry: clients post feedback about agents of an
 * Identity Registry as a signed fixed-point `value` with `valueDecimals` (0-18), two optional tags, an optional
 * endpoint, and an optional off-chain file (`feedbackURI` + `feedbackHash`). Value, decimals, tags and the revoked
 * flag are stored; endpoint, URI and hash are only emitted.
 *
 * Spec: https://eips.ethereum.org/EIPS/eip-8004 (text of 2026-01-25). The errors, {getVersion} and the paginated
 * reads ({getClientCount}, {getClientsPaginated}, {readClientFeedbackPaginated}, {getSummaryPaginated} with
 * {summarizeTotals}, {getResponseCountPaginated}) are additions; every function and event of the canonical
 * deployments (erc-8004/erc-8004-contracts v2.0.0) exists here with the same signature.
 *
 * The spec's reads loop over everything they cover, so an agent with many clients (or a client with many
 * feedbacks) can push them past an `eth_call` gas cap. Their paginated forms split that work over calls.
 *
 * Feedback indexes are 1-based and counted per (agentId, clientAddress).
 */
interface IReputationRegistry {
    /// @notice A stored feedback, as returned by {readClientFeedbackPaginated}.
    struct Feedback {
        int128 value;
        uint8 valueDecimals;
        string tag1;
        string tag2;
        bool isRevoked;
    }

    /**
     * @notice The running totals behind {getSummary}, as {getSummaryPaginated} returns them for one page. Totals
     * of disjoint pages add up field by field, and {summarizeTotals} of the sum is {getSummary}'s result.
     */
    struct SummaryTotals {
        uint256 count; // matching entries
        int256 valueSum; // the sum of their values, each scaled to 18 decimals first
        uint256[19] decimalCounts; // decimalCounts[d]: entries with valueDecimals == d; they add up to count
    }

    /**
     * @notice `clientAddress` gave its `feedbackIndex`-th feedback to `agentId`. `indexedTag1` is `tag1` as an
     * indexed topic, i.e. `keccak256(bytes(tag1))`.
     */
    event NewFeedback(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        int128 value,
        uint8 valueDecimals,
        string indexed indexedTag1,
        string tag1,
        string tag2,
        string endpoint,
        string feedbackURI,
        bytes32 feedbackHash
    );

    /// @notice `clientAddress` revoked its feedback `feedbackIndex` to `agentId`.
    event FeedbackRevoked(uint256 indexed agentId, address indexed clientAddress, uint64 indexed feedbackIndex);

    /// @notice `responder` appended a response to feedback `feedbackIndex` of `clientAddress` to `agentId`.
    event ResponseAppended(
        uint256 indexed agentId,
        address indexed clientAddress,
        uint64 feedbackIndex,
        address indexed responder,
        string responseURI,
        bytes32 responseHash
    );

    /// @notice `identityRegistry` is not a contract.
    error ReputationRegistryInvalidIdentityRegistry(address identityRegistry);

    /// @notice `agentId` is not registered in the Identity Registry.
    error ReputationRegistryNonexistentAgent(uint256 agentId);

    /// @notice `caller` is the owner or an approved operator of `agentId`, so it may not rate it.
    error ReputationRegistrySelfFeedback(uint256 agentId, address caller);

    /// @notice `valueDecimals` is above 18.
    error ReputationRegistryInvalidValueDecimals(uint8 valueDecimals);

    /// @notice `|value|` is above 1e38.
    error ReputationRegistryValueOutOfRange(int128 value);

    /// @notice A `tag1` of `length` bytes is longer than the 65,535 bytes this registry stores.
    error ReputationRegistryTagTooLong(uint256 length);

    /// @notice `clientAddress` already gave `2**32 - 1` feedbacks to `agentId`.
    error ReputationRegistryFeedbackLimitReached(uint256 agentId, address clientAddress);

    /// @notice `clientAddress` has no feedback `feedbackIndex` for `agentId` (indexes start at 1).
    error ReputationRegistryNonexistentFeedback(uint256 agentId, address clientAddress, uint64 feedbackIndex);

    /// @notice Feedback `feedbackIndex` of `clientAddress` to `agentId` is already revoked.
    error ReputationRegistryFeedbackAlreadyRevoked(uint256 agentId, address clientAddress, uint64 feedbackIndex);

    /// @notice A response to feedback `feedbackIndex` of `clientAddress` to `agentId` needs a non-empty URI.
    error ReputationRegistryEmptyResponseURI(uint256 agentId, address clientAddress, uint64 feedbackIndex);

    /// @notice {getSummary} or {getSummaryPaginated} for `agentId` was called without client addresses.
    error ReputationRegistryClientAddressesRequired(uint256 agentId);

    /// @notice {summarizeTotals} was given totals of `count` entries whose `decimalCounts` add up to
    /// `decimalCountsSum` instead (totals of pages must be added field by field).
    error ReputationRegistryInconsistentTotals(uint256 count, uint256 decimalCountsSum);

    /// @notice {summarizeTotals} was given totals of `count` entries, more than the `uint64` {getSummary} returns.
    error ReputationRegistryTotalsCountOverflow(uint256 count);

    /**
     * @notice Binds this registry to `identityRegistry_` ("When the Reputation Registry is deployed, the
     * identityRegistry address is set via `initialize(address identityRegistry_)`"); the owner (who may upgrade)
     * is the caller.
     * @param identityRegistry_ The ERC-8004 Identity Registry whose agents are rated.
     */
    function initialize(address identityRegistry_) external;

    /// @notice The Identity Registry whose agents this registry rates.
    function getIdentityRegistry() external view returns (address identityRegistry);

    /**
     * @notice Gives feedback to `agentId` from the caller.
     * @dev Requirements:
     * - "The agentId must be a validly registered agent."
     * - "The valueDecimals MUST be between 0 and 18."
     * - "The feedback submitter MUST NOT be the agent owner or an approved operator for agentId."
     * - `|value| <= 1e38` (the bound of the canonical registries).
     * - "tag1, tag2, endpoint, feedbackURI, and feedbackHash are OPTIONAL."
     *
     * Effects: stores value, decimals, tags and the revoked flag (false) at the next 1-based index of
     * (agentId, caller), adds the caller to the agent's clients on its first feedback, and emits {NewFeedback}.
     * @param agentId The rated agent.
     * @param value The signed fixed-point value.
     * @param valueDecimals The number of decimals of `value` (0-18).
     * @param tag1 Optional tag (its meaning gives the value's meaning, e.g. `starred`, `uptime`).
     * @param tag2 Optional second tag.
     * @param endpoint Optional endpoint the feedback is about (emitted only).
     * @param feedbackURI Optional URI of an off-chain feedback file (emitted only).
     * @param feedbackHash Optional keccak256 of that file (emitted only; may be zero for content-addressed URIs).
     */
    function giveFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        string calldata tag1,
        string calldata tag2,
        string calldata endpoint,
        string calldata feedbackURI,
        bytes32 feedbackHash
    ) external;

    /**
     * @notice Revokes the caller's feedback `feedbackIndex` to `agentId` ("clientAddress can revoke feedback").
     * The data stays readable with `isRevoked = true`.
     * @dev Requirements: the caller gave that feedback and has not revoked it yet. Emits {FeedbackRevoked}.
     * @param agentId The agent.
     * @param feedbackIndex The 1-based index of the caller's feedback.
     */
    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external;

    /**
     * @notice Appends a response to a feedback. Anyone may respond ("e.g., the agentId showing a refund, any
     * off-chain data intelligence aggregator tagging feedback as spam"), any number of times, revoked feedback
     * included.
     * @dev Requirements: the feedback exists; `responseURI` is not empty. Emits {ResponseAppended}.
     * @param agentId The agent.
     * @param clientAddress The client that gave the feedback.
     * @param feedbackIndex The feedback's 1-based index.
     * @param responseURI URI of the response.
     * @param responseHash keccak256 of the response content (optional for content-addressed URIs).
     */
    function appendResponse(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        string calldata responseURI,
        bytes32 responseHash
    ) external;

    /**
     * @notice Aggregates the non-revoked feedback of `clientAddresses` to `agentId`, optionally filtered by exact
     * tags (an empty tag matches everything): `count` entries whose arithmetic mean is `summaryValue` at
     * `summaryValueDecimals` decimals, the most common `valueDecimals` among them (ties go to the fewest decimals).
     * Each value is first scaled to 18 decimals; divisions truncate toward zero. No match gives `(0, 0, 0)`. A mean
     * beyond `int128` (possible only when values of few decimals meet a mode of many) keeps its low 128 bits, as
     * the canonical registries' explicit conversion does, rather than reverting.
     * @dev Requirements: "clientAddresses MUST be provided (non-empty); results without filtering by
     * clientAddresses are subject to Sybil/spam attacks". A client listed twice counts twice. The work grows with
     * every listed client's feedback count: page it with {getSummaryPaginated} when that is large.
     * @param agentId The agent.
     * @param clientAddresses The trusted reviewers.
     * @param tag1 Exact tag1 filter, or empty.
     * @param tag2 Exact tag2 filter, or empty.
     * @return count Number of matching entries.
     * @return summaryValue Their mean at `summaryValueDecimals` decimals.
     * @return summaryValueDecimals The most common decimals among them.
     */
    function getSummary(
        uint256 agentId,
        address[] calldata clientAddresses,
        string calldata tag1,
        string calldata tag2
    ) external view returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals);

    /**
     * @notice A page of {getSummary}: the totals of the non-revoked feedback of `clientAddresses` to `agentId`
     * with feedback indexes `[fromIndex, fromIndex + limit)` (0 is read as 1; each client's range ends at its
     * last index), filtered by exact tags as {getSummary}. The work is bounded by `clientAddresses.length * limit`
     * entries.
     * @dev Requirements: `clientAddresses` is not empty (as {getSummary}).
     *
     * To page {getSummary}, split its client list into slices, and the index range of prolific clients into
     * windows (`getLastIndex` gives each client's end); any partition of (clients x indexes) works. Add the
     * pages' totals field by field (`count`, `valueSum`, each `decimalCounts[d]`), then {summarizeTotals} of the
     * sum returns exactly what {getSummary} over the whole list returns. (Means of pages cannot be combined: the
     * mean truncates and the reported decimals are the mode over all entries.)
     * @param agentId The agent.
     * @param clientAddresses The trusted reviewers of this page.
     * @param tag1 Exact tag1 filter, or empty.
     * @param tag2 Exact tag2 filter, or empty.
     * @param fromIndex First 1-based feedback index of each client (0 is read as 1).
     * @param limit Most feedback indexes per client.
     * @return totals The page's totals.
     */
    function getSummaryPaginated(
        uint256 agentId,
        address[] calldata clientAddresses,
        string calldata tag1,
        string calldata tag2,
        uint64 fromIndex,
        uint256 limit
    ) external view returns (SummaryTotals memory totals);

    /**
     * @notice {getSummary}'s result from totals: `(0, 0, 0)` without entries, else `count`, the mean of the values
     * (`valueSum / count`, truncated toward zero) at the most common decimals (ties go to the fewest), truncated.
     * @dev Requirements: `decimalCounts` add up to `count` ({ReputationRegistryInconsistentTotals}); `count` fits
     * a `uint64` ({ReputationRegistryTotalsCountOverflow}). A mean beyond `int128` keeps its low 128 bits, as
     * {getSummary} (and the canonical registries) return it.
     * @param totals The sum of pages of {getSummaryPaginated}.
     * @return count Number of matching entries.
     * @return summaryValue Their mean at `summaryValueDecimals` decimals.
     * @return summaryValueDecimals The most common decimals among them.
     */
    function summarizeTotals(
        SummaryTotals calldata totals
    ) external pure returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals);

    /**
     * @notice Reads one stored feedback.
     * @dev Requirements: the feedback exists.
     * @param agentId The agent.
     * @param clientAddress The client.
     * @param feedbackIndex The 1-based index.
     * @return value The value.
     * @return valueDecimals Its decimals.
     * @return tag1 The first tag.
     * @return tag2 The second tag.
     * @return isRevoked Whether the client revoked it.
     */
    function readFeedback(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex
    ) external view returns (int128 value, uint8 valueDecimals, string memory tag1, string memory tag2, bool isRevoked);

    /**
     * @notice Reads every feedback of `clientAddresses` (all of the agent's clients if empty) to `agentId` that
     * matches the tag filters, omitting revoked entries unless `includeRevoked` ("Revoked feedback are omitted by
     * default"). Unbounded when `clientAddresses` is empty: use {getClientsPaginated} pages for large agents.
     * @param agentId The agent.
     * @param clientAddresses Clients to read, or empty for all.
     * @param tag1 Exact tag1 filter, or empty.
     * @param tag2 Exact tag2 filter, or empty.
     * @param includeRevoked Whether to include revoked entries.
     * @return clients Client of each entry.
     * @return feedbackIndexes Index of each entry.
     * @return values Value of each entry.
     * @return valueDecimals Decimals of each entry.
     * @return tag1s First tag of each entry.
     * @return tag2s Second tag of each entry.
     * @return revokedStatuses Revoked flag of each entry.
     */
    function readAllFeedback(
        uint256 agentId,
        address[] memory clientAddresses,
        string memory tag1,
        string memory tag2,
        bool includeRevoked
    )
        external
        view
        returns (
            address[] memory clients,
            uint64[] memory feedbackIndexes,
            int128[] memory values,
            uint8[] memory valueDecimals,
            string[] memory tag1s,
            string[] memory tag2s,
            bool[] memory revokedStatuses
        );

    /**
     * @notice Counts responses. `clientAddress == 0` counts over all of the agent's clients (every feedback of
     * each, whatever `feedbackIndex`; unbounded: use {getResponseCountPaginated} for large agents),
     * `feedbackIndex == 0` over all of that client's feedback, and an empty `responders` list counts every
     * responder ("agentId is the only mandatory parameter; others are optional filters").
     * @param agentId The agent.
     * @param clientAddress The client, or zero for all.
     * @param feedbackIndex The feedback index, or zero for all.
     * @param responders The responders to count, or empty for all.
     * @return count The number of responses.
     */
    function getResponseCount(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        address[] calldata responders
    ) external view returns (uint64 count);

    /**
     * @notice A page of `getResponseCount(agentId, address(0), 0, responders)`: the responses to every feedback of
     * the clients at positions `[offset, offset + limit)` of {getClients} (fewer at the end), counting only
     * `responders` unless it is empty. The counts of consecutive pages add up to the unpaged count.
     * @param agentId The agent.
     * @param offset First client position (0-based).
     * @param limit Most clients.
     * @param responders The responders to count, or empty for all.
     * @return count The number of responses.
     */
    function getResponseCountPaginated(
        uint256 agentId,
        uint256 offset,
        uint256 limit,
        address[] calldata responders
    ) external view returns (uint64 count);

    /**
     * @notice Every client that gave `agentId` feedback, in order of first feedback. Unbounded: use
     * {getClientsPaginated} for large agents.
     * @param agentId The agent.
     * @return The clients.
     */
    function getClients(uint256 agentId) external view returns (address[] memory);

    /**
     * @notice The last feedback index `clientAddress` used for `agentId` (its number of feedbacks; 0 if none).
     * @param agentId The agent.
     * @param clientAddress The client.
     * @return The last index.
     */
    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64);

    /// @notice The number of distinct clients that gave `agentId` feedback.
    function getClientCount(uint256 agentId) external view returns (uint256);

    /**
     * @notice A page of {getClients}: the clients at positions `[offset, offset + limit)` (fewer at the end).
     * @param agentId The agent.
     * @param offset First position (0-based).
     * @param limit Maximum number of clients.
     * @return clients The page.
     */
    function getClientsPaginated(
        uint256 agentId,
        uint256 offset,
        uint256 limit
    ) external view returns (address[] memory clients);

    /**
     * @notice The feedback of one client with indexes `[fromIndex, fromIndex + limit)` (fewer at the end),
     * revoked entries included, for clients too prolific for {readAllFeedback}.
     * @param agentId The agent.
     * @param clientAddress The client.
     * @param fromIndex First 1-based index (0 is read as 1).
     * @param limit Maximum number of entries.
     * @return feedback The entries, in index order.
     */
    function readClientFeedbackPaginated(
        uint256 agentId,
        address clientAddress,
        uint64 fromIndex,
        uint256 limit
    ) external view returns (Feedback[] memory feedback);

    /// @notice The implementation's version string.
    function getVersion() external pure returns (string memory);
}
