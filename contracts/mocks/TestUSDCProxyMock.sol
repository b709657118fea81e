// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {TestUSDC} from "../token/TestUSDC.sol";

/**
 * @title TestUSDCImplementationMock
 * @notice TestUSDC as the implementation behind an ERC-1967 proxy ({TestUSDCProxyMock}), for gas comparisons
 * with a USDC-like deployment (FiatToken is a proxy in front of an implementation). Name, symbol and version
 * are immutables of the implementation, which works through a proxy (the EIP-712 separator is rebuilt for
 * the proxy's address); the roles live in the proxy's storage and are granted by {initialize}.
 */
contract TestUSDCImplementationMock is TestUSDC {
    bool private _initialized;

    /// @notice {initialize} was called before.
    error TestUSDCImplementationMockAlreadyInitialized();

    /// @param admin_ Admin of the implementation contract itself (unused through the proxy).
    constructor(address admin_) TestUSDC("USDC", "USDC", "2", admin_) {}

    /**
     * @notice Grants every role to `admin` in the calling proxy's storage. Callable once per proxy; anyone
     * may call it first, so deploy the proxy with this call as its constructor data.
     * @param admin Receives `DEFAULT_ADMIN_ROLE`, `MASTER_MINTER_ROLE`, `PAUSER_ROLE` and `BLOCKLISTER_ROLE`.
     */
    function initialize(address admin) external {
        if (_initialized) revert TestUSDCImplementationMockAlreadyInitialized();
        _initialized = true;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MASTER_MINTER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(BLOCKLISTER_ROLE, admin);
    }
}

/**
 * @title TestUSDCProxyMock
 * @notice A plain OpenZeppelin ERC-1967 proxy in front of {TestUSDCImplementationMock}.
 */
contract TestUSDCProxyMock is ERC1967Proxy {
    /**
     * @param implementation The {TestUSDCImplementationMock}.
     * @param data Initialization call, e.g. `initialize(admin)`.
     */
    constructor(address implementation, bytes memory data) payable ERC1967Proxy(implementation, data) {}
}
