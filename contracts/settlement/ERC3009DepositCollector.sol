// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IDepositCollector} from "../interfaces/IDepositCollector.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";
import {IX402BatchSettlement} from "../interfaces/IX402BatchSettlement.sol";
import {X402BatchSettlementHash as Hash} from "./X402BatchSettlementHash.sol";

/**
 * @title ERC3009DepositCollector
 * @notice Pulls `batch-settlement` deposits with EIP-3009 `receiveWithAuthorization` (USDC, TestUSDC) and
 * forwards them to the calling channel contract, as the official x402 EVM SDK 2.27 client signs them: a
 * `ReceiveWithAuthorization` from the payer to this collector for the deposit amount, whose nonce is
 * `keccak256(abi.encode(channelId, salt))`, with
 * `collectorData = abi.encode(uint256 validAfter, uint256 validBefore, uint256 salt, bytes signature)`.
 * See https://eips.ethereum.org/EIPS/eip-3009.
 *
 * NOTE: The collector stores nothing and has no immutables: it is bound to its caller by the nonce, not by an
 * address set at deployment. It derives `channelId` from `config` under `msg.sender`'s EIP-712 domain, so only
 * the channel contract the payer signed for reproduces the signed nonce; anyone else's call fails the token's
 * signature check. (The official collector instead stores its settlement contract in an immutable, which a
 * `hardhat_setCode` copy to the official address would carry along unchanged.) It uses the token's
 * `bytes`-signature overload (FiatToken v2.2 and later, TestUSDC), as the official collector does. Tokens sent
 * to the collector directly stay there.
 */
contract ERC3009DepositCollector is IDepositCollector {
    using SafeERC20 for IERC20;

    /// @inheritdoc IDepositCollector
    function collect(
        IX402BatchSettlement.ChannelConfig calldata config,
        uint256 amount,
        bytes calldata collectorData
    ) external {
        (uint256 validAfter, uint256 validBefore, uint256 salt, bytes memory signature) = abi.decode(
            collectorData,
            (uint256, uint256, uint256, bytes)
        );
        bytes32 channelId = Hash.channelId(config, Hash.domainSeparator(msg.sender));
        bytes32 nonce = keccak256(abi.encode(channelId, salt));
        address token = config.token;
        IERC3009(token).receiveWithAuthorization(
            config.payer,
            address(this),
            amount,
            validAfter,
            validBefore,
            nonce,
            signature
        );
        IERC20(token).safeTransfer(msg.sender, amount);
    }
}
