// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IReputationRegistry} from "../interfaces/IReputationRegistry.sol";

/**
 * @title ReputationRegistry
 * @notice ERC-8004 Reputation Registry (https://eips.ethereum.org/EIPS/eip-8004): feedback from clients to the
 * agents of an Identity Registry. ABI-compatible with the canonical registries (erc-8004/erc-8004-contracts
 * v2.0.0), with the same accepted values (`|value| <= 1e38`, 0-18 decimals) and the same {getSummary} arithmetic
 * (mean at the most common decimals).
 *
 * Deployed behind an ERC-1967 proxy (UUPS): upgrades are gated by the owner. Ownership is `Ownable2Step`:
 * {transferOwnership} only records a pending owner, who becomes the owner by calling {acceptOwnership}
 * (the canonical registries use one-step `Ownable`).
 *
 * NOTE: Feedback records are packed three per storage slot, next to the client's feedback counter:
 * - Page 0 of an (agent, client) pair holds the last index (32 bits) and feedbacks 1-3; page `k` holds feedbacks
 *   `3k + 1` to `3k + 3`. A record is 72 bits: the value as an `int64`, the decimals, and revoked, has-tags and
 *   wide-value flags. Values beyond `int64` (up to the 1e38 bound) live in a side mapping, and tags, only when
 *   present, in another, packed as `uint16(len(tag1)) ‖ tag1 ‖ tag2`.
 * - So a client's first feedback writes one slot (plus its entry in the client list), its second and third only
 *   update that slot, and later ones open a new slot every third feedback. {getSummary} reads one slot for a client
 *   with up to three feedbacks.
 * - Responses keep a per-feedback total next to the per-responder counts, so "every responder" is one read.
 * Limits that follow: at most `2**32 - 1` feedbacks per (agent, client), and a `tag1` of at most 65,535 bytes.
 *
 * NOTE: Storage is ERC-7201 namespaced (`x402kit.erc8004.reputation`) and laid out differently from the canonical
 * implementation, so this is not an upgrade target for proxies that ran it.
 */
