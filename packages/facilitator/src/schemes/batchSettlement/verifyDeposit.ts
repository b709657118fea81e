import { x402BatchSettlementAbi } from "@x402kit/bindings";
import { type Address, erc20Abi, getAddress, type Hex, type PublicClient } from "viem";
import {
  batchSettlementAddress,
  channelConfigError,
  channelStateView,
  readChannelState,
  toContractChannelConfig,
} from "./channel.js";
import {
  counterfactualDeployment,
  depositCollectorData,
  depositNonce,
  erc3009DepositCollectorAddress,
  verifyReceiveAuthorization,
} from "./depositAuthorization.js";
import { batchSettlementReasons as R } from "./reasons.js";
import type { BatchSettlementRequirements, DepositPayload } from "./schemas.js";
import type { BatchSettlementVerifyResponse } from "./types.js";
import { verifyVoucherSignature } from "./verifyVoucherSignature.js";

/** Seconds of `validBefore` a deposit authorization must have left, as the official facilitator requires. */
const VALID_BEFORE_MARGIN = 6;

export type VerifyDepositParameters = {
  client: PublicClient;
  payload: DepositPayload;
  requirements: BatchSettlementRequirements;
  chainId: number;
  /** The account that will send `deposit` (the simulation's `from`). */
  sender: Address;
  /** Wallet factories allowed to deploy a counterfactual payer (ERC-6492). */
  walletFactories: ReadonlySet<string>;
  now(): number;
};

/**
 * Verifies a `deposit` paid with ERC-3009, in the official facilitator's order: the channel is the server's;
 * the authorization is present, inside its window and signed; the voucher is signed; the payer holds the deposit;
 * the voucher is covered by balance + deposit and above what was claimed; and `deposit(...)` simulates.
 *
 * Permit2 deposits are not supported here: they are answered `invalid_batch_settlement_evm_payload_type`.
 */
export async function verifyDeposit(parameters: VerifyDepositParameters): Promise<BatchSettlementVerifyResponse> {
  const { client, payload, requirements, chainId } = parameters;
  const { channelConfig: config, voucher, deposit } = payload;
  const payer = config.payer;
  const channelId = voucher.channelId as Hex;
  const refuse = (invalidReason: string, invalidMessage?: string): BatchSettlementVerifyResponse => ({
    isValid: false,
    invalidReason,
    ...(invalidMessage ? { invalidMessage } : {}),
    payer,
  });

  const configError = channelConfigError(config, channelId, requirements, chainId);
  if (configError) return refuse(configError);
  const method =
    requirements.extra?.assetTransferMethod ?? (deposit.authorization.permit2Authorization ? "permit2" : "eip3009");
  if (method !== "eip3009") return refuse(R.payloadType);

  const auth = deposit.authorization.erc3009Authorization;
  if (!auth) return refuse(R.erc3009AuthorizationRequired);
  const { name, version } = requirements.extra ?? {};
  if (!name || !version) return refuse(R.missingEip712Domain);
  const now = BigInt(Math.floor(parameters.now() / 1000));
  if (BigInt(auth.validBefore) < now + BigInt(VALID_BEFORE_MARGIN)) return refuse(R.validBeforeExpired);
  if (BigInt(auth.validAfter) > now) return refuse(R.validAfterInFuture);
  const deployment = counterfactualDeployment(auth.signature);
  if (deployment) {
    const code = await client.getCode({ address: getAddress(payer) }).catch(() => undefined);
    if (!code || code === "0x") {
      if (!parameters.walletFactories.has(deployment.factory.toLowerCase())) return refuse(R.factoryNotAllowed);
      // Deploying the payer's wallet before its deposit is not implemented here (the official facilitator does).
      return refuse(
        R.depositSimulationFailed,
        "counterfactual (ERC-6492) payers are not supported by this facilitator",
      );
    }
  }
  const authorized = await verifyReceiveAuthorization(client, {
    payer,
    asset: requirements.asset,
    name,
    version,
    chainId,
    amount: deposit.amount,
    auth,
    nonce: depositNonce(channelId, auth.salt),
  });
  if (!authorized) return refuse(R.receiveAuthorizationSignature);

  const signed = await verifyVoucherSignature(client, {
    config,
    channelId,
    maxClaimableAmount: voucher.maxClaimableAmount,
    signature: voucher.signature,
    chainId,
  });
  if (!signed) return refuse(R.voucherSignature);
  let state: Awaited<ReturnType<typeof readChannelState>>;
  let payerBalance: bigint;
  try {
    [state, payerBalance] = await Promise.all([
      readChannelState(client, channelId),
      client.readContract({
        address: getAddress(requirements.asset),
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [getAddress(payer)],
      }),
    ]);
  } catch {
    return refuse(R.rpcReadFailed);
  }
  const amount = BigInt(deposit.amount);
  if (payerBalance < amount) return refuse(R.insufficientBalance);
  const cumulative = BigInt(voucher.maxClaimableAmount);
  if (cumulative > state.balance + amount) return refuse(R.cumulativeExceedsBalance);
  if (cumulative <= state.totalClaimed) return refuse(R.cumulativeBelowClaimed);

  try {
    await client.simulateContract({
      account: parameters.sender,
      address: batchSettlementAddress,
      abi: x402BatchSettlementAbi,
      functionName: "deposit",
      args: depositArgs(payload),
    });
  } catch (error) {
    return refuse(R.depositSimulationFailed, error instanceof Error ? error.message : String(error));
  }
  return { isValid: true, payer, extra: channelStateView(channelId, state) };
}

/** Arguments of `deposit(config, amount, collector, collectorData)` for an ERC-3009 deposit. */
export function depositArgs(payload: DepositPayload) {
  const auth = payload.deposit.authorization.erc3009Authorization;
  if (!auth) throw new TypeError("depositArgs: an ERC-3009 authorization is required");
  return [
    toContractChannelConfig(payload.channelConfig),
    BigInt(payload.deposit.amount),
    erc3009DepositCollectorAddress,
    depositCollectorData(auth),
  ] as const;
}
