// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IValidationRegistry
 * @notice The ERC-8004 ("Trustless Agents") Validation Registry: an agent's owner or operator asks a validator
 * (a stake-secured re-executor, a zkML verifier, a TEE oracle, a trusted judge, ...) to check some work; the
 * validator answers with a score from 0 to 100, as many times as it likes; the latest answer is stored and every
 * answer is emitted.
 *
 * Spec: https://eips.ethereum.org/EIPS/eip-8004 (text of 2026-01-25). The errors, {getVersion} and the paginated
 * reads are additions; every function and event of the canonical deployments (erc-8004/erc-8004-contracts) exists
 * here with the same signature.
 *
 * Unlike the canonical registry (erc-8004-contracts issue #12), an agent's owner or operator cannot validate its own
 * agent: a validator that owns or operates the agent is refused at request time and again at response time.
 *
 * `requestHash` identifies a request globally. Anyone watching the mempool can register a copied hash first, so
 * requesters should salt the request payload (the hash commits to it).
 */
interface IValidationRegistry {
    /// @notice The owner or an operator of `agentId` asked `validatorAddress` to validate `requestHash`.
    event ValidationRequest(
        address indexed validatorAddress,
        uint256 indexed agentId,
        string requestURI,
        bytes32 indexed requestHash
    );

    /// @notice `validatorAddress` answered `requestHash` about `agentId` with `response` (0-100).
    event ValidationResponse(
        address indexed validatorAddress,
        uint256 indexed agentId,
        bytes32 indexed requestHash,
        uint8 response,
        string responseURI,
        bytes32 responseHash,
        string tag
    );

    /// @notice `identityRegistry` is not a contract.
    error ValidationRegistryInvalidIdentityRegistry(address identityRegistry);

    /// @notice `agentId` is not registered in the Identity Registry.
    error ValidationRegistryNonexistentAgent(uint256 agentId);

    /// @notice `caller` is neither the owner nor an approved operator of `agentId`.
    error ValidationRegistryUnauthorized(uint256 agentId, address caller);

    /// @notice `validator` cannot be a validator (the zero address).
    error ValidationRegistryInvalidValidator(address validator);

    /// @notice `validator` owns or operates `agentId`, so it may not validate it.
    error ValidationRegistrySelfValidation(uint256 agentId, address validator);

    /// @notice A request with `requestHash` already exists.
    error ValidationRegistryRequestExists(bytes32 requestHash);

    /// @notice No request has `requestHash`.
    error ValidationRegistryUnknownRequest(bytes32 requestHash);

    /// @notice `caller` is not the validator named in request `requestHash`.
    error ValidationRegistryNotValidator(bytes32 requestHash, address caller);

    /// @notice `response` is above 100.
    error ValidationRegistryInvalidResponse(uint8 response);

    /**
     * @notice Binds this registry to `identityRegistry_` ("the identityRegistry address is set via
     * `initialize(address identityRegistry_)`"); the owner (who may upgrade) is the caller.
     * @param identityRegistry_ The ERC-8004 Identity Registry whose agents are validated.
     */
    function initialize(address identityRegistry_) external;

    /// @notice The Identity Registry whose agents this registry validates.
    function getIdentityRegistry() external view returns (address identityRegistry);

    /**
     * @notice Asks `validatorAddress` to validate the work committed to by `requestHash` (keccak256 of the request
     * payload that `requestURI` points to).
     * @dev Requirements:
     * - "This function MUST be called by the owner or operator of agentId."
     * - `validatorAddress` is not zero and is neither the owner nor an operator of `agentId`.
     * - No request with `requestHash` exists.
     *
     * Emits {ValidationRequest}.
     * @param validatorAddress The validator.
     * @param agentId The agent whose work is validated.
     * @param requestURI Off-chain data with everything the validator needs.
     * @param requestHash Commitment to that data; the request's id.
     */
    function validationRequest(
        address validatorAddress,
        uint256 agentId,
        string calldata requestURI,
        bytes32 requestHash
    ) external;

    /**
     * @notice Answers request `requestHash`. May be called again to update the answer ("progressive validation
     * states"); only the latest is stored.
     * @dev Requirements:
     * - "This function MUST be called by the validatorAddress specified in the original request."
     * - "The response is a value between 0 and 100."
     * - The caller does not own or operate the agent at the time of the response.
     *
     * Emits {ValidationResponse} with all parameters.
     * @param requestHash The request.
     * @param response The score, 0 (failed) to 100 (passed).
     * @param responseURI Optional evidence or audit of the validation.
     * @param responseHash Optional commitment to that evidence.
     * @param tag Optional label (e.g. `soft-finality`).
     */
    function validationResponse(
        bytes32 requestHash,
        uint8 response,
        string calldata responseURI,
        bytes32 responseHash,
        string calldata tag
    ) external;

    /**
     * @notice The stored state of request `requestHash`: its validator and agent, and the latest response, response
     * hash and tag (zero and empty until the first response). `lastUpdate` is the time of the request or of the
     * latest response.
     * @dev Requirements: the request exists.
     */
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
        );

    /**
     * @notice Count and integer mean of the latest responses to `agentId`'s answered requests, optionally filtered
     * by validators (empty = all) and exact tag (empty = all). Loops over all of the agent's requests: use
     * {getSummaryPaginated} for agents with many requests.
     * @param agentId The agent.
     * @param validatorAddresses Validators to count, or empty for all.
     * @param tag Exact tag filter, or empty.
     * @return count Number of answered requests that match.
     * @return avgResponse Their mean response, rounded down.
     */
    function getSummary(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag
    ) external view returns (uint64 count, uint8 avgResponse);

    /// @notice Every request hash of `agentId`, in request order. Unbounded: see {getAgentValidationsPaginated}.
    function getAgentValidations(uint256 agentId) external view returns (bytes32[] memory requestHashes);

    /// @notice Every request hash naming `validatorAddress`. Unbounded: see {getValidatorRequestsPaginated}.
    function getValidatorRequests(address validatorAddress) external view returns (bytes32[] memory requestHashes);

    /**
     * @notice {getSummary} over the agent's requests at positions `[offset, offset + limit)`, returning the sum of
     * responses instead of the mean so pages can be combined (`mean = sum of responseSum / sum of count`).
     * @param agentId The agent.
     * @param validatorAddresses Validators to count, or empty for all.
     * @param tag Exact tag filter, or empty.
     * @param offset First position in {getAgentValidations} (0-based).
     * @param limit Maximum number of requests to scan.
     * @return count Number of answered requests that match.
     * @return responseSum Sum of their responses.
     */
    function getSummaryPaginated(
        uint256 agentId,
        address[] calldata validatorAddresses,
        string calldata tag,
        uint256 offset,
        uint256 limit
    ) external view returns (uint64 count, uint256 responseSum);

    /// @notice The number of requests of `agentId`.
    function getAgentValidationCount(uint256 agentId) external view returns (uint256);

    /// @notice The request hashes of `agentId` at positions `[offset, offset + limit)`.
    function getAgentValidationsPaginated(
        uint256 agentId,
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory requestHashes);

    /// @notice The number of requests naming `validatorAddress`.
    function getValidatorRequestCount(address validatorAddress) external view returns (uint256);

    /// @notice The request hashes naming `validatorAddress` at positions `[offset, offset + limit)`.
    function getValidatorRequestsPaginated(
        address validatorAddress,
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory requestHashes);

    /// @notice The implementation's version string.
    function getVersion() external pure returns (string memory);
}
