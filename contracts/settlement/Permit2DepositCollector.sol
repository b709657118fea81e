// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IDepositCollector} from "../interfaces/IDepositCollector.sol";
import {IPermit2DepositCollector} from "../interfaces/IPermit2DepositCollector.sol";
import {ISignatureTransfer} from "../interfaces/ISignatureTransfer.sol";
import {IX402BatchSettlement} from "../interfaces/IX402BatchSettlement.sol";
import {X402BatchSettlementHash as Hash} from "./X402BatchSettlementHash.sol";

/**
 * @title Permit2DepositCollector
 * @notice Pulls `batch-settlement` deposits of any ERC-20 through Uniswap's Permit2 and sends them straight to the
 * calling channel contract, as the official x402 EVM SDK 2.27 client signs them (see {IPermit2DepositCollector}).
 * See https://eips.ethereum.org/EIPS/eip-2612 for the optional permit that approves Permit2 in the same call.
 *
 * NOTE: The collector stores nothing and has no immutables (Permit2's canonical address is a constant), so its
 * runtime code works at the official address placed with `hardhat_setCode`. It is bound to its caller by the
 * witness: it derives `channelId` from `config` under `msg.sender`'s EIP-712 domain, so only the channel contract
 * the payer signed for reproduces the signed witness; anyone else's call fails Permit2's signature check. Permit2
 * itself binds the signature to this collector (the spender), the chain and the nonce. Like the official x402
 * Permit2 proxies, a failing EIP-2612 permit does not revert by itself (it may have been used already, e.g.
 * front-run from the mempool); unlike them, the collector then checks the allowance and reverts with the values.
 */
contract Permit2DepositCollector is IPermit2DepositCollector {
    /// @dev Uniswap's Permit2, at the same address on every chain that has it.
    ISignatureTransfer internal constant PERMIT2 = ISignatureTransfer(0x000000000022D473030F116dDEE9F6B43aC78BA3);

    /// @dev `keccak256("DepositWitness(bytes32 channelId)")`, the witness the official client signs.
    bytes32 internal constant DEPOSIT_WITNESS_TYPEHASH = keccak256("DepositWitness(bytes32 channelId)");

    /// @dev Permit2's witness type string: the witness field, then the referenced types in alphabetical order.
    string internal constant WITNESS_TYPE_STRING =
        "DepositWitness witness)DepositWitness(bytes32 channelId)TokenPermissions(address token,uint256 amount)";

    /// @inheritdoc IDepositCollector
    function collect(
        IX402BatchSettlement.ChannelConfig calldata config,
        uint256 amount,
        bytes calldata collectorData
    ) external {
        (uint256 nonce, uint256 deadline, bytes memory signature, bytes memory eip2612PermitData) = abi.decode(
            collectorData,
            (uint256, uint256, bytes, bytes)
        );
        bytes32 channelId = Hash.channelId(config, Hash.domainSeparator(msg.sender));
        address token = config.token;
        address payer = config.payer;
        if (eip2612PermitData.length != 0) _permitPermit2(token, payer, amount, eip2612PermitData);
        PERMIT2.permitWitnessTransferFrom(
            ISignatureTransfer.PermitTransferFrom({
                permitted: ISignatureTransfer.TokenPermissions({token: token, amount: amount}),
                nonce: nonce,
                deadline: deadline
            }),
            ISignatureTransfer.SignatureTransferDetails({to: msg.sender, requestedAmount: amount}),
            payer,
            keccak256(abi.encode(DEPOSIT_WITNESS_TYPEHASH, channelId)),
            WITNESS_TYPE_STRING,
            signature
        );
    }

    /// @dev Applies `payer`'s EIP-2612 permit approving Permit2 for `amount`; a failed permit is fine if the
    /// allowance is there anyway (the permit was used already), otherwise the deposit reverts with the values.
    function _permitPermit2(address token, address payer, uint256 amount, bytes memory eip2612PermitData) private {
        (uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) = abi.decode(
            eip2612PermitData,
            (uint256, uint256, uint8, bytes32, bytes32)
        );
        if (value != amount) revert Permit2DepositCollectorPermitAmountMismatch(value, amount);
        try IERC20Permit(token).permit(payer, address(PERMIT2), value, deadline, v, r, s) {
            // Permit2 may now spend `amount` of the payer's tokens.
        } catch {
            uint256 allowance = IERC20(token).allowance(payer, address(PERMIT2));
            if (allowance < amount) {
                revert Permit2DepositCollectorInsufficientAllowance(token, payer, allowance, amount);
            }
        }
    }
}
