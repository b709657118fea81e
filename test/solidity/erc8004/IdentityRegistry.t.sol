// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IdentityRegistry} from "../../../contracts/erc8004/IdentityRegistry.sol";
import {IIdentityRegistry} from "../../../contracts/interfaces/IIdentityRegistry.sol";
import {ERC1271WalletMock} from "../../../contracts/mocks/ERC1271WalletMock.sol";
import {Vm, vm} from "../utils/Vm.sol";
import {ERC8004Fixture} from "./ERC8004Fixture.sol";

contract IdentityRegistryTest is ERC8004Fixture {
    // Pinned EIP-712 constants (recomputed in the test, never read from the registry).
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant AGENT_WALLET_SET_TYPEHASH =
        0x678b53cd718d595370ab070ebf48edfdcd834beac116bf23e625fc7f4d5b7d32;
    bytes32 internal constant METADATA_SET_TOPIC = keccak256("MetadataSet(uint256,string,string,bytes)");
    bytes32 internal constant REGISTERED_TOPIC = keccak256("Registered(uint256,string,address)");
    bytes32 internal constant TRANSFER_TOPIC = keccak256("Transfer(address,address,uint256)");

    uint256 internal constant WALLET_KEY = 0xA11CE;
    uint256 internal constant OTHER_KEY = 0xB0B;

    function _walletDigest(
        uint256 id,
        address wallet,
        address owner,
        uint256 deadline
    ) internal view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256("ERC8004IdentityRegistry"),
                keccak256("1"),
                block.chainid,
                address(identity)
            )
        );
        bytes32 structHash = keccak256(abi.encode(AGENT_WALLET_SET_TYPEHASH, id, wallet, owner, deadline));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _walletSignature(uint256 key, uint256 id, uint256 deadline) internal view returns (bytes memory) {
        return _sign(key, _walletDigest(id, vm.addr(key), identity.ownerOf(id), deadline));
    }

    // ------------------------------------------------------------------ setup and introspection

    function test_initialize_setsNameSymbolOwnerAndDomain() public view {
        assertEq(identity.name(), "AgentIdentity");
        assertEq(identity.symbol(), "AGENT");
        assertEq(identity.owner(), REGISTRY_OWNER);
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, , ) = identity
            .eip712Domain();
        assertEq(name, "ERC8004IdentityRegistry");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(identity));
        assertEq(identity.AGENT_WALLET_SET_TYPEHASH(), AGENT_WALLET_SET_TYPEHASH);
        assertEq(
            AGENT_WALLET_SET_TYPEHASH,
            keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)")
        );
    }

    function test_initialize_revertsOnSecondCall() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        identity.initialize(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        identity.initialize();
    }

    function test_initialize_revertsOnImplementation() public {
        IdentityRegistry implementation = new IdentityRegistry();
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        implementation.initialize(STRANGER);
    }

    function test_initialize_withoutArgumentMakesTheCallerOwner() public {
        address implementation = address(new IdentityRegistry());
        vm.prank(STRANGER);
        IdentityRegistry registry = IdentityRegistry(
            address(new ERC1967Proxy(implementation, abi.encodeWithSignature("initialize()")))
        );
        assertEq(registry.owner(), STRANGER);
    }

    function test_storage_usesTheErc7201Namespace() public view {
        // nextAgentId is the first field of the namespaced struct: one agent was registered in setUp.
        assertEq(uint256(vm.load(address(identity), _erc7201("x402kit.erc8004.identity"))), 1);
    }

    function test_supportsInterface_erc721And4906() public view {
        assertTrue(identity.supportsInterface(type(IERC721).interfaceId));
        assertTrue(identity.supportsInterface(0x49064906));
        assertTrue(identity.supportsInterface(0x01ffc9a7));
        assertFalse(identity.supportsInterface(0xffffffff));
    }

    function test_getVersion_isCanonicalMajor() public view {
        assertEq(identity.getVersion(), "2.0.0+x402kit");
    }

    // ------------------------------------------------------------------ register

    /// "agentId: The ERC-721 tokenId assigned incrementally by the registry" (the first id is 0, as in the
    /// canonical registries).
    function test_register_assignsIncrementalIdsFromZero() public {
        assertEq(agentId, 0);
        assertEq(_register(STRANGER), 1);
        vm.prank(STRANGER);
        assertEq(identity.register(), 2);
        assertEq(identity.ownerOf(2), STRANGER);
        assertEq(identity.balanceOf(STRANGER), 2);
    }

    /// "The agentURI MUST resolve to the agent registration file." (tokenURI is the agentURI.)
    function test_register_storesTheAgentURIAsTokenURI() public view {
        assertEq(identity.tokenURI(agentId), AGENT_URI);
    }

    /// "// agentURI is added later with setAgentURI()"
    function test_register_withoutURILeavesItEmpty() public {
        vm.prank(STRANGER);
        uint256 id = identity.register();
        assertEq(identity.tokenURI(id), "");
    }

    /// "This emits one Transfer event, one MetadataSet event for the reserved agentWallet key, one MetadataSet
    /// event for each additional metadata entry (if any), and Registered"
    function test_register_emitsTransferRegisteredAndMetadataSet() public {
        IIdentityRegistry.MetadataEntry[] memory entries = new IIdentityRegistry.MetadataEntry[](2);
        entries[0] = IIdentityRegistry.MetadataEntry("category", hex"01");
        entries[1] = IIdentityRegistry.MetadataEntry("ens", bytes("agent.eth"));
        vm.recordLogs();
        vm.prank(STRANGER);
        uint256 id = identity.register(AGENT_URI, entries);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(logs.length, 6);
        assertEq(logs[0].topics[0], TRANSFER_TOPIC);
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(STRANGER))));
        assertEq(logs[0].topics[3], bytes32(id));
        // ERC-4906, where the canonical registries' _setTokenURI emits it.
        assertEq(logs[1].topics[0], IERC4906.MetadataUpdate.selector);
        assertEq(logs[1].data, abi.encode(id));
        assertEq(logs[2].topics[0], REGISTERED_TOPIC);
        assertEq(logs[2].topics[1], bytes32(id));
        assertEq(logs[2].topics[2], bytes32(uint256(uint160(STRANGER))));
        assertEq(abi.decode(logs[2].data, (string)), AGENT_URI);
        _assertMetadataSet(logs[3], id, "agentWallet", abi.encodePacked(STRANGER));
        _assertMetadataSet(logs[4], id, "category", hex"01");
        _assertMetadataSet(logs[5], id, "ens", bytes("agent.eth"));
        for (uint256 i = 0; i < logs.length; ++i) assertEq(logs[i].emitter, address(identity));
    }

    /// ERC-4906: "the MetadataUpdate event SHOULD be emitted when the metadata of a token is changed"; the canonical
    /// registries emit it from _setTokenURI at register(uri), and so do we, for a non-empty URI only.
    function test_register_emitsMetadataUpdateOnlyForANonEmptyURI() public {
        bytes32 topic = IERC4906.MetadataUpdate.selector;
        vm.recordLogs();
        vm.prank(STRANGER);
        uint256 id = identity.register(AGENT_URI);
        Vm.Log[] memory withURI = vm.getRecordedLogs();
        assertEq(withURI.length, 4); // Transfer, MetadataUpdate, Registered, MetadataSet
        assertEq(withURI[1].emitter, address(identity));
        assertEq(withURI[1].topics[0], topic);
        assertEq(withURI[1].data, abi.encode(id));

        vm.recordLogs();
        vm.startPrank(STRANGER);
        identity.register();
        identity.register("");
        identity.register("", new IIdentityRegistry.MetadataEntry[](0));
        vm.stopPrank();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 9); // Transfer, Registered, MetadataSet each
        for (uint256 i = 0; i < logs.length; ++i) assertTrue(logs[i].topics[0] != topic, "no MetadataUpdate");
    }

    function test_register_withMetadataStoresEveryEntry() public {
        IIdentityRegistry.MetadataEntry[] memory entries = new IIdentityRegistry.MetadataEntry[](2);
        entries[0] = IIdentityRegistry.MetadataEntry("category", hex"0102");
        entries[1] = IIdentityRegistry.MetadataEntry("description", bytes(AGENT_URI));
        vm.prank(STRANGER);
        uint256 id = identity.register("", entries);
        assertEq(identity.getMetadata(id, "category"), hex"0102");
        assertEq(identity.getMetadata(id, "description"), bytes(AGENT_URI));
        assertEq(identity.getMetadata(id, "unset"), "");
    }

    /// "The key agentWallet is reserved and cannot be set via setMetadata() or during register() (including the
    /// metadata array overload)."
    function test_register_revertsOnReservedKey() public {
        IIdentityRegistry.MetadataEntry[] memory entries = new IIdentityRegistry.MetadataEntry[](1);
        entries[0] = IIdentityRegistry.MetadataEntry("agentWallet", abi.encodePacked(STRANGER));
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryReservedMetadataKey.selector, "agentWallet")
        );
        vm.prank(STRANGER);
        identity.register(AGENT_URI, entries);
    }

    function test_register_revertsForAContractThatRejectsTokens() public {
        // This test contract has code and no onERC721Received.
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(this)));
        identity.register();
    }

    // ------------------------------------------------------------------ agentURI

    /// "The agentURI can be updated by calling the following function, which emits a URIUpdated event"
    function test_setAgentURI_byOwnerOperatorOrApproved() public {
        address[3] memory managers = [AGENT_OWNER, OPERATOR, APPROVED];
        string[3] memory uris = ["https://agent.example/a.json", "ipfs://b", "data:application/json;base64,e30="];
        for (uint256 i = 0; i < managers.length; ++i) {
            string memory uri = uris[i];
            vm.expectEmit(address(identity));
            emit IIdentityRegistry.URIUpdated(agentId, uri, managers[i]);
            vm.expectEmit(address(identity));
            emit IERC4906.MetadataUpdate(agentId);
            vm.prank(managers[i]);
            identity.setAgentURI(agentId, uri);
            assertEq(identity.tokenURI(agentId), uri);
        }
    }

    function test_setAgentURI_revertsForStranger() public {
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryUnauthorized.selector, agentId, STRANGER)
        );
        vm.prank(STRANGER);
        identity.setAgentURI(agentId, "ipfs://hijack");
    }

    /// "If the owner wants to store the entire registration file on-chain, the agentURI SHOULD use a base64-encoded
    /// data URI" (long values take many slots; a shorter rewrite must not leak the old tail).
    function test_setAgentURI_longThenShorter() public {
        string memory long = string.concat("data:application/json;base64,", _repeat("eyJ0eXBlIjoi", 70));
        vm.startPrank(AGENT_OWNER);
        identity.setAgentURI(agentId, long);
        assertEq(identity.tokenURI(agentId), long);
        identity.setAgentURI(agentId, "ipfs://short");
        assertEq(identity.tokenURI(agentId), "ipfs://short");
        identity.setAgentURI(agentId, "");
        assertEq(identity.tokenURI(agentId), "");
        vm.stopPrank();
    }

    function testFuzz_setAgentURI_roundTrips(bytes memory first, bytes memory second) public {
        vm.startPrank(AGENT_OWNER);
        identity.setAgentURI(agentId, string(first));
        assertEq(bytes(identity.tokenURI(agentId)), first);
        identity.setAgentURI(agentId, string(second));
        assertEq(bytes(identity.tokenURI(agentId)), second);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ metadata

    function test_setMetadata_storesAndEmits() public {
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.MetadataSet(agentId, "x402Support", "x402Support", hex"01");
        vm.prank(OPERATOR);
        identity.setMetadata(agentId, "x402Support", hex"01");
        assertEq(identity.getMetadata(agentId, "x402Support"), hex"01");
    }

    /// "The key agentWallet is reserved and cannot be set via setMetadata()"
    function test_setMetadata_revertsOnReservedKey() public {
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryReservedMetadataKey.selector, "agentWallet")
        );
        vm.prank(AGENT_OWNER);
        identity.setMetadata(agentId, "agentWallet", abi.encodePacked(STRANGER));
    }

    function test_setMetadata_revertsForStranger() public {
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryUnauthorized.selector, agentId, STRANGER)
        );
        vm.prank(STRANGER);
        identity.setMetadata(agentId, "k", hex"00");
    }

    function testFuzz_setMetadata_roundTrips(string memory key, bytes memory first, bytes memory second) public {
        vm.assume(keccak256(bytes(key)) != keccak256("agentWallet"));
        vm.startPrank(AGENT_OWNER);
        identity.setMetadata(agentId, key, first);
        assertEq(identity.getMetadata(agentId, key), first);
        identity.setMetadata(agentId, key, second);
        assertEq(identity.getMetadata(agentId, key), second);
        vm.stopPrank();
        // Other keys and other agents are untouched.
        assertEq(identity.getMetadata(agentId, string.concat(key, "#")), "");
    }

    /// A 32-byte value that is not all zero (a hash, an id, an ABI word) takes one slot, its word slot, and leaves the
    /// {CompactBytes} record empty; any other value takes the record.
    function test_setMetadata_storesA32ByteWordInOneSlot() public {
        bytes32 word = keccak256("a 32-byte value");
        vm.prank(AGENT_OWNER);
        identity.setMetadata(agentId, "hash", abi.encodePacked(word));
        assertEq(vm.load(address(identity), _metadataWordSlot(agentId, "hash")), word);
        assertEq(vm.load(address(identity), _metadataSlot(agentId, "hash")), bytes32(0));
        assertEq(identity.getMetadata(agentId, "hash"), abi.encodePacked(word));
        // 32 zero bytes go to the record (a zero word slot means "no word"), with their length.
        vm.prank(AGENT_OWNER);
        identity.setMetadata(agentId, "zeros", new bytes(32));
        assertEq(vm.load(address(identity), _metadataWordSlot(agentId, "zeros")), bytes32(0));
        assertEq(vm.load(address(identity), _metadataSlot(agentId, "zeros")), bytes32(uint256(32)));
        assertEq(identity.getMetadata(agentId, "zeros"), new bytes(32));
    }

    /// Whatever the order of word, non-word and empty values written to one key, it reads back the last one.
    function test_setMetadata_switchesBetweenWordAndOtherValues() public {
        bytes32 word = keccak256("word");
        bytes[6] memory sequence = [
            abi.encodePacked(word),
            bytes("short"),
            abi.encodePacked(keccak256("other word")),
            bytes(""),
            abi.encodePacked(word),
            bytes(_repeat("0123456789", 7))
        ];
        vm.startPrank(AGENT_OWNER);
        for (uint256 i = 0; i < sequence.length; ++i) {
            identity.setMetadata(agentId, "k", sequence[i]);
            assertEq(identity.getMetadata(agentId, "k"), sequence[i]);
        }
        // And back to a word after a long value, then to empty: nothing stale shows through.
        identity.setMetadata(agentId, "k", abi.encodePacked(word));
        assertEq(identity.getMetadata(agentId, "k"), abi.encodePacked(word));
        identity.setMetadata(agentId, "k", "");
        assertEq(identity.getMetadata(agentId, "k"), "");
        assertEq(vm.load(address(identity), _metadataWordSlot(agentId, "k")), bytes32(0));
        vm.stopPrank();
    }

    /// A registration list that names a key twice keeps the last value, in either order of word and non-word.
    function test_register_withARepeatedKeyKeepsTheLastValue() public {
        IIdentityRegistry.MetadataEntry[] memory entries = new IIdentityRegistry.MetadataEntry[](4);
        entries[0] = IIdentityRegistry.MetadataEntry("a", abi.encodePacked(keccak256("w")));
        entries[1] = IIdentityRegistry.MetadataEntry("a", hex"0102");
        entries[2] = IIdentityRegistry.MetadataEntry("b", hex"0102");
        entries[3] = IIdentityRegistry.MetadataEntry("b", abi.encodePacked(keccak256("w")));
        vm.prank(STRANGER);
        uint256 id = identity.register(AGENT_URI, entries);
        assertEq(identity.getMetadata(id, "a"), hex"0102");
        assertEq(identity.getMetadata(id, "b"), abi.encodePacked(keccak256("w")));
    }

    /// Any sequence of values of the shapes that matter (empty, word, 32 zero bytes, shorter, longer) reads back the
    /// last one written, on the key written and no other.
    function testFuzz_setMetadata_readsTheLastOfAnySequence(uint256 seed) public {
        vm.startPrank(AGENT_OWNER);
        for (uint256 i = 0; i < 5; ++i) {
            uint256 pick = (seed >> (i * 8)) % 6;
            bytes32 random = keccak256(abi.encode(seed, i));
            bytes memory value =
                pick == 0
                    ? bytes("")
                    : pick == 1
                        ? abi.encodePacked(random)
                        : pick == 2
                            ? new bytes(32)
                            : pick == 3
                                ? abi.encodePacked(bytes31(random))
                                : pick == 4
                                    ? abi.encodePacked(random, bytes1(0x01))
                                    : abi.encodePacked(random, random, random);
            identity.setMetadata(agentId, "k", value);
            assertEq(identity.getMetadata(agentId, "k"), value);
            assertEq(identity.getMetadata(agentId, "k#"), "");
        }
        vm.stopPrank();
    }

    function test_compactBytes_storesTheURIInThreeSlots() public view {
        // 72 bytes: 28 in the head slot with the length, 44 in two tail slots (Solidity's layout needs four).
        bytes memory uri = bytes(AGENT_URI);
        assertEq(uri.length, 72);
        bytes32 head = vm.load(address(identity), _uriSlot(agentId));
        assertEq(uint256(head) & 0xffffffff, uri.length);
        assertEq(bytes28(head), bytes28(bytes32(_wordAt(uri, 0))));
        assertEq(vm.load(address(identity), bytes32(uint256(_uriSlot(agentId)) + 1)), _wordAt(uri, 28));
        // The last word keeps the 12 remaining bytes, zero-padded.
        assertEq(vm.load(address(identity), bytes32(uint256(_uriSlot(agentId)) + 2)), _wordAt(uri, 60));
    }

    // ------------------------------------------------------------------ agent wallet

    /// "It represents the address where the agent receives payments and is initially set to the owner's address."
    function test_getAgentWallet_isTheOwnerAfterRegistration() public view {
        assertEq(identity.getAgentWallet(agentId), AGENT_OWNER);
        assertEq(identity.getMetadata(agentId, "agentWallet"), abi.encodePacked(AGENT_OWNER));
    }

    /// "To change it, the agent owner must prove control of the new wallet by providing a valid EIP-712 signature
    /// for EOAs"
    function test_setAgentWallet_acceptsAnEoaSignature() public {
        address wallet = vm.addr(WALLET_KEY);
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.MetadataSet(agentId, "agentWallet", "agentWallet", abi.encodePacked(wallet));
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, wallet, deadline, signature);
        assertEq(identity.getAgentWallet(agentId), wallet);
        assertEq(identity.getMetadata(agentId, "agentWallet"), abi.encodePacked(wallet));
    }

    /// ERC-2098 64-byte signatures are refused, as by the canonical registries (OpenZeppelin's `tryRecover`).
    function test_setAgentWallet_refusesACompactSignature() public {
        address wallet = vm.addr(WALLET_KEY);
        uint256 deadline = block.timestamp;
        (bytes32 r, bytes32 vs) = vm.signCompact(WALLET_KEY, _walletDigest(agentId, wallet, AGENT_OWNER, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryInvalidWalletSignature.selector, agentId, wallet)
        );
        vm.prank(APPROVED);
        identity.setAgentWallet(agentId, wallet, deadline, abi.encodePacked(r, vs));
    }

    /// "or ERC-1271 for smart contract wallets"
    function test_setAgentWallet_acceptsAnErc1271Wallet() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(vm.addr(WALLET_KEY), false);
        uint256 deadline = block.timestamp + 300;
        bytes memory signature = _sign(WALLET_KEY, _walletDigest(agentId, address(wallet), AGENT_OWNER, deadline));
        vm.prank(OPERATOR);
        identity.setAgentWallet(agentId, address(wallet), deadline, signature);
        assertEq(identity.getAgentWallet(agentId), address(wallet));
    }

    function test_setAgentWallet_revertsWhenTheErc1271WalletRefuses() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(vm.addr(WALLET_KEY), true);
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _sign(WALLET_KEY, _walletDigest(agentId, address(wallet), AGENT_OWNER, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(
                IIdentityRegistry.IdentityRegistryInvalidWalletSignature.selector,
                agentId,
                address(wallet)
            )
        );
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, address(wallet), deadline, signature);
    }

    function test_setAgentWallet_revertsOnAnotherSigner() public {
        address wallet = vm.addr(WALLET_KEY);
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _sign(OTHER_KEY, _walletDigest(agentId, wallet, AGENT_OWNER, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryInvalidWalletSignature.selector, agentId, wallet)
        );
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, wallet, deadline, signature);
    }

    function test_setAgentWallet_revertsForASignatureOfAnotherAgent() public {
        uint256 otherAgent = _register(AGENT_OWNER);
        address wallet = vm.addr(WALLET_KEY);
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _walletSignature(WALLET_KEY, otherAgent, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryInvalidWalletSignature.selector, agentId, wallet)
        );
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, wallet, deadline, signature);
    }

    function test_setAgentWallet_revertsForASignatureBoundToAPreviousOwner() public {
        address wallet = vm.addr(WALLET_KEY);
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.prank(AGENT_OWNER);
        identity.transferFrom(AGENT_OWNER, STRANGER, agentId);
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryInvalidWalletSignature.selector, agentId, wallet)
        );
        vm.prank(STRANGER);
        identity.setAgentWallet(agentId, wallet, deadline, signature);
    }

    function test_setAgentWallet_revertsAfterTheDeadline() public {
        address wallet = vm.addr(WALLET_KEY);
        uint256 deadline = block.timestamp - 1;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIdentityRegistry.IdentityRegistryExpiredSignature.selector,
                deadline,
                block.timestamp
            )
        );
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, wallet, deadline, signature);
    }

    function test_setAgentWallet_revertsForADeadlineBeyondFiveMinutes() public {
        address wallet = vm.addr(WALLET_KEY);
        uint256 deadline = block.timestamp + 5 minutes + 1;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                IIdentityRegistry.IdentityRegistryDeadlineTooFar.selector,
                deadline,
                block.timestamp + 5 minutes
            )
        );
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, wallet, deadline, signature);
    }

    function test_setAgentWallet_acceptsTheFiveMinuteBound() public {
        uint256 deadline = block.timestamp + 5 minutes;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, vm.addr(WALLET_KEY), deadline, signature);
        assertEq(identity.getAgentWallet(agentId), vm.addr(WALLET_KEY));
    }

    function test_setAgentWallet_revertsOnTheZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryInvalidWallet.selector, address(0)));
        vm.prank(AGENT_OWNER);
        identity.setAgentWallet(agentId, address(0), block.timestamp, "");
    }

    function test_setAgentWallet_revertsForStranger() public {
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryUnauthorized.selector, agentId, STRANGER)
        );
        vm.prank(STRANGER);
        identity.setAgentWallet(agentId, vm.addr(WALLET_KEY), deadline, signature);
    }

    function test_unsetAgentWallet_clearsIt() public {
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.MetadataSet(agentId, "agentWallet", "agentWallet", "");
        vm.prank(OPERATOR);
        identity.unsetAgentWallet(agentId);
        assertEq(identity.getAgentWallet(agentId), address(0));
        assertEq(identity.getMetadata(agentId, "agentWallet"), "");
    }

    function test_unsetAgentWallet_revertsForStranger() public {
        vm.expectRevert(
            abi.encodeWithSelector(IIdentityRegistry.IdentityRegistryUnauthorized.selector, agentId, STRANGER)
        );
        vm.prank(STRANGER);
        identity.unsetAgentWallet(agentId);
    }

    /// "When the agent is transferred, agentWallet is automatically cleared (effectively resetting it to the zero
    /// address) and must be re-verified by the new owner."
    function test_transfer_clearsTheAgentWallet() public {
        vm.expectEmit(address(identity));
        emit IIdentityRegistry.MetadataSet(agentId, "agentWallet", "agentWallet", "");
        vm.prank(AGENT_OWNER);
        identity.transferFrom(AGENT_OWNER, STRANGER, agentId);
        assertEq(identity.getAgentWallet(agentId), address(0));
        assertEq(identity.getMetadata(agentId, "agentWallet"), "");

        // The new owner verifies a wallet again.
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.prank(STRANGER);
        identity.setAgentWallet(agentId, vm.addr(WALLET_KEY), deadline, signature);
        assertEq(identity.getAgentWallet(agentId), vm.addr(WALLET_KEY));
    }

    function test_transfer_clearsAVerifiedWallet() public {
        uint256 deadline = block.timestamp + 60;
        bytes memory signature = _walletSignature(WALLET_KEY, agentId, deadline);
        vm.startPrank(AGENT_OWNER);
        identity.setAgentWallet(agentId, vm.addr(WALLET_KEY), deadline, signature);
        identity.safeTransferFrom(AGENT_OWNER, STRANGER, agentId);
        vm.stopPrank();
        assertEq(identity.getAgentWallet(agentId), address(0));
        // A transfer back does not restore it either.
        vm.prank(STRANGER);
        identity.transferFrom(STRANGER, AGENT_OWNER, agentId);
        assertEq(identity.getAgentWallet(agentId), address(0));
    }

    function test_transfer_keepsTheOtherAgentsWallets() public {
        uint256 second = _register(AGENT_OWNER);
        vm.prank(AGENT_OWNER);
        identity.transferFrom(AGENT_OWNER, STRANGER, agentId);
        assertEq(identity.getAgentWallet(second), AGENT_OWNER);
    }

    // ------------------------------------------------------------------ authorization view

    function test_isAuthorizedOrOwner_coversOwnerOperatorsAndApproved() public view {
        assertTrue(identity.isAuthorizedOrOwner(AGENT_OWNER, agentId));
        assertTrue(identity.isAuthorizedOrOwner(OPERATOR, agentId));
        assertTrue(identity.isAuthorizedOrOwner(APPROVED, agentId));
        assertFalse(identity.isAuthorizedOrOwner(STRANGER, agentId));
        assertFalse(identity.isAuthorizedOrOwner(address(0), agentId));
    }

    // ------------------------------------------------------------------ unknown agents

    /// As the canonical registries: the ERC-721 views and the writes revert with the id, but the agent wallet and
    /// the metadata of an agent that does not exist read as empty values (the canonical registries read storage).
    function test_unknownAgent_revertsWithItsId() public {
        uint256 unknown = 42;
        bytes memory err = abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, unknown);
        vm.expectRevert(err);
        identity.tokenURI(unknown);
        vm.expectRevert(err);
        identity.ownerOf(unknown);
        vm.expectRevert(err);
        identity.getApproved(unknown);
        vm.expectRevert(err);
        identity.isAuthorizedOrOwner(AGENT_OWNER, unknown);
        vm.startPrank(AGENT_OWNER);
        vm.expectRevert(err);
        identity.setAgentURI(unknown, "x");
        vm.expectRevert(err);
        identity.setMetadata(unknown, "k", "v");
        vm.expectRevert(err);
        identity.setAgentWallet(unknown, AGENT_OWNER, block.timestamp, "");
        vm.expectRevert(err);
        identity.unsetAgentWallet(unknown);
        vm.stopPrank();
    }

    /// The canonical `getAgentWallet` decodes the stored `agentWallet` metadata, empty for an unknown agent: the zero
    /// address, not a revert (which would make "has no wallet" and "does not exist" two code paths for a tool).
    function test_getAgentWallet_isZeroForAnUnknownAgent() public view {
        assertEq(identity.getAgentWallet(42), address(0));
        assertEq(identity.getAgentWallet(type(uint256).max), address(0));
        // The next id, not yet minted, too.
        assertEq(identity.getAgentWallet(agentId + 1), address(0));
    }

    /// The canonical `getMetadata` reads storage without an existence check: every key of an unknown agent,
    /// `agentWallet` included, is empty.
    function test_getMetadata_isEmptyForAnUnknownAgent() public view {
        assertEq(identity.getMetadata(42, "category"), "");
        assertEq(identity.getMetadata(42, "agentWallet"), "");
        assertEq(identity.getMetadata(agentId + 1, "agentWallet"), "");
    }

    /// Once minted, the id that read as empty answers with the minter as its wallet (the lazily stored record of an
    /// id is never written before its mint).
    function test_getAgentWallet_ofAnIdBeforeAndAfterItsMint() public {
        uint256 next = agentId + 1;
        assertEq(identity.getAgentWallet(next), address(0));
        vm.prank(STRANGER);
        assertEq(identity.register(), next);
        assertEq(identity.getAgentWallet(next), STRANGER);
        assertEq(identity.getMetadata(next, "agentWallet"), abi.encodePacked(STRANGER));
    }

    // ------------------------------------------------------------------ helpers

    function _assertMetadataSet(Vm.Log memory log, uint256 id, string memory key, bytes memory value) internal view {
        assertEq(log.emitter, address(identity));
        assertEq(log.topics[0], METADATA_SET_TOPIC);
        assertEq(log.topics[1], bytes32(id));
        assertEq(log.topics[2], keccak256(bytes(key)));
        (string memory loggedKey, bytes memory loggedValue) = abi.decode(log.data, (string, bytes));
        assertEq(loggedKey, key);
        assertEq(loggedValue, value);
    }

    /// @dev The CompactBytes head slot of `id`'s URI: field 1 (agentURIs) of the namespaced struct.
    function _uriSlot(uint256 id) internal pure returns (bytes32) {
        return keccak256(abi.encode(id, uint256(_erc7201("x402kit.erc8004.identity")) + 1));
    }

    /// @dev The {CompactBytes} head slot of metadata `key` of `id` (`metadata`, the namespace's third member).
    function _metadataSlot(uint256 id, string memory key) internal pure returns (bytes32) {
        bytes32 inner = keccak256(abi.encode(id, uint256(_erc7201("x402kit.erc8004.identity")) + 2));
        return keccak256(abi.encodePacked(key, inner));
    }

    /// @dev The word slot of metadata `key` of `id` (`metadataWords`, the namespace's fifth member).
    function _metadataWordSlot(uint256 id, string memory key) internal pure returns (bytes32) {
        bytes32 inner = keccak256(abi.encode(id, uint256(_erc7201("x402kit.erc8004.identity")) + 4));
        return keccak256(abi.encodePacked(key, inner));
    }

    /// @dev The 32 bytes of `data` from `offset`, zero-padded past its end.
    function _wordAt(bytes memory data, uint256 offset) internal pure returns (bytes32 word) {
        for (uint256 i = 0; i < 32 && offset + i < data.length; ++i) {
            word |= bytes32(data[offset + i]) >> (8 * i);
        }
    }

    function _repeat(string memory unit, uint256 times) internal pure returns (string memory out) {
        for (uint256 i = 0; i < times; ++i) out = string.concat(out, unit);
    }
}
