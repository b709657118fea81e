// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {ReputationRegistry} from "../../../contracts/erc8004/ReputationRegistry.sol";
import {IReputationRegistry} from "../../../contracts/interfaces/IReputationRegistry.sol";
import {Vm, vm} from "../utils/Vm.sol";
import {ERC8004Fixture} from "./ERC8004Fixture.sol";

contract ReputationRegistryTest is ERC8004Fixture {
    bytes32 internal constant NEW_FEEDBACK_TOPIC = keccak256(
        "NewFeedback(uint256,address,uint64,int128,uint8,string,string,string,string,string,bytes32)"
    );
    string internal constant FEEDBACK_URI = "ipfs://bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq";
    bytes32 internal constant FEEDBACK_HASH = keccak256("feedback file");

    address[] internal clients;

    function _clients(address a) internal returns (address[] memory) {
        delete clients;
        clients.push(a);
        return clients;
    }

    function _clients(address a, address b) internal returns (address[] memory) {
        delete clients;
        clients.push(a);
        clients.push(b);
        return clients;
    }

    // ------------------------------------------------------------------ setup

    /// "When the Reputation Registry is deployed, the identityRegistry address is set via
    /// initialize(address identityRegistry_) and publicly visible by calling getIdentityRegistry()"
    function test_initialize_bindsTheIdentityRegistry() public view {
        assertEq(reputation.getIdentityRegistry(), address(identity));
        assertEq(reputation.owner(), REGISTRY_OWNER);
        assertEq(reputation.getVersion(), "2.0.0+x402kit");
    }

    function test_initialize_withOneArgumentMakesTheCallerOwner() public {
        address implementation = address(new ReputationRegistry());
        vm.prank(STRANGER);
        ReputationRegistry registry = ReputationRegistry(
            address(new ERC1967Proxy(implementation, abi.encodeWithSignature("initialize(address)", address(identity))))
        );
        assertEq(registry.owner(), STRANGER);
        assertEq(registry.getIdentityRegistry(), address(identity));
    }

    function test_initialize_revertsWithoutAnIdentityContract() public {
        address implementation = address(new ReputationRegistry());
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryInvalidIdentityRegistry.selector,
                address(0xdead)
            )
        );
        new ERC1967Proxy(implementation, abi.encodeWithSignature("initialize(address)", address(0xdead)));
    }

    function test_initialize_revertsOnSecondCall() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        reputation.initialize(address(identity));
    }

    function test_storage_usesTheErc7201Namespace() public view {
        // identityRegistry is the first field of the namespaced struct.
        assertEq(
            address(uint160(uint256(vm.load(address(reputation), _erc7201("x402kit.erc8004.reputation"))))),
            address(identity)
        );
    }

    // ------------------------------------------------------------------ giveFeedback

    /// "The feedback fields value, valueDecimals, tag1, tag2, and isRevoked are stored in the contract storage
    /// along with the feedbackIndex (a 1-indexed counter of feedback submissions that clientAddress has given to
    /// agentId)."
    function test_giveFeedback_storesAtOneBasedIndexes() public {
        _giveFeedback(CLIENT, agentId, 87, 0, "starred", "");
        _giveFeedback(CLIENT, agentId, 9977, 2, "uptime", "day");
        _giveFeedback(OTHER_CLIENT, agentId, -32, 1, "tradingYield", "week");

        assertEq(reputation.getLastIndex(agentId, CLIENT), 2);
        assertEq(reputation.getLastIndex(agentId, OTHER_CLIENT), 1);
        assertEq(reputation.getLastIndex(agentId, STRANGER), 0);
        _assertFeedback(CLIENT, 1, 87, 0, "starred", "", false);
        _assertFeedback(CLIENT, 2, 9977, 2, "uptime", "day", false);
        _assertFeedback(OTHER_CLIENT, 1, -32, 1, "tradingYield", "week", false);
    }

    /// "If the procedure succeeds, an event is emitted: NewFeedback(...)". "The fields endpoint, feedbackURI, and
    /// feedbackHash are emitted but are not stored."
    function test_giveFeedback_emitsNewFeedback() public {
        vm.expectEmit(address(reputation));
        emit IReputationRegistry.NewFeedback(
            agentId,
            CLIENT,
            1,
            -32,
            1,
            "tradingYield",
            "tradingYield",
            "week",
            "https://agent.example/GetPrice",
            FEEDBACK_URI,
            FEEDBACK_HASH
        );
        vm.prank(CLIENT);
        reputation.giveFeedback(
            agentId,
            -32,
            1,
            "tradingYield",
            "week",
            "https://agent.example/GetPrice",
            FEEDBACK_URI,
            FEEDBACK_HASH
        );
    }

    function test_giveFeedback_emitsTheCanonicalEncoding() public {
        vm.recordLogs();
        vm.prank(CLIENT);
        reputation.giveFeedback(agentId, 5, 0, "a", "", "https://e.example", "", bytes32(uint256(7)));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1);
        assertEq(logs[0].topics[0], NEW_FEEDBACK_TOPIC);
        assertEq(logs[0].topics[1], bytes32(agentId));
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(CLIENT))));
        assertEq(logs[0].topics[3], keccak256("a"));
        // Byte-for-byte what Solidity's `emit` would produce.
        assertEq(
            logs[0].data,
            abi.encode(uint64(1), int128(5), uint8(0), "a", "", "https://e.example", "", bytes32(uint256(7)))
        );
    }

    /// The event is encoded from calldata: the ABI decoder must still reject strings the function never reads.
    function test_giveFeedback_rejectsOutOfBoundsStringsInCalldata() public {
        bytes memory call = abi.encodeCall(
            reputation.giveFeedback,
            (agentId, 1, 0, "", "", "https://e.example", "ipfs://x", bytes32(0))
        );
        // Head words after the selector: agentId, value, valueDecimals, tag1, tag2, endpoint, feedbackURI offsets.
        for (uint256 word = 5; word <= 6; ++word) {
            bytes memory offsetPastTheEnd = bytes.concat(call);
            bytes memory lengthPastTheEnd = bytes.concat(call);
            uint256 position = 0x20 + 4 + word * 0x20; // memory offset of the head word
            uint256 stringStart = 4 + uint256(bytes32(_slice(call, 4 + word * 0x20)));
            assembly ("memory-safe") {
                mstore(add(offsetPastTheEnd, position), 0xffffff)
                mstore(add(lengthPastTheEnd, add(0x20, stringStart)), 0xffff)
            }
            vm.prank(CLIENT);
            (bool ok, ) = address(reputation).call(offsetPastTheEnd);
            assertFalse(ok, "offset past the end");
            vm.prank(CLIENT);
            (ok, ) = address(reputation).call(lengthPastTheEnd);
            assertFalse(ok, "length past the end");
        }
        vm.prank(CLIENT);
        (bool success, ) = address(reputation).call(call);
        assertTrue(success, "the untouched call");
        assertEq(reputation.getLastIndex(agentId, CLIENT), 1);
    }

    /// "tag1, tag2, endpoint, feedbackURI, and feedbackHash are OPTIONAL."
    function test_giveFeedback_acceptsOnlyValueAndDecimals() public {
        _giveFeedback(CLIENT, agentId, 1, 0);
        _assertFeedback(CLIENT, 1, 1, 0, "", "", false);
    }

    /// "The valueDecimals MUST be between 0 and 18."
    function test_giveFeedback_revertsAbove18Decimals() public {
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistryInvalidValueDecimals.selector, uint8(19))
        );
        _giveFeedback(CLIENT, agentId, 1, 19);
        _giveFeedback(CLIENT, agentId, 1, 18);
        _assertFeedback(CLIENT, 1, 1, 18, "", "", false);
    }

    /// "The feedback submitter MUST NOT be the agent owner or an approved operator for agentId."
    function test_giveFeedback_refusesTheOwnerAndOperators() public {
        address[3] memory selves = [AGENT_OWNER, OPERATOR, APPROVED];
        for (uint256 i = 0; i < selves.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IReputationRegistry.ReputationRegistrySelfFeedback.selector, agentId, selves[i])
            );
            _giveFeedback(selves[i], agentId, 100, 0);
        }
    }

    /// The check uses ownership at the time of the feedback: a former owner is an ordinary client.
    function test_giveFeedback_followsOwnershipChanges() public {
        vm.prank(AGENT_OWNER);
        identity.transferFrom(AGENT_OWNER, CLIENT, agentId);
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistrySelfFeedback.selector, agentId, CLIENT)
        );
        _giveFeedback(CLIENT, agentId, 100, 0);
        _giveFeedback(AGENT_OWNER, agentId, 100, 0);
        assertEq(reputation.getLastIndex(agentId, AGENT_OWNER), 1);
    }

    /// "The agentId must be a validly registered agent."
    function test_giveFeedback_revertsForAnUnknownAgent() public {
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistryNonexistentAgent.selector, uint256(7))
        );
        _giveFeedback(CLIENT, 7, 1, 0);
    }

    function test_giveFeedback_boundsTheValueAt1e38() public {
        int128 max = 1e38;
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistryValueOutOfRange.selector, max + 1)
        );
        _giveFeedback(CLIENT, agentId, max + 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistryValueOutOfRange.selector, type(int128).min)
        );
        _giveFeedback(CLIENT, agentId, type(int128).min, 0);
        _giveFeedback(CLIENT, agentId, max, 0);
        _giveFeedback(CLIENT, agentId, -max, 18);
        _assertFeedback(CLIENT, 1, max, 0, "", "", false);
        _assertFeedback(CLIENT, 2, -max, 18, "", "", false);
    }

    function test_giveFeedback_storesValuesAroundThePackedRange() public {
        int128[6] memory values = [
            int128(type(int64).max),
            int128(type(int64).max) + 1,
            int128(type(int64).min),
            int128(type(int64).min) - 1,
            0,
            -1
        ];
        for (uint256 i = 0; i < values.length; ++i) _giveFeedback(CLIENT, agentId, values[i], uint8(i));
        for (uint256 i = 0; i < values.length; ++i) _assertFeedback(CLIENT, i + 1, values[i], uint8(i), "", "", false);
    }

    function test_giveFeedback_revertsOnATag1LongerThan65535Bytes() public {
        string memory tag = string(new bytes(65_536));
        vm.expectRevert(abi.encodeWithSelector(IReputationRegistry.ReputationRegistryTagTooLong.selector, 65_536));
        _giveFeedback(CLIENT, agentId, 1, 0, tag, "");
    }

    /// "getClients(uint256 agentId)": every client once, in order of first feedback.
    function test_giveFeedback_listsEachClientOnce() public {
        _giveFeedback(CLIENT, agentId, 1, 0);
        _giveFeedback(OTHER_CLIENT, agentId, 1, 0);
        _giveFeedback(CLIENT, agentId, 1, 0);
        address[] memory listed = reputation.getClients(agentId);
        assertEq(listed.length, 2);
        assertEq(listed[0], CLIENT);
        assertEq(listed[1], OTHER_CLIENT);
        assertEq(reputation.getClientCount(agentId), 2);
    }

    // ------------------------------------------------------------------ readFeedback

    function test_readFeedback_revertsForAMissingIndex() public {
        _giveFeedback(CLIENT, agentId, 1, 0);
        for (uint64 index = 0; index < 3; index += 2) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IReputationRegistry.ReputationRegistryNonexistentFeedback.selector,
                    agentId,
                    CLIENT,
                    index
                )
            );
            reputation.readFeedback(agentId, CLIENT, index);
        }
    }

    // ------------------------------------------------------------------ revokeFeedback

    /// "clientAddress can revoke feedback by calling revokeFeedback ... This emits FeedbackRevoked"
    function test_revokeFeedback_marksItRevoked() public {
        _giveFeedback(CLIENT, agentId, 80, 0, "starred", "");
        _giveFeedback(CLIENT, agentId, 90, 0, "starred", "");
        vm.expectEmit(address(reputation));
        emit IReputationRegistry.FeedbackRevoked(agentId, CLIENT, 1);
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, 1);
        _assertFeedback(CLIENT, 1, 80, 0, "starred", "", true);
        _assertFeedback(CLIENT, 2, 90, 0, "starred", "", false);
    }

    function test_revokeFeedback_revertsTwice() public {
        _giveFeedback(CLIENT, agentId, 80, 0);
        vm.startPrank(CLIENT);
        reputation.revokeFeedback(agentId, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryFeedbackAlreadyRevoked.selector,
                agentId,
                CLIENT,
                uint64(1)
            )
        );
        reputation.revokeFeedback(agentId, 1);
        vm.stopPrank();
    }

    /// Only the client revokes its own feedback: another caller has no feedback at that index.
    function test_revokeFeedback_revertsForAnotherCaller() public {
        _giveFeedback(CLIENT, agentId, 80, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryNonexistentFeedback.selector,
                agentId,
                AGENT_OWNER,
                uint64(1)
            )
        );
        vm.prank(AGENT_OWNER);
        reputation.revokeFeedback(agentId, 1);
        _assertFeedback(CLIENT, 1, 80, 0, "", "", false);
    }

    function test_revokeFeedback_revertsForIndexZero() public {
        _giveFeedback(CLIENT, agentId, 80, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryNonexistentFeedback.selector,
                agentId,
                CLIENT,
                uint64(0)
            )
        );
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, 0);
    }

    // ------------------------------------------------------------------ appendResponse

    /// "Anyone (e.g., the agentId showing a refund, any off-chain data intelligence aggregator tagging feedback as
    /// spam) can call appendResponse"
    function test_appendResponse_byAnyoneCountsAndEmits() public {
        _giveFeedback(CLIENT, agentId, 10, 0);
        vm.expectEmit(address(reputation));
        emit IReputationRegistry.ResponseAppended(agentId, CLIENT, 1, AGENT_OWNER, FEEDBACK_URI, FEEDBACK_HASH);
        vm.prank(AGENT_OWNER);
        reputation.appendResponse(agentId, CLIENT, 1, FEEDBACK_URI, FEEDBACK_HASH);
        vm.prank(STRANGER);
        reputation.appendResponse(agentId, CLIENT, 1, "ipfs://spam-tag", bytes32(0));
        vm.prank(STRANGER);
        reputation.appendResponse(agentId, CLIENT, 1, "ipfs://spam-tag-2", bytes32(0));

        address[] memory none = new address[](0);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 1, none), 3);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 1, _clients(STRANGER)), 2);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 1, _clients(AGENT_OWNER, STRANGER)), 3);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 1, _clients(OPERATOR)), 0);
    }

    function test_appendResponse_acceptsRevokedFeedback() public {
        _giveFeedback(CLIENT, agentId, 10, 0);
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, 1);
        vm.prank(AGENT_OWNER);
        reputation.appendResponse(agentId, CLIENT, 1, FEEDBACK_URI, bytes32(0));
        assertEq(reputation.getResponseCount(agentId, CLIENT, 1, new address[](0)), 1);
    }

    function test_appendResponse_revertsForMissingFeedback() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryNonexistentFeedback.selector,
                agentId,
                CLIENT,
                uint64(1)
            )
        );
        vm.prank(AGENT_OWNER);
        reputation.appendResponse(agentId, CLIENT, 1, FEEDBACK_URI, bytes32(0));
    }

    function test_appendResponse_revertsOnAnEmptyURI() public {
        _giveFeedback(CLIENT, agentId, 10, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryEmptyResponseURI.selector,
                agentId,
                CLIENT,
                uint64(1)
            )
        );
        vm.prank(AGENT_OWNER);
        reputation.appendResponse(agentId, CLIENT, 1, "", bytes32(0));
    }

    /// "getResponseCount(...) // agentId is the only mandatory parameter; others are optional filters."
    function test_getResponseCount_filters() public {
        _giveFeedback(CLIENT, agentId, 1, 0);
        _giveFeedback(CLIENT, agentId, 2, 0);
        _giveFeedback(OTHER_CLIENT, agentId, 3, 0);
        _respond(AGENT_OWNER, CLIENT, 1);
        _respond(AGENT_OWNER, CLIENT, 2);
        _respond(STRANGER, CLIENT, 2);
        _respond(STRANGER, OTHER_CLIENT, 1);
        address[] memory all = new address[](0);
        assertEq(reputation.getResponseCount(agentId, address(0), 0, all), 4);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 0, all), 3);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 2, all), 2);
        assertEq(reputation.getResponseCount(agentId, address(0), 0, _clients(STRANGER)), 2);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 0, _clients(STRANGER)), 1);
        assertEq(reputation.getResponseCount(agentId, OTHER_CLIENT, 9, all), 0);
    }

    // ------------------------------------------------------------------ getSummary

    /// "clientAddresses MUST be provided (non-empty); results without filtering by clientAddresses are subject to
    /// Sybil/spam attacks."
    function test_getSummary_requiresClientAddresses() public {
        _giveFeedback(CLIENT, agentId, 10, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistryClientAddressesRequired.selector, agentId)
        );
        reputation.getSummary(agentId, new address[](0), "", "");
    }

    function test_getSummary_isZeroWithoutMatches() public {
        (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(agentId, _clients(CLIENT), "", "");
        assertEq(count, 0);
        assertEq(value, 0);
        assertEq(decimals, 0);
    }

    /// The mean is taken at 18 decimals and reported at the most common decimals of the matches.
    function test_getSummary_meanAtTheMostCommonDecimals() public {
        _giveFeedback(CLIENT, agentId, 9977, 2, "uptime", ""); // 99.77
        _giveFeedback(CLIENT, agentId, 9900, 2, "uptime", ""); // 99.00
        _giveFeedback(OTHER_CLIENT, agentId, 95, 0, "uptime", ""); // 95
        (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(
            agentId,
            _clients(CLIENT, OTHER_CLIENT),
            "uptime",
            ""
        );
        assertEq(count, 3);
        assertEq(decimals, 2);
        assertEq(value, 9792); // (99.77 + 99 + 95) / 3 = 97.9233.. -> 97.92
    }

    function test_getSummary_tieGoesToTheFewestDecimals() public {
        _giveFeedback(CLIENT, agentId, 15, 1); // 1.5
        _giveFeedback(OTHER_CLIENT, agentId, 2, 0); // 2
        (, int128 value, uint8 decimals) = reputation.getSummary(agentId, _clients(CLIENT, OTHER_CLIENT), "", "");
        assertEq(decimals, 0);
        assertEq(value, 1); // 1.75 truncated
    }

    function test_getSummary_truncatesNegativeMeansTowardZero() public {
        _giveFeedback(CLIENT, agentId, -32, 1, "tradingYield", "week"); // -3.2
        _giveFeedback(OTHER_CLIENT, agentId, -5, 1, "tradingYield", "day"); // -0.5
        (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(
            agentId,
            _clients(CLIENT, OTHER_CLIENT),
            "tradingYield",
            ""
        );
        assertEq(count, 2);
        assertEq(decimals, 1);
        assertEq(value, -18); // -1.85 -> -1.8
        (count, value, ) = reputation.getSummary(agentId, _clients(CLIENT, OTHER_CLIENT), "tradingYield", "week");
        assertEq(count, 1);
        assertEq(value, -32);
        (count, , ) = reputation.getSummary(agentId, _clients(CLIENT, OTHER_CLIENT), "", "day");
        assertEq(count, 1);
    }

    function test_getSummary_skipsRevokedFeedback() public {
        _giveFeedback(CLIENT, agentId, 0, 0);
        _giveFeedback(CLIENT, agentId, 100, 0);
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, 1);
        (uint64 count, int128 value, ) = reputation.getSummary(agentId, _clients(CLIENT), "", "");
        assertEq(count, 1);
        assertEq(value, 100);
    }

    function test_getSummary_onlyCountsListedClients() public {
        _giveFeedback(CLIENT, agentId, 10, 0);
        _giveFeedback(OTHER_CLIENT, agentId, 1000, 0);
        (uint64 count, int128 value, ) = reputation.getSummary(agentId, _clients(CLIENT), "", "");
        assertEq(count, 1);
        assertEq(value, 10);
    }

    /// As in the canonical registries, a client listed twice counts twice (callers de-duplicate).
    function test_getSummary_countsARepeatedClientTwice() public {
        _giveFeedback(CLIENT, agentId, 10, 0);
        _giveFeedback(OTHER_CLIENT, agentId, 40, 0);
        (uint64 count, int128 value, ) = reputation.getSummary(agentId, _clients(CLIENT, CLIENT), "", "");
        assertEq(count, 2);
        assertEq(value, 10);
    }

    /// The canonical registries convert the mean with an explicit `int128(...)`, which keeps the low 128 bits: a mean
    /// beyond int128 is answered (wrapped), not reverted, and so it is here.
    function test_getSummary_wrapsAMeanBeyondInt128AsTheCanonicalRegistries() public {
        int128 max = 1e38;
        _giveFeedback(CLIENT, agentId, max, 0); // 1e38 units
        _giveFeedback(OTHER_CLIENT, agentId, 1, 18); // the mode: 18 decimals
        _giveFeedback(OTHER_CLIENT, agentId, 1, 18);
        // mean = (1e56 + 2) / 3 at 18 decimals, far beyond int128: reduced modulo 2**128 into the signed range.
        int256 mean = (int256(max) * 1e18 + 2) / 3;
        int256 wrapped = mean % 2 ** 128;
        if (wrapped >= 2 ** 127) wrapped -= 2 ** 128;
        (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(
            agentId,
            _clients(CLIENT, OTHER_CLIENT),
            "",
            ""
        );
        assertEq(count, 3);
        assertEq(int256(value), wrapped);
        assertEq(decimals, 18);
        assertTrue(int256(value) != mean, "the mean did not fit");
    }

    // ------------------------------------------------------------------ views without feedback (canonical answers)

    /// The canonical views read storage without existence checks: an agent nobody reviewed (or that does not exist)
    /// answers with empty values, never a revert, except `getSummary` without clients and `readFeedback` of an index
    /// that was never given (both revert there too).
    function test_views_answerEmptyValuesWithoutFeedback() public {
        uint256 unknownAgent = agentId + 1000;
        for (uint256 round = 0; round < 2; ++round) {
            uint256 id = round == 0 ? agentId : unknownAgent;
            assertEq(reputation.getClients(id).length, 0);
            assertEq(reputation.getLastIndex(id, CLIENT), 0);
            assertEq(reputation.getResponseCount(id, address(0), 0, new address[](0)), 0);
            assertEq(reputation.getResponseCount(id, CLIENT, 0, new address[](0)), 0);
            assertEq(reputation.getResponseCount(id, CLIENT, 7, _clients(OTHER_CLIENT)), 0);
            (uint64 count, int128 value, uint8 decimals) = reputation.getSummary(id, _clients(CLIENT), "", "");
            assertEq(count, 0);
            assertEq(value, 0);
            assertEq(decimals, 0);
            (address[] memory who, uint64[] memory indexes, , , , , bool[] memory revoked) = reputation.readAllFeedback(
                id,
                new address[](0),
                "",
                "",
                true
            );
            assertEq(who.length, 0);
            assertEq(indexes.length, 0);
            assertEq(revoked.length, 0);
            (who, , , , , , ) = reputation.readAllFeedback(id, _clients(CLIENT, OTHER_CLIENT), "t", "", false);
            assertEq(who.length, 0);
        }
    }

    /// `getResponseCount` of a feedback index past the client's last one reads the (empty) counters: 0, as the
    /// canonical registry answers, while `readFeedback` of it reverts in both.
    function test_getResponseCount_isZeroForAMissingIndex() public {
        _giveFeedback(CLIENT, agentId, 80, 0);
        _respond(OTHER_CLIENT, CLIENT, 1);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 1, new address[](0)), 1);
        assertEq(reputation.getResponseCount(agentId, CLIENT, 2, new address[](0)), 0);
        assertEq(reputation.getResponseCount(agentId, CLIENT, type(uint64).max, _clients(OTHER_CLIENT)), 0);
        assertEq(reputation.getResponseCount(agentId, OTHER_CLIENT, 1, new address[](0)), 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryNonexistentFeedback.selector,
                agentId,
                CLIENT,
                uint64(2)
            )
        );
        reputation.readFeedback(agentId, CLIENT, 2);
    }

    // ------------------------------------------------------------------ readAllFeedback

    /// "readAllFeedback(...) // agentId is the only mandatory parameter; others are optional filters. Revoked
    /// feedback are omitted by default."
    function test_readAllFeedback_filtersAndOmitsRevoked() public {
        _giveFeedback(CLIENT, agentId, 1, 0, "starred", "");
        _giveFeedback(CLIENT, agentId, 2, 0, "uptime", "");
        _giveFeedback(OTHER_CLIENT, agentId, 3, 0, "starred", "x");
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, 1);

        (
            address[] memory who,
            uint64[] memory indexes,
            int128[] memory values,
            ,
            ,
            ,
            bool[] memory revoked
        ) = reputation.readAllFeedback(agentId, new address[](0), "", "", false);
        assertEq(who.length, 2);
        assertEq(who[0], CLIENT);
        assertEq(indexes[0], 2);
        assertEq(values[0], 2);
        assertEq(who[1], OTHER_CLIENT);
        assertFalse(revoked[1]);

        (who, indexes, values, , , , revoked) = reputation.readAllFeedback(
            agentId,
            new address[](0),
            "starred",
            "",
            true
        );
        assertEq(who.length, 2);
        assertEq(indexes[0], 1);
        assertTrue(revoked[0]);
        assertEq(values[1], 3);

        string[] memory tag2s;
        (who, , , , , tag2s, ) = reputation.readAllFeedback(agentId, _clients(OTHER_CLIENT), "", "x", false);
        assertEq(who.length, 1);
        assertEq(tag2s[0], "x");
    }

    // ------------------------------------------------------------------ pagination

    function test_getClientsPaginated_slicesTheList() public {
        address[5] memory many = [address(0x1001), address(0x1002), address(0x1003), address(0x1004), address(0x1005)];
        for (uint256 i = 0; i < many.length; ++i) _giveFeedback(many[i], agentId, 1, 0);
        address[] memory page = reputation.getClientsPaginated(agentId, 1, 2);
        assertEq(page.length, 2);
        assertEq(page[0], many[1]);
        assertEq(page[1], many[2]);
        page = reputation.getClientsPaginated(agentId, 3, 10);
        assertEq(page.length, 2);
        assertEq(page[1], many[4]);
        assertEq(reputation.getClientsPaginated(agentId, 5, 1).length, 0);
        assertEq(reputation.getClientsPaginated(agentId, 0, type(uint256).max).length, 5);
    }

    function test_readClientFeedbackPaginated_slicesOneClient() public {
        for (uint256 i = 1; i <= 7; ++i) _giveFeedback(CLIENT, agentId, int128(int256(i)), 0, "t", "");
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, 5);
        IReputationRegistry.Feedback[] memory page = reputation.readClientFeedbackPaginated(agentId, CLIENT, 4, 3);
        assertEq(page.length, 3);
        assertEq(page[0].value, 4);
        assertTrue(page[1].isRevoked);
        assertEq(page[2].value, 6);
        assertEq(page[2].tag1, "t");
        assertEq(reputation.readClientFeedbackPaginated(agentId, CLIENT, 0, 100).length, 7);
        assertEq(reputation.readClientFeedbackPaginated(agentId, CLIENT, 8, 100).length, 0);
    }

    function test_getResponseCountPaginated_slicesTheClients() public {
        _giveFeedback(CLIENT, agentId, 1, 0);
        _giveFeedback(CLIENT, agentId, 2, 0);
        _giveFeedback(OTHER_CLIENT, agentId, 3, 0);
        _giveFeedback(VALIDATOR, agentId, 4, 0);
        _respond(AGENT_OWNER, CLIENT, 1);
        _respond(STRANGER, CLIENT, 2);
        _respond(STRANGER, OTHER_CLIENT, 1);
        _respond(AGENT_OWNER, VALIDATOR, 1);
        _respond(STRANGER, VALIDATOR, 1);
        address[] memory all = new address[](0);
        assertEq(reputation.getResponseCountPaginated(agentId, 0, 1, all), 2); // CLIENT
        assertEq(reputation.getResponseCountPaginated(agentId, 1, 2, all), 3); // OTHER_CLIENT, VALIDATOR
        assertEq(reputation.getResponseCountPaginated(agentId, 1, 2, _clients(STRANGER)), 2);
        assertEq(reputation.getResponseCountPaginated(agentId, 2, 100, all), 2);
        assertEq(reputation.getResponseCountPaginated(agentId, 3, 1, all), 0);
        assertEq(reputation.getResponseCountPaginated(agentId, 0, 0, all), 0);
        assertEq(
            reputation.getResponseCountPaginated(agentId, 0, type(uint256).max, all),
            reputation.getResponseCount(agentId, address(0), 0, all)
        );
    }

    function test_getSummaryPaginated_requiresClientAddresses() public {
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistryClientAddressesRequired.selector, agentId)
        );
        reputation.getSummaryPaginated(agentId, new address[](0), "", "", 1, 10);
    }

    /// Index windows of one client: totals per window, across a storage page boundary (three records a slot).
    function test_getSummaryPaginated_windowsTheFeedbackIndexes() public {
        for (uint256 i = 1; i <= 7; ++i) _giveFeedback(CLIENT, agentId, int128(int256(i)), i == 6 ? 1 : 0, "t", "");
        vm.prank(CLIENT);
        reputation.revokeFeedback(agentId, 5);

        IReputationRegistry.SummaryTotals memory page = reputation.getSummaryPaginated(
            agentId,
            _clients(CLIENT),
            "",
            "",
            3,
            4
        ); // indexes 3, 4, 6 (5 revoked)
        assertEq(page.count, 3);
        assertEq(page.valueSum, (3 + 4) * 1e18 + 6 * 1e17);
        assertEq(page.decimalCounts[0], 2);
        assertEq(page.decimalCounts[1], 1);

        page = reputation.getSummaryPaginated(agentId, _clients(CLIENT), "t", "", 0, 2); // 0 is read as 1
        assertEq(page.count, 2);
        assertEq(page.valueSum, 3e18);
        page = reputation.getSummaryPaginated(agentId, _clients(CLIENT), "", "", 7, 100); // clamped at 7
        assertEq(page.count, 1);
        page = reputation.getSummaryPaginated(agentId, _clients(CLIENT), "", "", 8, 100);
        assertEq(page.count, 0);
        page = reputation.getSummaryPaginated(agentId, _clients(CLIENT), "", "other", 1, 100);
        assertEq(page.count, 0);
    }

    /// Pages over clients and index windows add up, and summarizeTotals of the sum is getSummary.
    function test_getSummaryPaginated_pagesCombineToGetSummary() public {
        for (uint256 i = 1; i <= 5; ++i) _giveFeedback(CLIENT, agentId, int128(int256(i * 100)), 2);
        _giveFeedback(OTHER_CLIENT, agentId, -7, 0);
        _giveFeedback(OTHER_CLIENT, agentId, 3, 1);
        address[] memory listed = _clients(CLIENT, OTHER_CLIENT);

        IReputationRegistry.SummaryTotals memory sum;
        for (uint64 fromIndex = 1; fromIndex <= 5; fromIndex += 2) {
            _add(sum, reputation.getSummaryPaginated(agentId, _clients(CLIENT), "", "", fromIndex, 2));
        }
        _add(sum, reputation.getSummaryPaginated(agentId, _clients(OTHER_CLIENT), "", "", 1, 100));

        (uint64 count, int128 value, uint8 decimals) = reputation.summarizeTotals(sum);
        (uint64 wantCount, int128 wantValue, uint8 wantDecimals) = reputation.getSummary(agentId, listed, "", "");
        assertEq(count, 7);
        assertEq(count, wantCount);
        assertEq(value, wantValue);
        assertEq(decimals, wantDecimals);
    }

    function test_summarizeTotals_isZeroWithoutEntries() public view {
        IReputationRegistry.SummaryTotals memory none;
        (uint64 count, int128 value, uint8 decimals) = reputation.summarizeTotals(none);
        assertEq(count, 0);
        assertEq(value, 0);
        assertEq(decimals, 0);
    }

    function test_summarizeTotals_rejectsInconsistentTotals() public {
        IReputationRegistry.SummaryTotals memory totals;
        totals.count = 3;
        totals.valueSum = 3e18;
        totals.decimalCounts[0] = 1;
        totals.decimalCounts[18] = 1;
        vm.expectRevert(
            abi.encodeWithSelector(IReputationRegistry.ReputationRegistryInconsistentTotals.selector, 3, 2)
        );
        reputation.summarizeTotals(totals);

        totals.count = uint256(type(uint64).max) + 1;
        totals.decimalCounts[18] = totals.count - 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IReputationRegistry.ReputationRegistryTotalsCountOverflow.selector,
                uint256(type(uint64).max) + 1
            )
        );
        reputation.summarizeTotals(totals);
    }

    function test_summarizeTotals_wrapsAMeanBeyondInt128AsGetSummary() public view {
        IReputationRegistry.SummaryTotals memory totals;
        totals.count = 1;
        totals.valueSum = 2e38 * 1e18;
        totals.decimalCounts[0] = 1;
        (uint64 count, int128 value, uint8 decimals) = reputation.summarizeTotals(totals);
        assertEq(count, 1);
        // 2e38 is above int128's max (about 1.7e38): its low 128 bits read as 2e38 - 2**128.
        assertEq(int256(value), int256(2e38) - int256(2 ** 128));
        assertEq(decimals, 0);
    }

    /// @dev `sum += page`, field by field.
    function _add(
        IReputationRegistry.SummaryTotals memory sum,
        IReputationRegistry.SummaryTotals memory page
    ) internal pure {
        sum.count += page.count;
        sum.valueSum += page.valueSum;
        for (uint256 d = 0; d <= 18; ++d) sum.decimalCounts[d] += page.decimalCounts[d];
    }

    // ------------------------------------------------------------------ helpers

    /// @dev The 32 bytes of `data` at `offset`.
    function _slice(bytes memory data, uint256 offset) internal pure returns (bytes32 word) {
        assembly ("memory-safe") {
            word := mload(add(add(data, 0x20), offset))
        }
    }

    function _respond(address responder, address client, uint64 index) internal {
        vm.prank(responder);
        reputation.appendResponse(agentId, client, index, FEEDBACK_URI, bytes32(0));
    }

    function _assertFeedback(
        address client,
        uint256 index,
        int128 value,
        uint8 decimals,
        string memory tag1,
        string memory tag2,
        bool revoked
    ) internal view {
        (int128 v, uint8 d, string memory t1, string memory t2, bool r) = reputation.readFeedback(
            agentId,
            client,
            uint64(index)
        );
        assertEq(v, value, "value");
        assertEq(d, decimals, "decimals");
        assertEq(t1, tag1);
        assertEq(t2, tag2);
        assertEq(r, revoked);
    }
}