contract ReputationRegistry is Initializable, Ownable2StepUpgradeable, UUPSUpgradeable, IReputationRegistry {
    /// @dev Everything one client wrote about one agent.
    struct ClientFeedback {
        mapping(uint256 page => uint256 word) pages;
        mapping(uint256 feedbackIndex => bytes packedTags) tags;
        mapping(uint256 feedbackIndex => int128 value) wideValues;
        mapping(uint256 feedbackIndex => uint64 count) responseTotals;
        mapping(uint256 feedbackIndex => mapping(address responder => uint64 count)) responseCounts;
    }

    /// @custom:storage-location erc7201:x402kit.erc8004.reputation
    struct ReputationRegistryStorage {
        address identityRegistry;
        mapping(uint256 agentId => mapping(address client => ClientFeedback feedback)) feedback;
        mapping(uint256 agentId => address[] clients) clients;
    }

    /// @dev A tag filter: an empty tag matches everything.
    struct TagFilter {
        bool active;
        bool byTag1;
        bool byTag2;
        uint256 length1;
        uint256 length2;
        bytes32 hash1;
        bytes32 hash2;
    }

    /// @dev The output columns of {readAllFeedback}, kept in one memory struct to save stack slots.
    struct FeedbackColumns {
        address[] clients;
        uint64[] feedbackIndexes;
        int128[] values;
        uint8[] valueDecimals;
        string[] tag1s;
        string[] tag2s;
        bool[] revokedStatuses;
    }

    /// @notice The largest accepted `|value|` (the canonical registries' bound).
    int128 public constant MAX_ABS_VALUE = 1e38;

    /// @notice The largest accepted `valueDecimals`.
    uint8 public constant MAX_VALUE_DECIMALS = 18;

    // Page 0: bits [0, 32) the last index, then three records. Page k > 0: bits [0, 32) unused, then three records.
    uint256 private constant _INDEX_MASK = 0xffffffff;
    uint256 private constant _RECORDS_PER_PAGE = 3;
    uint256 private constant _RECORD_BITS = 72;
    uint256 private constant _RECORD_MASK = (1 << 72) - 1;
    uint256 private constant _FIRST_RECORD_SHIFT = 32;
    uint256 private constant _PAST_LAST_RECORD_SHIFT = 248;
    // Record (72 bits): [0, 64) value as int64, [64, 69) decimals, 69 revoked, 70 has tags, 71 wide value.
    uint256 private constant _VALUE_MASK = (1 << 64) - 1;
    uint256 private constant _DECIMALS_SHIFT = 64;
    uint256 private constant _DECIMALS_MASK = 0x1f;
    uint256 private constant _REVOKED_FLAG = 1 << 69;
    uint256 private constant _TAGS_FLAG = 1 << 70;
    uint256 private constant _WIDE_FLAG = 1 << 71;
    uint256 private constant _MAX_TAG1_LENGTH = 0xffff;

    // keccak256(abi.encode(uint256(keccak256("x402kit.erc8004.reputation")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_LOCATION = 0xabfb202e71e3c9366c5d1aeccf173e4f8b09adece96e234a672734f49acb3e00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @inheritdoc IReputationRegistry
     * @dev When the proxy is created through a CREATE2 factory the caller is the factory: use
     * {initialize-address-address} there.
     */
    function initialize(address identityRegistry_) external initializer {
        _initializeRegistry(identityRegistry_, msg.sender);
    }

    /**
     * @notice Binds this registry to `identityRegistry_` with `initialOwner` as owner (who may upgrade it).
     * @param identityRegistry_ The ERC-8004 Identity Registry whose agents are rated.
     * @param initialOwner The owner.
     */
    function initialize(address identityRegistry_, address initialOwner) external initializer {
        _initializeRegistry(identityRegistry_, initialOwner);
    }

    /// @inheritdoc IReputationRegistry
    function giveFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        string calldata tag1,
        string calldata tag2,
        string calldata endpoint,
        string calldata feedbackURI,
        bytes32 feedbackHash
    ) external {
        _emitNewFeedback(_storeFeedback(agentId, value, valueDecimals, _packTags(tag1, tag2)));
        // The emitted fields are read back from calldata by _emitNewFeedback.
        (endpoint, feedbackURI, feedbackHash);
    }

    /// @inheritdoc IReputationRegistry
    function revokeFeedback(uint256 agentId, uint64 feedbackIndex) external {
        mapping(uint256 => uint256) storage pages = _getStorage().feedback[agentId][msg.sender].pages;
        _checkIndex(agentId, msg.sender, feedbackIndex, pages[0]);
        (uint256 page, uint256 shift) = _locate(feedbackIndex);
        uint256 word = pages[page];
        if (word & (_REVOKED_FLAG << shift) != 0) {
            revert ReputationRegistryFeedbackAlreadyRevoked(agentId, msg.sender, feedbackIndex);
        }
        pages[page] = word | (_REVOKED_FLAG << shift);
        emit FeedbackRevoked(agentId, msg.sender, feedbackIndex);
    }

    /// @inheritdoc IReputationRegistry
    function appendResponse(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        string calldata responseURI,
        bytes32 responseHash
    ) external {
        ClientFeedback storage feedback = _getStorage().feedback[agentId][clientAddress];
        _checkIndex(agentId, clientAddress, feedbackIndex, feedback.pages[0]);
        if (bytes(responseURI).length == 0) {
            revert ReputationRegistryEmptyResponseURI(agentId, clientAddress, feedbackIndex);
        }
        ++feedback.responseCounts[feedbackIndex][msg.sender];
        ++feedback.responseTotals[feedbackIndex];
        emit ResponseAppended(agentId, clientAddress, feedbackIndex, msg.sender, responseURI, responseHash);
    }

    /// @inheritdoc IReputationRegistry
    function getIdentityRegistry() external view returns (address identityRegistry) {
        return _getStorage().identityRegistry;
    }

    /// @inheritdoc IReputationRegistry
    function getSummary(
        uint256 agentId,
        address[] calldata clientAddresses,
        string calldata tag1,
        string calldata tag2
    ) external view returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals) {
        if (clientAddresses.length == 0) revert ReputationRegistryClientAddressesRequired(agentId);
        return _mean(_summarize(agentId, clientAddresses, _tagFilter(tag1, tag2), 1, type(uint256).max));
    }

    /// @inheritdoc IReputationRegistry
    function getSummaryPaginated(
        uint256 agentId,
        address[] calldata clientAddresses,
        string calldata tag1,
        string calldata tag2,
        uint64 fromIndex,
        uint256 limit
    ) external view returns (SummaryTotals memory totals) {
        if (clientAddresses.length == 0) revert ReputationRegistryClientAddressesRequired(agentId);
        return _summarize(agentId, clientAddresses, _tagFilter(tag1, tag2), fromIndex == 0 ? 1 : fromIndex, limit);
    }

    /// @inheritdoc IReputationRegistry
    function summarizeTotals(
        SummaryTotals calldata totals
    ) external pure returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals) {
        uint256 decimalCountsSum;
        for (uint256 d = 0; d <= MAX_VALUE_DECIMALS; ++d) {
            decimalCountsSum += totals.decimalCounts[d];
        }
        if (decimalCountsSum != totals.count) {
            revert ReputationRegistryInconsistentTotals(totals.count, decimalCountsSum);
        }
        if (totals.count > type(uint64).max) revert ReputationRegistryTotalsCountOverflow(totals.count);
        return _mean(totals);
    }

    /// @inheritdoc IReputationRegistry
    function readFeedback(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex
    )
        external
        view
        returns (int128 value, uint8 valueDecimals, string memory tag1, string memory tag2, bool isRevoked)
    {
        ClientFeedback storage feedback = _getStorage().feedback[agentId][clientAddress];
        _checkIndex(agentId, clientAddress, feedbackIndex, feedback.pages[0]);
        Feedback memory entry = _entry(feedback, feedbackIndex, _record(feedback, feedbackIndex));
        return (entry.value, entry.valueDecimals, entry.tag1, entry.tag2, entry.isRevoked);
    }

    /**
     * @inheritdoc IReputationRegistry
     * @dev Parameters are copied to memory: with calldata ones, seven return columns exceed the legacy code
     * generator's stack.
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
        )
    {
        if (clientAddresses.length == 0) clientAddresses = _getStorage().clients[agentId];
        FeedbackColumns memory columns = _collectFeedback(
            agentId,
            clientAddresses,
            _tagFilter(tag1, tag2),
            includeRevoked
        );
        clients = columns.clients;
        feedbackIndexes = columns.feedbackIndexes;
        values = columns.values;
        valueDecimals = columns.valueDecimals;
        tag1s = columns.tag1s;
        tag2s = columns.tag2s;
        revokedStatuses = columns.revokedStatuses;
    }

    /// @inheritdoc IReputationRegistry
    function getResponseCount(
        uint256 agentId,
        address clientAddress,
        uint64 feedbackIndex,
        address[] calldata responders
    ) external view returns (uint64 count) {
        ReputationRegistryStorage storage $ = _getStorage();
        mapping(address => ClientFeedback) storage agentFeedback = $.feedback[agentId];
        if (clientAddress == address(0)) {
            address[] storage clientList = $.clients[agentId];
            return _clientsResponseCount(agentFeedback, clientList, 0, clientList.length, responders);
        }
        if (feedbackIndex != 0) return _responseCount(agentFeedback[clientAddress], feedbackIndex, responders);
        return _clientResponseCount(agentFeedback[clientAddress], responders);
    }

    /// @inheritdoc IReputationRegistry
    function getResponseCountPaginated(
        uint256 agentId,
        uint256 offset,
        uint256 limit,
        address[] calldata responders
    ) external view returns (uint64 count) {
        ReputationRegistryStorage storage $ = _getStorage();
        address[] storage clientList = $.clients[agentId];
        uint256 end = _pageEnd(clientList.length, offset, limit);
        return _clientsResponseCount($.feedback[agentId], clientList, offset, end, responders);
    }

    /// @inheritdoc IReputationRegistry
    function getClients(uint256 agentId) external view returns (address[] memory) {
        return _getStorage().clients[agentId];
    }

    /// @inheritdoc IReputationRegistry
    function getLastIndex(uint256 agentId, address clientAddress) external view returns (uint64) {
        return uint64(_getStorage().feedback[agentId][clientAddress].pages[0] & _INDEX_MASK);
    }

    /// @inheritdoc IReputationRegistry
    function getClientCount(uint256 agentId) external view returns (uint256) {
        return _getStorage().clients[agentId].length;
    }

    /// @inheritdoc IReputationRegistry
    function getClientsPaginated(
        uint256 agentId,
        uint256 offset,
        uint256 limit
    ) external view returns (address[] memory clients) {
        address[] storage all = _getStorage().clients[agentId];
        uint256 end = _pageEnd(all.length, offset, limit);
        clients = new address[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            clients[i - offset] = all[i];
        }
    }

    /// @inheritdoc IReputationRegistry
    function readClientFeedbackPaginated(
        uint256 agentId,
        address clientAddress,
        uint64 fromIndex,
        uint256 limit
    ) external view returns (Feedback[] memory feedback) {
        ClientFeedback storage clientFeedback = _getStorage().feedback[agentId][clientAddress];
        uint256 first = fromIndex == 0 ? 1 : fromIndex;
        // Positions [first, end) among the positions [0, lastIndex] (an index is its own position).
        uint256 end = _pageEnd((clientFeedback.pages[0] & _INDEX_MASK) + 1, first, limit);
        feedback = new Feedback[](end - first);
        for (uint256 index = first; index < end; ++index) {
            feedback[index - first] = _entry(clientFeedback, index, _record(clientFeedback, index));
        }
    }

    /// @inheritdoc IReputationRegistry
    function getVersion() external pure returns (string memory) {
        return "2.0.0+x402kit";
    }

    /// @dev Upgrades are the owner's decision.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _initializeRegistry(address identityRegistry_, address initialOwner) private {
        if (identityRegistry_.code.length == 0) revert ReputationRegistryInvalidIdentityRegistry(identityRegistry_);
        __Ownable_init(initialOwner);
        _getStorage().identityRegistry = identityRegistry_;
    }

    /// @dev Validates and stores a feedback from the caller (tags as packed by {_packTags}); returns its index.
    function _storeFeedback(
        uint256 agentId,
        int128 value,
        uint8 valueDecimals,
        bytes memory packedTags
    ) private returns (uint256 feedbackIndex) {
        if (valueDecimals > MAX_VALUE_DECIMALS) revert ReputationRegistryInvalidValueDecimals(valueDecimals);
        if (value > MAX_ABS_VALUE || value < -MAX_ABS_VALUE) revert ReputationRegistryValueOutOfRange(value);
        ReputationRegistryStorage storage $ = _getStorage();
        if (_isAuthorizedOrOwner($.identityRegistry, msg.sender, agentId)) {
            revert ReputationRegistrySelfFeedback(agentId, msg.sender);
        }

        ClientFeedback storage feedback = $.feedback[agentId][msg.sender];
        uint256 head = feedback.pages[0];
        uint256 lastIndex = head & _INDEX_MASK;
        if (lastIndex == _INDEX_MASK) revert ReputationRegistryFeedbackLimitReached(agentId, msg.sender);
        unchecked {
            // lastIndex < 2**32 - 1 (checked above): the new index still fits the 32-bit counter.
            feedbackIndex = lastIndex + 1;
        }

        uint256 record = uint256(valueDecimals) << _DECIMALS_SHIFT;
        if (value >= type(int64).min && value <= type(int64).max) {
            record |= uint256(uint64(int64(value)));
        } else {
            record |= _WIDE_FLAG;
            feedback.wideValues[feedbackIndex] = value;
        }
        if (packedTags.length != 0) {
            record |= _TAGS_FLAG;
            feedback.tags[feedbackIndex] = packedTags;
        }

        (uint256 page, uint256 shift) = _locate(feedbackIndex);
        unchecked {
            // head + 1 increments the counter in the low 32 bits, which cannot carry (see above).
            if (page == 0) {
                feedback.pages[0] = (head + 1) | (record << shift);
            } else {
                feedback.pages[0] = head + 1;
                feedback.pages[page] |= record << shift;
            }
        }
        if (lastIndex == 0) $.clients[agentId].push(msg.sender);
    }

    /**
     * @dev Emits {NewFeedback} for the feedback at `feedbackIndex`, ABI-encoding the event straight from
     * `giveFeedback`'s calldata. (Emitting it from Solidity needs more stack slots than the legacy code generator
     * has: eleven fields, four of them calldata strings.) Only `giveFeedback` calls this, so the calldata layout is
     * fixed: after the selector come the words `agentId, value, valueDecimals`, the offsets of `tag1, tag2,
     * endpoint, feedbackURI`, then `feedbackHash`; the ABI decoder has already checked every word and string bounds.
     */
    function _emitNewFeedback(uint256 feedbackIndex) private {
        bytes32 topic0 = NewFeedback.selector;
        assembly ("memory-safe") {
            // Event data (scratch memory past the free pointer): eight head words, then the four string tails.
            let data := mload(0x40)
            mstore(data, feedbackIndex)
            mstore(add(data, 0x20), calldataload(0x24)) // value: a sign-extended int128 word
            mstore(add(data, 0x40), calldataload(0x44)) // valueDecimals: a uint8 word
            mstore(add(data, 0xe0), calldataload(0xe4)) // feedbackHash
            let tail := 0x100 // offset of the next string tail, relative to data
            for {
                let i := 0
            } lt(i, 4) {
                i := add(i, 1)
            } {
                let source := add(4, calldataload(add(0x64, shl(5, i)))) // the string's length word in calldata
                let size := calldataload(source)
                let padded := and(add(size, 0x1f), not(0x1f)) // content rounded up to whole words
                mstore(add(data, add(0x60, shl(5, i))), tail) // head: offset of this tail
                mstore(add(add(data, tail), padded), 0) // zero the last content word (its padding)
                mstore(add(data, tail), size) // tail: length word
                calldatacopy(add(add(data, tail), 0x20), add(source, 0x20), size) // tail: content bytes
                tail := add(tail, add(0x20, padded))
            }
            // tag1 is the first tail: topic 3 is the keccak256 of its content (an indexed string).
            let tag1Hash := keccak256(add(data, 0x120), mload(add(data, 0x100)))
            log4(data, tail, topic0, calldataload(0x04), caller(), tag1Hash)
        }
    }

    /**
     * @dev Asks the Identity Registry whether `account` owns or operates `agentId`, turning its
     * `ERC721NonexistentToken` into {ReputationRegistryNonexistentAgent}; other failures bubble up unchanged.
     */
    function _isAuthorizedOrOwner(address identity, address account, uint256 agentId) private view returns (bool) {
        try IIdentityRegistry(identity).isAuthorizedOrOwner(account, agentId) returns (bool authorized) {
            return authorized;
        } catch (bytes memory reason) {
            if (bytes4(reason) == IERC721Errors.ERC721NonexistentToken.selector) {
                revert ReputationRegistryNonexistentAgent(agentId);
            }
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }

    /// @dev Totals of the non-revoked feedback of `clientAddresses` to `agentId` that passes `filter`, over each
    /// client's feedback indexes `[first, first + limit)` (`first >= 1`).
    function _summarize(
        uint256 agentId,
        address[] calldata clientAddresses,
        TagFilter memory filter,
        uint256 first,
        uint256 limit
    ) private view returns (SummaryTotals memory summary) {
        mapping(address => ClientFeedback) storage agentFeedback = _getStorage().feedback[agentId];
        for (uint256 i = 0; i < clientAddresses.length; ++i) {
            _addToSummary(summary, agentFeedback[clientAddresses[i]], filter, first, limit);
        }
    }

    /// @dev Adds the non-revoked entries of `feedback` with indexes `[first, first + limit)` (`first >= 1`, clamped
    /// to the last index) that pass `filter` to `summary`.
    function _addToSummary(
        SummaryTotals memory summary,
        ClientFeedback storage feedback,
        TagFilter memory filter,
        uint256 first,
        uint256 limit
    ) private view {
        uint256 word = feedback.pages[0];
        uint256 end = (word & _INDEX_MASK) + 1; // one past the last index
        if (first >= end) return;
        unchecked {
            // first < end <= 2**32: no underflow, and first + limit only when limit < end - first.
            if (limit < end - first) end = first + limit;
        }
        uint256 page;
        uint256 shift = _FIRST_RECORD_SHIFT;
        if (first != 1) {
            // A window that starts later (getSummary always starts at 1 on page 0).
            (page, shift) = _locate(first);
            if (page != 0) word = feedback.pages[page];
        }
        for (uint256 index = first; index < end; ++index) {
            if (shift == _PAST_LAST_RECORD_SHIFT) {
                // The current page is used up: feedback `index` opens the next one.
                word = feedback.pages[++page];
                shift = _FIRST_RECORD_SHIFT;
            }
            uint256 record = (word >> shift) & _RECORD_MASK;
            shift += _RECORD_BITS;
            if (record & _REVOKED_FLAG != 0) continue;
            if (filter.active && !_matches(feedback, index, record, filter)) continue;
            uint256 decimals = (record >> _DECIMALS_SHIFT) & _DECIMALS_MASK;
            int256 value = record & _WIDE_FLAG == 0 ? _compactValue(record) : feedback.wideValues[index];
            unchecked {
                // decimals <= 18 (checked on write), so the factor is at most 1e18; |value| <= 1e38, so each term
                // is below 1e56, and fewer than 2**96 terms (each costs a storage read) stay far below 2**255.
                summary.valueSum += value * int256(10 ** (MAX_VALUE_DECIMALS - decimals));
                ++summary.decimalCounts[decimals];
                ++summary.count;
            }
        }
    }

    /// @dev {getSummary}'s result from consistent `totals`: the mean at the most common decimals.
    function _mean(
        SummaryTotals memory totals
    ) private pure returns (uint64 count, int128 summaryValue, uint8 summaryValueDecimals) {
        if (totals.count == 0) return (0, 0, 0);
        uint256 modeDecimals;
        uint256 modeCount;
        for (uint256 d = 0; d <= MAX_VALUE_DECIMALS; ++d) {
            // Strictly greater: ties go to the fewest decimals.
            if (totals.decimalCounts[d] > modeCount) {
                modeCount = totals.decimalCounts[d];
                modeDecimals = d;
            }
        }
        int256 mean = (totals.valueSum / int256(totals.count)) / int256(10 ** (MAX_VALUE_DECIMALS - modeDecimals));
        // A mean beyond int128 (values of very different decimals, the mode being the larger) keeps its low 128 bits,
        // as the canonical registries' explicit `int128(...)` conversion does: the same answer, not a revert.
        return (uint64(totals.count), int128(mean), uint8(modeDecimals));
    }

    /// @dev The matching feedback of `clientList` to `agentId`, as {readAllFeedback} columns.
    function _collectFeedback(
        uint256 agentId,
        address[] memory clientList,
        TagFilter memory filter,
        bool includeRevoked
    ) private view returns (FeedbackColumns memory columns) {
        mapping(address => ClientFeedback) storage agentFeedback = _getStorage().feedback[agentId];
        // Size the columns for every entry of every listed client, fill in the matches, then shrink to their count.
        uint256 capacity;
        for (uint256 i = 0; i < clientList.length; ++i) {
            capacity += agentFeedback[clientList[i]].pages[0] & _INDEX_MASK;
        }
        columns.clients = new address[](capacity);
        columns.feedbackIndexes = new uint64[](capacity);
        columns.values = new int128[](capacity);
        columns.valueDecimals = new uint8[](capacity);
        columns.tag1s = new string[](capacity);
        columns.tag2s = new string[](capacity);
        columns.revokedStatuses = new bool[](capacity);

        uint256 found;
        for (uint256 i = 0; i < clientList.length; ++i) {
            ClientFeedback storage feedback = agentFeedback[clientList[i]];
            uint256 lastIndex = feedback.pages[0] & _INDEX_MASK;
            for (uint256 index = 1; index <= lastIndex; ++index) {
                uint256 record = _record(feedback, index);
                if (!includeRevoked && record & _REVOKED_FLAG != 0) continue;
                if (filter.active && !_matches(feedback, index, record, filter)) continue;
                Feedback memory entry = _entry(feedback, index, record);
                columns.clients[found] = clientList[i];
                columns.feedbackIndexes[found] = uint64(index);
                columns.values[found] = entry.value;
                columns.valueDecimals[found] = entry.valueDecimals;
                columns.tag1s[found] = entry.tag1;
                columns.tag2s[found] = entry.tag2;
                columns.revokedStatuses[found] = entry.isRevoked;
                ++found;
            }
        }
        _shrink(columns, found);
    }

    /// @dev Whether `record`, feedback `index` of `feedback`, passes the active `filter`.
    function _matches(
        ClientFeedback storage feedback,
        uint256 index,
        uint256 record,
        TagFilter memory filter
    ) private view returns (bool) {
        // Without stored tags both tags are empty, and an active filter requires a non-empty tag.
        if (record & _TAGS_FLAG == 0) return false;
        bytes memory packed = feedback.tags[index];
        uint256 length1 = uint16(bytes2(packed));
        if (filter.byTag1 && (length1 != filter.length1 || _hashAt(packed, 2, length1) != filter.hash1)) {
            return false;
        }
        if (filter.byTag2) {
            uint256 length2 = packed.length - 2 - length1;
            if (length2 != filter.length2 || _hashAt(packed, 2 + length1, length2) != filter.hash2) return false;
        }
        return true;
    }

    /// @dev Decodes `record`, feedback `index` of `feedback`, loading the side storage it points to.
    function _entry(
        ClientFeedback storage feedback,
        uint256 index,
        uint256 record
    ) private view returns (Feedback memory entry) {
        entry.value = record & _WIDE_FLAG == 0 ? _compactValue(record) : feedback.wideValues[index];
        entry.valueDecimals = uint8((record >> _DECIMALS_SHIFT) & _DECIMALS_MASK);
        entry.isRevoked = record & _REVOKED_FLAG != 0;
        if (record & _TAGS_FLAG != 0) {
            bytes memory packed = feedback.tags[index];
            uint256 length1 = uint16(bytes2(packed));
            entry.tag1 = string(_slice(packed, 2, length1));
            entry.tag2 = string(_slice(packed, 2 + length1, packed.length - 2 - length1));
        }
    }

    /// @dev The 72-bit record of feedback `index` (1-based, existing) of `feedback`.
    function _record(ClientFeedback storage feedback, uint256 index) private view returns (uint256) {
        (uint256 page, uint256 shift) = _locate(index);
        return (feedback.pages[page] >> shift) & _RECORD_MASK;
    }

    /// @dev Responses (by `responders`, or all when empty) to feedback `index` of `feedback`.
    function _responseCount(
        ClientFeedback storage feedback,
        uint256 index,
        address[] calldata responders
    ) private view returns (uint64 count) {
        if (responders.length == 0) return feedback.responseTotals[index];
        mapping(address => uint64) storage counts = feedback.responseCounts[index];
        for (uint256 i = 0; i < responders.length; ++i) {
            count += counts[responders[i]];
        }
    }

    /// @dev Responses (by `responders`, or all when empty) to every feedback of `feedback`.
    function _clientResponseCount(
        ClientFeedback storage feedback,
        address[] calldata responders
    ) private view returns (uint64 count) {
        uint256 lastIndex = feedback.pages[0] & _INDEX_MASK;
        for (uint256 index = 1; index <= lastIndex; ++index) {
            count += _responseCount(feedback, index, responders);
        }
    }

    /// @dev Responses (by `responders`, or all when empty) to every feedback of the clients at positions
    /// `[start, end)` of `clientList` (`end <= clientList.length`).
    function _clientsResponseCount(
        mapping(address => ClientFeedback) storage agentFeedback,
        address[] storage clientList,
        uint256 start,
        uint256 end,
        address[] calldata responders
    ) private view returns (uint64 count) {
        for (uint256 i = start; i < end; ++i) {
            count += _clientResponseCount(agentFeedback[clientList[i]], responders);
        }
    }

    function _checkIndex(uint256 agentId, address client, uint256 index, uint256 head) private pure {
        if (index == 0 || index > head & _INDEX_MASK) {
            revert ReputationRegistryNonexistentFeedback(agentId, client, uint64(index));
        }
    }

    /// @dev `uint16(len(tag1)) ‖ tag1 ‖ tag2`, or empty when both tags are empty.
    function _packTags(string calldata tag1, string calldata tag2) private pure returns (bytes memory) {
        if (bytes(tag1).length == 0 && bytes(tag2).length == 0) return "";
        if (bytes(tag1).length > _MAX_TAG1_LENGTH) revert ReputationRegistryTagTooLong(bytes(tag1).length);
        return abi.encodePacked(uint16(bytes(tag1).length), tag1, tag2);
    }

    function _tagFilter(string memory tag1, string memory tag2) private pure returns (TagFilter memory filter) {
        filter.length1 = bytes(tag1).length;
        filter.length2 = bytes(tag2).length;
        filter.byTag1 = filter.length1 != 0;
        filter.byTag2 = filter.length2 != 0;
        filter.active = filter.byTag1 || filter.byTag2;
        filter.hash1 = keccak256(bytes(tag1));
        filter.hash2 = keccak256(bytes(tag2));
    }

    /// @dev Sets the length of every column to `size` (at most their allocated length).
    function _shrink(FeedbackColumns memory columns, uint256 size) private pure {
        address[] memory clients = columns.clients;
        uint64[] memory feedbackIndexes = columns.feedbackIndexes;
        int128[] memory values = columns.values;
        uint8[] memory valueDecimals = columns.valueDecimals;
        string[] memory tag1s = columns.tag1s;
        string[] memory tag2s = columns.tag2s;
        bool[] memory revokedStatuses = columns.revokedStatuses;
        assembly ("memory-safe") {
            // size <= allocated length: shrinking in place keeps every array inside its allocation.
            mstore(clients, size)
            mstore(feedbackIndexes, size)
            mstore(values, size)
            mstore(valueDecimals, size)
            mstore(tag1s, size)
            mstore(tag2s, size)
            mstore(revokedStatuses, size)
        }
    }

    /// @dev Page and bit offset of feedback `index` (1-based): position `index - 1`, three records per page.
    function _locate(uint256 index) private pure returns (uint256 page, uint256 shift) {
        unchecked {
            // index >= 1 for every stored feedback (callers check it or count from 1), and index < 2**32.
            uint256 position = index - 1;
            page = position / _RECORDS_PER_PAGE;
            shift = _FIRST_RECORD_SHIFT + (position % _RECORDS_PER_PAGE) * _RECORD_BITS;
        }
    }

    /// @dev Sign-extends the int64 in the low bits of `record`.
    function _compactValue(uint256 record) private pure returns (int128) {
        return int128(int64(uint64(record & _VALUE_MASK)));
    }

    /// @dev End of the page `[offset, offset + limit)` of a list of `total` items, clamped to the list.
    function _pageEnd(uint256 total, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= total) return offset;
        return limit > total - offset ? total : offset + limit;
    }

    /// @dev keccak256 of `length` bytes of `data` from `start` (in bounds by construction).
    function _hashAt(bytes memory data, uint256 start, uint256 length) private pure returns (bytes32 hash) {
        assembly ("memory-safe") {
            hash := keccak256(add(add(data, 0x20), start), length)
        }
    }

    /// @dev A copy of `length` bytes of `data` from `start` (in bounds by construction).
    function _slice(bytes memory data, uint256 start, uint256 length) private pure returns (bytes memory out) {
        out = new bytes(length);
        assembly ("memory-safe") {
            mcopy(add(out, 0x20), add(add(data, 0x20), start), length)
        }
    }

    function _getStorage() private pure returns (ReputationRegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := _STORAGE_LOCATION
        }
    }
}
