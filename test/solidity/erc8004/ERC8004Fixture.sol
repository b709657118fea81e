// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IdentityRegistry} from "../../../contracts/erc8004/IdentityRegistry.sol";
import {ReputationRegistry} from "../../../contracts/erc8004/ReputationRegistry.sol";
import {ValidationRegistry} from "../../../contracts/erc8004/ValidationRegistry.sol";
import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/**
 * @title ERC8004Fixture
 * @notice Shared setup for the ERC-8004 registry tests: the three registries behind ERC-1967 proxies (as deployed),
 * owned by `REGISTRY_OWNER`, plus the actors of the spec (an agent owner, an operator for all of its tokens, an
 * address approved for one agent, clients, a validator) and an agent registered by `AGENT_OWNER`.
 */
abstract contract ERC8004Fixture is Test {
    uint256 internal constant START_TIME = 1_750_000_000;
    address internal constant REGISTRY_OWNER = address(0x0E1);
    address internal constant AGENT_OWNER = address(0xA6E47);
    address internal constant OPERATOR = address(0x0BE7A);
    address internal constant APPROVED = address(0xA99);
    address internal constant CLIENT = address(0xC11E47);
    address internal constant OTHER_CLIENT = address(0xC11E48);
    address internal constant VALIDATOR = address(0x7A11D);
    address internal constant STRANGER = address(0x5E7);

    string internal constant AGENT_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/agent";

    IdentityRegistry internal identity;
    ReputationRegistry internal reputation;
    ValidationRegistry internal validation;

    /// @dev The agent registered in setUp by AGENT_OWNER, with OPERATOR approved for all and APPROVED for it.
    uint256 internal agentId;

    function setUp() public virtual {
        vm.warp(START_TIME);
        identity = IdentityRegistry(
            address(
                new ERC1967Proxy(
                    address(new IdentityRegistry()),
                    abi.encodeWithSignature("initialize(address)", REGISTRY_OWNER)
                )
            )
        );
        reputation = ReputationRegistry(
            address(
                new ERC1967Proxy(
                    address(new ReputationRegistry()),
                    abi.encodeWithSignature("initialize(address,address)", address(identity), REGISTRY_OWNER)
                )
            )
        );
        validation = ValidationRegistry(
            address(
                new ERC1967Proxy(
                    address(new ValidationRegistry()),
                    abi.encodeWithSignature("initialize(address,address)", address(identity), REGISTRY_OWNER)
                )
            )
        );

        agentId = _register(AGENT_OWNER);
        vm.startPrank(AGENT_OWNER);
        identity.setApprovalForAll(OPERATOR, true);
        identity.approve(APPROVED, agentId);
        vm.stopPrank();
    }

    function _register(address owner) internal returns (uint256) {
        vm.prank(owner);
        return identity.register(AGENT_URI);
    }

    function _giveFeedback(address client, uint256 id, int128 value, uint8 decimals) internal {
        vm.prank(client);
        reputation.giveFeedback(id, value, decimals, "", "", "", "", bytes32(0));
    }

    function _giveFeedback(
        address client,
        uint256 id,
        int128 value,
        uint8 decimals,
        string memory tag1,
        string memory tag2
    ) internal {
        vm.prank(client);
        reputation.giveFeedback(id, value, decimals, tag1, tag2, "", "", bytes32(0));
    }

    /// @dev The ERC-7201 slot of namespace `id`.
    function _erc7201(string memory id) internal pure returns (bytes32) {
        return keccak256(abi.encode(uint256(keccak256(bytes(id))) - 1)) & ~bytes32(uint256(0xff));
    }
}
