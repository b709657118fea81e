// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IValidationRegistry} from "../../../contracts/interfaces/IValidationRegistry.sol";
import {vm} from "../utils/Vm.sol";
import {ERC8004Fixture} from "./ERC8004Fixture.sol";

contract ValidationRegistryTest is ERC8004Fixture {
    string internal constant REQUEST_URI = "ipfs://bafkreirequestpayload";
    bytes32 internal constant REQUEST_HASH = keccak256("request payload, salted");
    string internal constant RESPONSE_URI = "ipfs://bafkreievidence";
    bytes32 internal constant RESPONSE_HASH = keccak256("evidence");

    function _request(address caller, address validator, bytes32 requestHash) internal {
        vm.prank(caller);
        validation.validationRequest(validator, agentId, REQUEST_URI, requestHash);
    }

    function _respond(bytes32 requestHash, uint8 response, string memory tag) internal {
        vm.prank(VALIDATOR);
        validation.validationResponse(requestHash, response, RESPONSE_URI, RESPONSE_HASH, tag);
    }

    function _only(address a) internal pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    // ------------------------------------------------------------------ setup

    /// "When the Validation Registry is deployed, the identityRegistry address is set via
    /// initialize(address identityRegistry_) and is visible by calling getIdentityRegistry()"
    function test_initialize_bindsTheIdentityRegistry() public view {
        assertEq(validation.getIdentityRegistry(), address(identity));
        assertEq(validation.owner(), REGISTRY_OWNER);
        assertEq(validation.getVersion(), "2.0.0+x402kit");
    }

    function test_initialize_revertsOnSecondCall() public {
        vm.expectRevert(abi.encodeWithSelector(Initializable.InvalidInitialization.selector));
        validation.initialize(address(identity), STRANGER);
    }

    function test_storage_usesTheErc7201Namespace() public view {
        assertEq(
            address(uint160(uint256(vm.load(address(validation), _erc7201("x402kit.erc8004.validation"))))),
            address(identity)
        );
    }

    // ------------------------------------------------------------------ validationRequest

    /// "This function MUST be called by the owner or operator of agentId."
    function test_validationRequest_byOwnerOperatorOrApproved() public {
        address[3] memory managers = [AGENT_OWNER, OPERATOR, APPROVED];
        for (uint256 i = 0; i < managers.length; ++i) {
            bytes32 requestHash = keccak256(abi.encode(REQUEST_HASH, i));
            vm.expectEmit(address(validation));
            emit IValidationRegistry.ValidationRequest(VALIDATOR, agentId, REQUEST_URI, requestHash);
            _request(managers[i], VALIDATOR, requestHash);
        }
        assertEq(validation.getAgentValidationCount(agentId), 3);
        assertEq(validation.getValidatorRequestCount(VALIDATOR), 3);
    }

    /// "This function MUST be called by the owner or operator of agentId."
    function test_validationRequest_revertsForStranger() public {
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryUnauthorized.selector, agentId, STRANGER)
        );
        _request(STRANGER, VALIDATOR, REQUEST_HASH);
    }

    function test_validationRequest_revertsForAnUnknownAgent() public {
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryNonexistentAgent.selector, uint256(99))
        );
        vm.prank(AGENT_OWNER);
        validation.validationRequest(VALIDATOR, 99, REQUEST_URI, REQUEST_HASH);
    }

    function test_validationRequest_revertsOnTheZeroValidator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryInvalidValidator.selector, address(0))
        );
        _request(AGENT_OWNER, address(0), REQUEST_HASH);
    }

    /// "The requestHash is a commitment to this data (keccak256 of the request payload) and identifies the request."
    function test_validationRequest_revertsOnAReusedHash() public {
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryRequestExists.selector, REQUEST_HASH)
        );
        _request(OPERATOR, OTHER_CLIENT, REQUEST_HASH);
    }

    /// Self-validation (erc-8004-contracts issue #12): the agent's owner and operators cannot be its validator.
    function test_validationRequest_refusesTheAgentsOwnerAndOperatorsAsValidator() public {
        address[3] memory selves = [AGENT_OWNER, OPERATOR, APPROVED];
        for (uint256 i = 0; i < selves.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IValidationRegistry.ValidationRegistrySelfValidation.selector,
                    agentId,
                    selves[i]
                )
            );
            _request(AGENT_OWNER, selves[i], REQUEST_HASH);
        }
    }

    // ------------------------------------------------------------------ validationResponse

    /// "Upon successful execution, a ValidationResponse event is emitted with all function parameters". "The contract
    /// stores requestHash, validatorAddress, agentId, response, responseHash, lastUpdate, and tag"
    function test_validationResponse_storesAndEmits() public {
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        vm.warp(START_TIME + 100);
        vm.expectEmit(address(validation));
        emit IValidationRegistry.ValidationResponse(
            VALIDATOR,
            agentId,
            REQUEST_HASH,
            100,
            RESPONSE_URI,
            RESPONSE_HASH,
            "hard-finality"
        );
        _respond(REQUEST_HASH, 100, "hard-finality");
        _assertStatus(REQUEST_HASH, 100, RESPONSE_HASH, "hard-finality", START_TIME + 100);
    }

    function test_getValidationStatus_beforeAnyResponse() public {
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        _assertStatus(REQUEST_HASH, 0, bytes32(0), "", START_TIME);
    }

    /// "validationResponse() can be called multiple times for the same requestHash, enabling use cases like
    /// progressive validation states"; storage keeps the latest.
    function test_validationResponse_keepsTheLatest() public {
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        _respond(REQUEST_HASH, 60, "soft-finality");
        vm.warp(START_TIME + 12);
        vm.prank(VALIDATOR);
        validation.validationResponse(REQUEST_HASH, 0, "", bytes32(0), "");
        _assertStatus(REQUEST_HASH, 0, bytes32(0), "", START_TIME + 12);
    }

    /// "This function MUST be called by the validatorAddress specified in the original request."
    function test_validationResponse_revertsForAnotherCaller() public {
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        address[2] memory others = [STRANGER, AGENT_OWNER];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IValidationRegistry.ValidationRegistryNotValidator.selector,
                    REQUEST_HASH,
                    others[i]
                )
            );
            vm.prank(others[i]);
            validation.validationResponse(REQUEST_HASH, 100, "", bytes32(0), "");
        }
    }

    /// "The response is a value between 0 and 100"
    function test_validationResponse_revertsAbove100() public {
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryInvalidResponse.selector, uint8(101))
        );
        _respond(REQUEST_HASH, 101, "");
    }

    function test_validationResponse_revertsForAnUnknownRequest() public {
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryUnknownRequest.selector, REQUEST_HASH)
        );
        _respond(REQUEST_HASH, 50, "");
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryUnknownRequest.selector, REQUEST_HASH)
        );
        validation.getValidationStatus(REQUEST_HASH);
    }

    /// Self-validation is re-checked at response time: a validator that came to own or operate the agent is refused.
    function test_validationResponse_refusesAValidatorThatBecameOperator() public {
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        vm.prank(AGENT_OWNER);
        identity.setApprovalForAll(VALIDATOR, true);
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistrySelfValidation.selector, agentId, VALIDATOR)
        );
        _respond(REQUEST_HASH, 100, "");

        vm.prank(AGENT_OWNER);
        identity.transferFrom(AGENT_OWNER, VALIDATOR, agentId);
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistrySelfValidation.selector, agentId, VALIDATOR)
        );
        _respond(REQUEST_HASH, 100, "");
    }

    function testFuzz_validationResponse_keepsTheLatest(uint8[8] memory responses, uint8 rounds) public {
        rounds = uint8(bound(rounds, 1, 8));
        _request(AGENT_OWNER, VALIDATOR, REQUEST_HASH);
        uint8 last;
        for (uint256 i = 0; i < rounds; ++i) {
            last = uint8(bound(responses[i], 0, 100));
            vm.warp(START_TIME + i);
            _respond(REQUEST_HASH, last, i % 2 == 0 ? "soft" : "hard");
        }
        (, , uint8 response, , string memory tag, uint256 lastUpdate) = validation.getValidationStatus(REQUEST_HASH);
        assertEq(response, last);
        assertEq(tag, (rounds - 1) % 2 == 0 ? "soft" : "hard");
        assertEq(lastUpdate, START_TIME + rounds - 1);
        (uint64 count, uint8 average) = validation.getSummary(agentId, new address[](0), "");
        assertEq(count, 1);
        assertEq(average, last);
    }

    // ------------------------------------------------------------------ reads

    /// "getSummary ... agentId is the only mandatory parameter; validatorAddresses and tag are optional filters"
    function test_getSummary_filtersAndSkipsUnanswered() public {
        bytes32[4] memory hashes = [keccak256("a"), keccak256("b"), keccak256("c"), keccak256("d")];
        _request(AGENT_OWNER, VALIDATOR, hashes[0]);
        _request(AGENT_OWNER, VALIDATOR, hashes[1]);
        _request(AGENT_OWNER, STRANGER, hashes[2]);
        _request(AGENT_OWNER, STRANGER, hashes[3]); // never answered: not counted as a 0
        _respond(hashes[0], 100, "hard");
        _respond(hashes[1], 51, "soft");
        vm.prank(STRANGER);
        validation.validationResponse(hashes[2], 0, "", bytes32(0), "hard");

        (uint64 count, uint8 average) = validation.getSummary(agentId, new address[](0), "");
        assertEq(count, 3);
        assertEq(average, 50); // 151 / 3
        (count, average) = validation.getSummary(agentId, _only(VALIDATOR), "");
        assertEq(count, 2);
        assertEq(average, 75); // 151 / 2
        (count, average) = validation.getSummary(agentId, new address[](0), "hard");
        assertEq(count, 2);
        assertEq(average, 50);
        (count, average) = validation.getSummary(agentId, _only(OTHER_CLIENT), "");
        assertEq(count, 0);
        assertEq(average, 0);

        (uint64 pageCount, uint256 pageSum) = validation.getSummaryPaginated(agentId, new address[](0), "", 1, 2);
        assertEq(pageCount, 2);
        assertEq(pageSum, 51);
        (pageCount, pageSum) = validation.getSummaryPaginated(agentId, new address[](0), "", 4, 2);
        assertEq(pageCount, 0);
        assertEq(pageSum, 0);
    }

    function test_lists_andTheirPages() public {
        bytes32[3] memory hashes = [keccak256("a"), keccak256("b"), keccak256("c")];
        _request(AGENT_OWNER, VALIDATOR, hashes[0]);
        _request(OPERATOR, STRANGER, hashes[1]);
        _request(APPROVED, VALIDATOR, hashes[2]);

        bytes32[] memory all = validation.getAgentValidations(agentId);
        assertEq(all.length, 3);
        for (uint256 i = 0; i < 3; ++i) assertEq(all[i], hashes[i]);
        bytes32[] memory mine = validation.getValidatorRequests(VALIDATOR);
        assertEq(mine.length, 2);
        assertEq(mine[1], hashes[2]);

        bytes32[] memory page = validation.getAgentValidationsPaginated(agentId, 1, 5);
        assertEq(page.length, 2);
        assertEq(page[0], hashes[1]);
        page = validation.getValidatorRequestsPaginated(VALIDATOR, 1, 1);
        assertEq(page.length, 1);
        assertEq(page[0], hashes[2]);
        assertEq(validation.getValidatorRequestsPaginated(VALIDATOR, 2, 1).length, 0);
        assertEq(validation.getValidatorRequestCount(STRANGER), 1);
    }

    // ------------------------------------------------------------------ views of unknown ids (canonical answers)

    /// The canonical views read storage without existence checks: an unknown agent or validator has empty lists and
    /// a `(0, 0)` summary; only `getValidationStatus` of an unknown request reverts (as there).
    function test_views_answerEmptyValuesForUnknownAgentsAndValidators() public {
        uint256 unknownAgent = agentId + 1000;
        assertEq(validation.getAgentValidations(unknownAgent).length, 0);
        assertEq(validation.getValidatorRequests(VALIDATOR).length, 0);
        (uint64 count, uint8 avg) = validation.getSummary(unknownAgent, new address[](0), "");
        assertEq(count, 0);
        assertEq(avg, 0);
        (count, avg) = validation.getSummary(agentId, _only(VALIDATOR), "tag");
        assertEq(count, 0);
        assertEq(avg, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IValidationRegistry.ValidationRegistryUnknownRequest.selector, REQUEST_HASH)
        );
        validation.getValidationStatus(REQUEST_HASH);
    }

    // ------------------------------------------------------------------ helpers

    function _assertStatus(
        bytes32 requestHash,
        uint8 response,
        bytes32 responseHash,
        string memory tag,
        uint256 lastUpdate
    ) internal view {
        (
            address validatorAddress,
            uint256 id,
            uint8 storedResponse,
            bytes32 storedHash,
            string memory storedTag,
            uint256 storedUpdate
        ) = validation.getValidationStatus(requestHash);
        assertEq(validatorAddress, VALIDATOR);
        assertEq(id, agentId);
        assertEq(storedResponse, response);
        assertEq(storedHash, responseHash);
        assertEq(storedTag, tag);
        assertEq(storedUpdate, lastUpdate);
    }
}
