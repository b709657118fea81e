// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable2StepUpgradeable} from "@openzeppelin/contracts-upgradeable/access/Ownable2StepUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IValidationRegistry} from "../interfaces/IValidationRegistry.sol";

/**
 * @title ValidationRegistry
 * @notice ERC-8004 Validation Registry (https://eips.ethereum.org/EIPS/eip-8004): requests from an agent's owner or
 * operator to a named validator, and the validator's 0-100 responses (repeatable, latest stored, all emitted).
 * ABI-compatible with the canonical registries (erc-8004/erc-8004-contracts).
 *
 * Deployed behind an ERC-1967 proxy (UUPS): upgrades are gated by the owner. Ownership is `Ownable2Step`:
 * {transferOwnership} only records a pending owner, who becomes the owner by calling {acceptOwnership}
 * (the canonical registries use one-step `Ownable`).
 *
 * NOTE: Closes the canonical registry's self-validation hole (erc-8004-contracts issue #12): a validator that owns
 * or operates the agent is refused when the request is made and again when it responds (ownership and approvals
 * can change in between). Each response therefore asks the Identity Registry once more.
 *
 * NOTE: The validator, the response, its presence flag and the last update time share one storage slot.
 *
 * NOTE: Storage is ERC-7201 namespaced (`x402kit.erc8004.validation`) and laid out differently from the canonical
 * implementation, so this is not an upgrade target for proxies that ran it.
 */
