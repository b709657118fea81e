// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {ERC1271WalletMock} from "./ERC1271WalletMock.sol";

/**
 * @title ERC1271WalletFactoryMock
 * @notice A CREATE2 factory of {ERC1271WalletMock} wallets, so a wallet's address is known before it exists: the
 * factory ERC-6492 counterfactual signatures name. Test fixture, not for production.
 */
contract ERC1271WalletFactoryMock {
    /// @notice A wallet was deployed for `owner` with `salt` at `wallet`.
    event WalletCreated(address indexed wallet, address indexed owner, bytes32 salt);

    /**
     * @notice Deploys the wallet of `owner` and `salt` unless it exists (then it is returned as is), so that calling
     * this twice, or after someone else deployed the wallet, never reverts.
     * @param owner The EOA whose signatures the wallet accepts.
     * @param salt Distinguishes several wallets of one owner.
     * @return wallet The wallet's address.
     */
    function createWallet(address owner, bytes32 salt) external returns (address wallet) {
        wallet = walletAddress(owner, salt);
        if (wallet.code.length > 0) return wallet;
        new ERC1271WalletMock{salt: salt}(owner, false);
        emit WalletCreated(wallet, owner, salt);
    }

    /**
     * @notice The address the wallet of `owner` and `salt` has, deployed or not.
     * @param owner The EOA whose signatures the wallet accepts.
     * @param salt Distinguishes several wallets of one owner.
     * @return The CREATE2 address.
     */
    function walletAddress(address owner, bytes32 salt) public view returns (address) {
        bytes memory init = abi.encodePacked(type(ERC1271WalletMock).creationCode, abi.encode(owner, false));
        return Create2.computeAddress(salt, keccak256(init));
    }
}
