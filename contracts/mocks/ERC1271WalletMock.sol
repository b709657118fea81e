// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @title ERC1271WalletMock
 * @notice A contract wallet whose ERC-1271 `isValidSignature` accepts ECDSA signatures by its owner,
 * or refuses everything when built with `refuseAll = true`. Used to test smart-wallet payers.
 */
contract ERC1271WalletMock is IERC1271 {
    /// @notice The key whose signatures this wallet accepts.
    address public immutable owner;
    /// @notice When true the wallet refuses every signature.
    bool public immutable refuseAll;

    /// @notice `caller` is not the wallet's owner.
    error ERC1271WalletMockUnauthorized(address caller);

    /**
     * @param owner_ The EOA whose signatures are valid for this wallet.
     * @param refuseAll_ Refuse every signature (a wallet that says no).
     */
    constructor(address owner_, bool refuseAll_) {
        owner = owner_;
        refuseAll = refuseAll_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (refuseAll) return 0xffffffff;
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return
            err == ECDSA.RecoverError.NoError && recovered == owner
                ? IERC1271.isValidSignature.selector
                : bytes4(0xffffffff);
    }

    /**
     * @notice Executes an arbitrary call from the wallet (for example an ERC-20 transfer or approve).
     * @param target Contract to call.
     * @param data Calldata.
     * @return result The call's return data.
     */
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != owner) revert ERC1271WalletMockUnauthorized(msg.sender);
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