contract ValidationRegistry is Initializable, Ownable2StepUpgradeable, UUPSUpgradeable, IValidationRegistry {
    /// @dev A request and its latest response.
    struct Validation {
        address validatorAddress;
        uint64 lastUpdate;
        uint8 response;
        bool hasResponse;
        uint256 agentId;
        bytes32 responseHash;
        string tag;
    }

    /// @custom:storage-location erc7201:x402kit.erc8004.validation
    struct ValidationRegistryStorage {
        address identityRegistry;
        mapping(bytes32 requestHash => Validation validation) validations;
        mapping(uint256 agentId => bytes32[] requestHashes) agentValidations;
        mapping(address validatorAddress => bytes32[] requestHashes) validatorRequests;
    }

    /// @notice The largest response (a pass).
    uint8 public constant MAX_RESPONSE = 100;

    // keccak256(abi.encode(uint256(keccak256("x402kit.erc8004.validation")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _STORAGE_LOCATION = 0x74e52e0a986f316bf3d344722d348514d4649d10b880188344a104942cd69c00;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @inheritdoc IValidationRegistry
     * @dev When the proxy is created through a CREATE2 factory the caller is the factory: use
     * {initialize-address-address} there.
     */
    function initialize(address identityRegistry_) external initializer {
        _initializeRegistry(identityRegistry_, msg.sender);
    }

    /**
     * @notice Binds this registry to `identityRegistry_` with `initialOwner` as owner (who may upgrade it).
     * @param identityRegistry_ The ERC-8004 Identity Registry whose agents are validated.
     * @param initialOwner The owner.
     */
    function initialize(address identityRegistry_, address initialOwner) external initializer {
        _initializeRegistry(identityRegistry_, initialOwner);
    }

    /// @inheritdoc IValidationRegistry
    function validationRequest(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) external {
        if (validatorAddress == address(0)) revert ValidationRegistryInvalidValidator(validatorAddress);
        ValidationRegistryStorage storage $ = _getStorage();
        Validation storage validation = $.validations[requestHash];
        if (validation.validatorAddress != address(0)) revert ValidationRegistryRequestExists(requestHash);
        address identity = $.identityRegistry;
        if (!_isAuthorizedOrOwner(identity, msg.sender, agentId)) {
            revert ValidationRegistryUnauthorized(agentId, msg.sender);
        }
        if (_isAuthorizedOrOwner(identity, validatorAddress, agentId)) {
            revert ValidationRegistrySelfValidation(agentId, validatorAddress);
        }

        validation.validatorAddress = validatorAddress;
        validation.lastUpdate = uint64(block.timestamp);
        validation.agentId = agentId;
        $.agentValidations[agentId].push(requestHash);
        $.validatorRequests[validatorAddress].push(requestHash);
        emit ValidationRequest(validatorAddress, agentId, requestURI, requestHash);
    }

    /// @inheritdoc IValidationRegistry
    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external {
        if (response > MAX_RESPONSE) revert ValidationRegistryInvalidResponse(response);
        ValidationRegistryStorage storage $ = _getStorage();
        Validation storage validation = $.validations[requestHash];
        address validatorAddress = validation.validatorAddress;
        if (validatorAddress == address(0)) revert ValidationRegistryUnknownRequest(requestHash);
        if (msg.sender != validatorAddress) revert ValidationRegistryNotValidator(requestHash, msg.sender);
        uint256 agentId = validation.agentId;
        if (_isAuthorizedOrOwner($.identityRegistry, msg.sender, agentId)) {
            revert ValidationRegistrySelfValidation(agentId, msg.sender);
        }

        validation.lastUpdate = uint64(block.timestamp);
        validation.response = response;
        validation.hasResponse = true;
        validation.responseHash = responseHash;
        validation.tag = tag;
        emit ValidationResponse(validatorAddress, agentId, requestHash, response, responseURI, responseHash, tag);
    }

    /// @inheritdoc IValidationRegistry
    function getIdentityRegistry() external view returns (address identityRegistry) {
        return _getStorage().identityRegistry;
    }

    /// @inheritdoc IValidationRegistry
    function getValidationStatus(
        bytes32 requestHash
    )
        external
        view
        returns (
            address validatorAddress,
            uint256 agentId,
            uint8 response,
            bytes32 responseHash,
            string memory tag,
            uint256 lastUpdate
        )
    {
        Validation storage validation = _getStorage().validations[requestHash];
        validatorAddress = validation.validatorAddress;
        if (validatorAddress == address(0)) revert ValidationRegistryUnknownRequest(requestHash);
        return (
            validatorAddress,
            validation.agentId,
            validation.response,
            validation.responseHash,
            validation.tag,
            validation.lastUpdate
        );
    }

    /// @inheritdoc IValidationRegistry
    function getSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 avgResponse) {
        uint256 responseSum;
        (count, responseSum) = _summarize(agentId, validatorAddresses, tag, 0, type(uint256).max);
        // The mean of values <= 100 is <= 100.
        avgResponse = count == 0 ? 0 : uint8(responseSum / count);
    }

    /// @inheritdoc IValidationRegistry
    function getSummaryPaginated(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag,
        uint256 offset,
        uint256 limit
    ) external view returns (uint64 count, uint256 responseSum) {
        return _summarize(agentId, validatorAddresses, tag, offset, limit);
    }

    /// @inheritdoc IValidationRegistry
    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory requestHashes) {
        return _getStorage().agentValidations[agentId];
    }

    /// @inheritdoc IValidationRegistry
    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory requestHashes) {
        return _getStorage().validatorRequests[validatorAddress];
    }

    /// @inheritdoc IValidationRegistry
    function getAgentValidationCount(uint256 agentId) external view returns (uint256) {
        return _getStorage().agentValidations[agentId].length;
    }

    /// @inheritdoc IValidationRegistry
    function getAgentValidationsPaginated(
        uint256 agentId,
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory requestHashes) {
        return _slice(_getStorage().agentValidations[agentId], offset, limit);
    }

    /// @inheritdoc IValidationRegistry
    function getValidatorRequestCount(address validatorAddress) external view returns (uint256) {
        return _getStorage().validatorRequests[validatorAddress].length;
    }

    /// @inheritdoc IValidationRegistry
    function getValidatorRequestsPaginated(
        address validatorAddress,
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory requestHashes) {
        return _slice(_getStorage().validatorRequests[validatorAddress], offset, limit);
    }

    /// @inheritdoc IValidationRegistry
    function getVersion() external pure returns (string memory) {
        return "2.0.0+x402kit";
    }

    /// @dev Upgrades are the owner's decision.
    function _authorizeUpgrade(address) internal override onlyOwner {}

    function _initializeRegistry(address identityRegistry_, address initialOwner) private {
        if (identityRegistry_.code.length == 0) revert ValidationRegistryInvalidIdentityRegistry(identityRegistry_);
        __Ownable_init(initialOwner);
        _getStorage().identityRegistry = identityRegistry_;
    }

    /**
     * @dev Asks the Identity Registry whether `account` owns or operates `agentId`, turning its
     * `ERC721NonexistentToken` into {ValidationRegistryNonexistentAgent}; other failures bubble up unchanged.
     */
    function _isAuthorizedOrOwner(address identity, address account, uint256 agentId) private view returns (bool) {
        try IIdentityRegistry(identity).isAuthorizedOrOwner(account, agentId) returns (bool authorized) {
            return authorized;
        } catch (bytes memory reason) {
            if (bytes4(reason) == IERC721Errors.ERC721NonexistentToken.selector) {
                revert ValidationRegistryNonexistentAgent(agentId);
            }
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }

    /// @dev Count and sum of the latest responses among the agent's requests at positions [offset, offset + limit).
    function _summarize(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag,
        uint256 offset,
        uint256 limit
    ) private view returns (uint64 count, uint256 responseSum) {
        ValidationRegistryStorage storage $ = _getStorage();
        bytes32[] storage requestHashes = $.agentValidations[agentId];
        uint256 end = _pageEnd(requestHashes.length, offset, limit);
        bool byTag = bytes(tag).length != 0;
        bytes32 tagHash = keccak256(bytes(tag));
        for (uint256 i = offset; i < end; ++i) {
            Validation storage validation = $.validations[requestHashes[i]];
            // Only answered requests count (an unanswered request's response reads as 0).
            if (!validation.hasResponse) continue;
            if (validatorAddresses.length != 0 && !_contains(validatorAddresses, validation.validatorAddress)) {
                continue;
            }
            if (byTag && keccak256(bytes(validation.tag)) != tagHash) continue;
            responseSum += validation.response;
            ++count;
        }
    }

    function _contains(address[] calldata list, address item) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i] == item) return true;
        }
        return false;
    }

    function _slice(
        bytes32[] storage list,
        uint256 offset,
        uint256 limit
    ) private view returns (bytes32[] memory page) {
        uint256 end = _pageEnd(list.length, offset, limit);
        page = new bytes32[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            page[i - offset] = list[i];
        }
    }

    /// @dev End of the page `[offset, offset + limit)` of a list of `total` items, clamped to the list.
    function _pageEnd(uint256 total, uint256 offset, uint256 limit) private pure returns (uint256) {
        if (offset >= total) return offset;
        return limit > total - offset ? total : offset + limit;
    }

    function _getStorage() private pure returns (ValidationRegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := _STORAGE_LOCATION
        }
    }
}
