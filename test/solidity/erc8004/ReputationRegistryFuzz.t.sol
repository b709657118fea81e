// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IReputationRegistry} from "../../../contracts/interfaces/IReputationRegistry.sol";
import {Vm, vm} from "../utils/Vm.sol";
import {ERC8004Fixture} from "./ERC8004Fixture.sol";

/**
 * @title ReputationRegistryFuzzTest
 * @notice Properties of the packed feedback store against a plain in-memory model: summary arithmetic (mean at
 * the most common decimals, ties, negative and wide values, overflow), revocation isolation inside a packed slot,
 * response counts, and the hand-encoded `NewFeedback` event.
 */
contract ReputationRegistryFuzzTest is ERC8004Fixture {
    int256 internal constant MAX_ABS_VALUE = 1e38;

    struct Entry {
        address client;
        uint64 index;
        int128 value;
        uint8 decimals;
        uint256 tag1;
        uint256 tag2;
        bool revoked;
    }

    struct Expected {
        int256 sum;
        uint256 count;
        uint256[19] decimalCounts;
    }

    address[3] internal fuzzClients = [address(0x1001), address(0x1002), address(0x1003)];
    string[3] internal tags = ["", "starred", "uptime"];

    // ------------------------------------------------------------------ giveFeedback / readFeedback

    /// Whatever fits the spec's ranges reads back exactly, and the event is the canonical ABI encoding.
    function testFuzz_giveFeedback_roundTripsAndEmitsCanonically(
        int128 value,
        uint8 decimals,
        string memory tag1,
        string memory tag2,
        string memory endpoint,
        string memory feedbackURI,
        bytes32 feedbackHash
    ) public {
        value = int128(
            int256(bound(uint256(int256(value) + MAX_ABS_VALUE), 0, 2 * uint256(MAX_ABS_VALUE))) - MAX_ABS_VALUE
        );
        decimals = uint8(bound(decimals, 0, 18));

        vm.recordLogs();
        vm.prank(CLIENT);
        reputation.giveFeedback(agentId, value, decimals, tag1, tag2, endpoint, feedbackURI, feedbackHash);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(logs.length, 1);
        assertEq(logs[0].topics[3], keccak256(bytes(tag1)));
        assertEq(logs[0].data, abi.encode(uint64(1), value, decimals, tag1, tag2, endpoint, feedbackURI, feedbackHash));
        (int128 v, uint8 d, string memory t1, string memory t2, bool r) = reputation.readFeedback(agentId, CLIENT, 1);
        assertEq(v, value);
        assertEq(d, decimals);
        assertEq(t1, tag1);
        assertEq(t2, tag2);
        assertFalse(r);
    }

    // ------------------------------------------------------------------ getSummary

    /// getSummary equals the reference arithmetic on a model: non-revoked matching entries, each scaled to 18
    /// decimals, mean truncated toward zero, reported at the most common decimals (ties to the fewest).
    function testFuzz_getSummary_matchesTheModel(uint256 seed) public {
        Entry[] memory entries = _giveRandomFeedback(seed, 1 + (seed % 12));
        (address[] memory listed, uint256 tag1, uint256 tag2) = _randomQuery(seed >> 128);
        Expected memory expected = _expectedTotals(entries, listed, tag1, tag2);

        if (expected.count == 0) {
            (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(
                agentId,
                listed,
                tags[tag1],
                tags[tag2]
            );
            assertEq(count, 0);
            assertEq(value, 0);
            assertEq(decimals, 0);
            return;
        }
        uint256 mode;
        for (uint256 d = 1; d <= 18; ++d) {
            if (expected.decimalCounts[d] > expected.decimalCounts[mode]) mode = d;
        }
        int256 mean = expected.sum / int256(expected.count) / int256(10 ** (18 - mode));
        // A mean beyond int128 wraps to its low 128 bits, as the canonical registries' explicit conversion does.
        if (mean > type(int128).max || mean < type(int128).min) {
            mean %= 2 ** 128; // keeps the sign: (-2**128, 2**128)
            if (mean > type(int128).max) mean -= 2 ** 128;
            else if (mean < type(int128).min) mean += 2 ** 128;
        }
        (uint64 gotCount, int128 gotValue, uint8 gotDecimals) = reputation.getSummary(
            agentId,
            listed,
            tags[tag1],
            tags[tag2]
        );
        assertEq(gotCount, expected.count, "count");
        assertEq(gotDecimals, mode, "mode decimals");
        assertEq(gotValue, mean, "mean");
    }

    /// getSummaryPaginated over a random partition of (listed clients x feedback indexes) adds up to the model's
    /// totals, and summarizeTotals of the sum is exactly getSummary (the same result, or the same revert).
    function testFuzz_getSummaryPaginated_pagesCombineToGetSummary(uint256 seed) public {
        Entry[] memory entries = _giveRandomFeedback(seed, 1 + (seed % 20));
        (address[] memory listed, uint256 tag1, uint256 tag2) = _randomQuery(seed >> 128);
        uint256 cut = (seed >> 180) % (listed.length + 1); // client slices [0, cut) and [cut, length)
        uint256 window = 1 + ((seed >> 190) % 5); // feedback indexes per page
        uint64 lastIndex;
        for (uint256 j = 0; j < 3; ++j) {
            uint64 last = reputation.getLastIndex(agentId, fuzzClients[j]);
            if (last > lastIndex) lastIndex = last;
        }

        IReputationRegistry.SummaryTotals memory sum;
        for (uint256 part = 0; part < 2; ++part) {
            address[] memory slice = _slice(listed, part == 0 ? 0 : cut, part == 0 ? cut : listed.length);
            if (slice.length == 0) continue;
            for (uint256 fromIndex = 1; fromIndex <= lastIndex; fromIndex += window) {
                IReputationRegistry.SummaryTotals memory page = reputation.getSummaryPaginated(
                    agentId,
                    slice,
                    tags[tag1],
                    tags[tag2],
                    uint64(fromIndex),
                    window
                );
                sum.count += page.count;
                sum.valueSum += page.valueSum;
                for (uint256 d = 0; d <= 18; ++d) sum.decimalCounts[d] += page.decimalCounts[d];
            }
        }

        Expected memory expected = _expectedTotals(entries, listed, tag1, tag2);
        assertEq(sum.count, expected.count, "count");
        assertEq(sum.valueSum, expected.sum, "sum");
        for (uint256 d = 0; d <= 18; ++d) assertEq(sum.decimalCounts[d], expected.decimalCounts[d], "decimals");

        bytes memory paged = _call(abi.encodeCall(reputation.summarizeTotals, (sum)));
        bytes memory whole = _call(abi.encodeCall(reputation.getSummary, (agentId, listed, tags[tag1], tags[tag2])));
        assertEq(keccak256(paged), keccak256(whole), "summarizeTotals(pages) == getSummary");
    }

    /// readAllFeedback returns exactly the model's matching entries, in client-list then index order.
    function testFuzz_readAllFeedback_matchesTheModel(uint256 seed) public {
        Entry[] memory entries = _giveRandomFeedback(seed, 1 + (seed % 12));
        (address[] memory listed, uint256 tag1, uint256 tag2) = _randomQuery(seed >> 128);
        bool includeRevoked = (seed >> 200) & 1 == 1;

        (
            address[] memory who,
            uint64[] memory indexes,
            int128[] memory values,
            uint8[] memory decimals,
            string[] memory tag1s,
            string[] memory tag2s,
            bool[] memory revoked
        ) = reputation.readAllFeedback(agentId, listed, tags[tag1], tags[tag2], includeRevoked);

        uint256 k;
        for (uint256 j = 0; j < listed.length; ++j) {
            for (uint256 i = 0; i < entries.length; ++i) {
                Entry memory e = entries[i];
                if (e.client != listed[j] || (e.revoked && !includeRevoked)) continue;
                if ((tag1 != 0 && e.tag1 != tag1) || (tag2 != 0 && e.tag2 != tag2)) continue;
                assertEq(who[k], e.client);
                assertEq(indexes[k], e.index);
                assertEq(values[k], e.value);
                assertEq(decimals[k], e.decimals);
                assertEq(tag1s[k], tags[e.tag1]);
                assertEq(tag2s[k], tags[e.tag2]);
                assertEq(revoked[k], e.revoked);
                ++k;
            }
        }
        assertEq(who.length, k, "entries");
    }

    // ------------------------------------------------------------------ revokeFeedback

    /// Revoking one feedback flips only its flag, even though three records share a storage slot.
    function testFuzz_revokeFeedback_touchesOnlyItsRecord(uint256 seed, uint8 count, uint8 target) public {
        count = uint8(bound(count, 1, 10));
        target = uint8(bound(target, 1, count));
        Entry[] memory entries = new Entry[](count);
        for (uint256 i = 0; i < count; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            entries[i].value = _randomValue(r);
            entries[i].decimals = uint8(r % 19);
            _giveFeedback(CLIENT, agentId, entries[i].value, entries[i].decimals);
        }

        vm.expectEmit(address(reputation));
        emit IReputationRegistry.FeedbackRevoked(agentId, CLIENT, target);
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, target);

        for (uint256 i = 0; i < count; ++i) {
            (int128 v, uint8 d, , , bool r) = reputation.readFeedback(agentId, CLIENT, uint64(i + 1));
            assertEq(v, entries[i].value);
            assertEq(d, entries[i].decimals);
            assertEq(r, i + 1 == target);
        }
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryFeedbackAlreadyRevoked.selector,
                agentId,
                CLIENT,
                uint64(target)
            )
        );
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, target);
        // Later feedback still lands in the right place.
        _giveFeedback(CLIENT, agentId, 7, 3);
        (int128 last, , , , bool lastRevoked) = reputation.readFeedback(agentId, CLIENT, uint64(count) + 1);
        assertEq(last, 7);
        assertFalse(lastRevoked);
    }

    // ------------------------------------------------------------------ appendResponse

    /// getResponseCount equals the model for every combination of filters.
    function testFuzz_getResponseCount_matchesTheModel(uint256 seed) public {
        address[3] memory responders = [AGENT_OWNER, STRANGER, OTHER_CLIENT];
        address[2] memory reviewers = [CLIENT, VALIDATOR];
        for (uint256 c = 0; c < reviewers.length; ++c) {
            for (uint256 i = 0; i < 3; ++i) _giveFeedback(reviewers[c], agentId, int128(int256(i)), 0);
        }
        uint256[3][3][2] memory counts; // [reviewer][index - 1][responder]
        uint256 appends = seed % 16;
        for (uint256 k = 0; k < appends; ++k) {
            uint256 r = uint256(keccak256(abi.encode(seed, k)));
            uint256 c = r % 2;
            uint256 i = (r >> 8) % 3;
            uint256 who = (r >> 16) % 3;
            vm.prank(responders[who]);
            reputation.appendResponse(agentId, reviewers[c], uint64(i + 1), "ipfs://response", bytes32(r));
            ++counts[c][i][who];
        }

        address[] memory none = new address[](0);
        address[] memory firstTwo = new address[](2);
        firstTwo[0] = responders[0];
        firstTwo[1] = responders[1];
        uint256 total;
        uint256 totalFirstTwo;
        for (uint256 c = 0; c < 2; ++c) {
            uint256 clientTotal;
            for (uint256 i = 0; i < 3; ++i) {
                uint256 all = counts[c][i][0] + counts[c][i][1] + counts[c][i][2];
                clientTotal += all;
                totalFirstTwo += counts[c][i][0] + counts[c][i][1];
                assertEq(reputation.getResponseCount(agentId, reviewers[c], uint64(i + 1), none), all);
                assertEq(
                    reputation.getResponseCount(agentId, reviewers[c], uint64(i + 1), firstTwo),
                    counts[c][i][0] + counts[c][i][1]
                );
            }
            total += clientTotal;
            assertEq(reputation.getResponseCount(agentId, reviewers[c], 0, none), clientTotal);
        }
        assertEq(reputation.getResponseCount(agentId, address(0), 0, none), total);
        assertEq(reputation.getResponseCount(agentId, address(0), 0, firstTwo), totalFirstTwo);
        // Pages of one client each, and one page of both, add up to the unpaged counts.
        assertEq(
            reputation.getResponseCountPaginated(agentId, 0, 1, none) +
                reputation.getResponseCountPaginated(agentId, 1, 1, none),
            total
        );
        assertEq(reputation.getResponseCountPaginated(agentId, 0, 2, firstTwo), totalFirstTwo);
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Model totals: every non-revoked entry of a listed client (once per listing) that passes the filters.
    function _expectedTotals(
        Entry[] memory entries,
        address[] memory listed,
        uint256 tag1,
        uint256 tag2
    ) internal pure returns (Expected memory expected) {
        for (uint256 i = 0; i < entries.length; ++i) {
            Entry memory e = entries[i];
            if (e.revoked) continue;
            if (tag1 != 0 && e.tag1 != tag1) continue;
            if (tag2 != 0 && e.tag2 != tag2) continue;
            for (uint256 j = 0; j < listed.length; ++j) {
                if (listed[j] != e.client) continue;
                expected.sum += int256(e.value) * int256(10 ** (18 - uint256(e.decimals)));
                ++expected.count;
                ++expected.decimalCounts[e.decimals];
            }
        }
    }

    /// @dev Gives `n` random feedbacks from the three fuzz clients (some revoked), recording them in the model.
    function _giveRandomFeedback(uint256 seed, uint256 n) internal returns (Entry[] memory entries) {
        entries = new Entry[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            Entry memory e = entries[i];
            e.client = fuzzClients[r % 3];
            // Half the time a narrow set of decimals, so that modes and ties are common.
            e.decimals = uint8(((r >> 8) & 1 == 0) ? (r >> 16) % 3 : (r >> 16) % 19);
            e.value = _randomValue(r >> 32);
            e.tag1 = (r >> 128) % 3;
            e.tag2 = (r >> 136) % 3;
            e.index = reputation.getLastIndex(agentId, e.client) + 1;
            _giveFeedback(e.client, agentId, e.value, e.decimals, tags[e.tag1], tags[e.tag2]);
            if ((r >> 144) % 4 == 0) {
                e.revoked = true;
                vm.prank(e.client);
                reputation.revokeFeedback(agentId, e.index);
            }
        }
    }

    /// @dev A client list (sometimes with a duplicate) and tag filters.
    function _randomQuery(uint256 r) internal view returns (address[] memory listed, uint256 tag1, uint256 tag2) {
        uint256 size = 1 + (r % 4);
        listed = new address[](size);
        for (uint256 j = 0; j < size; ++j) listed[j] = fuzzClients[(r >> (8 + 8 * j)) % 3];
        tag1 = (r >> 64) % 3;
        tag2 = (r >> 72) % 5 < 3 ? 0 : (r >> 80) % 3;
    }

    /// @dev `list[start:end]`.
    function _slice(address[] memory list, uint256 start, uint256 end) internal pure returns (address[] memory out) {
        out = new address[](end - start);
        for (uint256 i = start; i < end; ++i) out[i - start] = list[i];
    }

    /// @dev The return data of a static call to the registry, or its revert data prefixed by 0xdead.
    function _call(bytes memory data) internal view returns (bytes memory) {
        (bool ok, bytes memory result) = address(reputation).staticcall(data);
        return ok ? result : abi.encodePacked(hex"dead", result);
    }

    /// @dev Small values mostly, plus values around the int64 boundary and near the 1e38 bound, either sign.
    function _randomValue(uint256 r) internal pure returns (int128) {
        uint256 kind = r % 8;
        int256 magnitude;
        if (kind < 5) magnitude = int256((r >> 8) % 10_000);
        else if (kind == 5) magnitude = int256(uint256(uint64(type(int64).max))) - 2 + int256((r >> 8) % 4);
        else if (kind == 6) magnitude = int256((r >> 8) % uint256(MAX_ABS_VALUE + 1));
        else magnitude = int256((r >> 8) % 2);
        return int128((r >> 100) & 1 == 0 ? magnitude : -magnitude);
    }
}
