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
import {
  depositTransferMethod,
  type Permit2DepositBranch,
  permit2DepositAuthorizationError,
  permit2DepositCollectorAddress,
  permit2DepositCollectorData,
  resolvePermit2DepositBranch,
} from "./depositPermit2.js";
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
  /** `paymentPayload.extensions` (a Permit2 deposit may carry `eip2612GasSponsoring`). */
  extensions?: unknown;
  now(): number;
};

/**
 * Verifies a `deposit`, in the official facilitator's order: the channel is the server's; the authorization of the
 * transfer method is present and holds (ERC-3009: inside its window and signed; Permit2: see `depositPermit2.ts`,
 * then an EIP-2612 permit or the payer's Permit2 allowance); the voucher is signed; the payer holds the deposit;
 * the voucher is covered by balance + deposit and above what was claimed; and `deposit(...)` simulates.
 */
export async function verifyDeposit(parameters: VerifyDepositParameters): Promise<BatchSettlementVerifyResponse> {
  return (await checkDeposit(parameters)).response;
}

/** {@link verifyDeposit}, with the `deposit(...)` arguments it simulated when the deposit is valid (settle sends them). */
export async function checkDeposit(
  parameters: VerifyDepositParameters,
): Promise<{ response: BatchSettlementVerifyResponse; args?: DepositArgs }> {
  const { client, payload, requirements, chainId } = parameters;
  const { channelConfig: config, voucher, deposit } = payload;
  const payer = config.payer;
  const channelId = voucher.channelId as Hex;
  const refuse = (invalidReason: string, invalidMessage?: string) => ({
    response: {
      isValid: false,
      invalidReason,
      ...(invalidMessage ? { invalidMessage } : {}),
      payer,
    },
  });

  const configError = channelConfigError(config, channelId, requirements, chainId);
  if (configError) return refuse(configError);
  const now = BigInt(Math.floor(parameters.now() / 1000));
  const method = depositTransferMethod(payload, requirements);
  let branch: Permit2DepositBranch | undefined;
  if (method === "permit2") {
    if (!deposit.authorization.permit2Authorization) return refuse(R.payloadType);
    const authorizationError = await permit2DepositAuthorizationError(client, { payload, requirements, chainId, now });
    if (authorizationError) return refuse(authorizationError);
    const resolved = await resolvePermit2DepositBranch(client, {
      payload,
      requirements,
      extensions: parameters.extensions,
      now,
    });
    if ("refusal" in resolved) return refuse(resolved.refusal);
    branch = resolved;
  } else {
    const refusal = await eip3009DepositError(parameters, now);
    if (refusal) return refuse(refusal.reason, refusal.message);
  }

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

  let args: DepositArgs;
  try {
    args = depositArgs(payload, branch);
    await client.simulateContract({
      account: parameters.sender,
      address: batchSettlementAddress,
      abi: x402BatchSettlementAbi,
      functionName: "deposit",
      args,
    });
  } catch (error) {
    return refuse(R.depositSimulationFailed, error instanceof Error ? error.message : String(error));
  }
  return { response: { isValid: true, payer, extra: channelStateView(channelId, state) }, args };
}

/** The ERC-3009 checks of a deposit, in the official order: present, named domain, inside its window, signed. */
async function eip3009DepositError(
  parameters: VerifyDepositParameters,
  now: bigint,
): Promise<{ reason: string; message?: string } | undefined> {
  const { client, payload, requirements, chainId } = parameters;
  const payer = payload.channelConfig.payer;
  const auth = payload.deposit.authorization.erc3009Authorization;
  if (!auth) return { reason: R.erc3009AuthorizationRequired };
  const { name, version } = requirements.extra ?? {};
  if (!name || !version) return { reason: R.missingEip712Domain };
  if (BigInt(auth.validBefore) < now + BigInt(VALID_BEFORE_MARGIN)) return { reason: R.validBeforeExpired };
  if (BigInt(auth.validAfter) > now) return { reason: R.validAfterInFuture };
  const deployment = counterfactualDeployment(auth.signature);
  if (deployment) {
    const code = await client.getCode({ address: getAddress(payer) }).catch(() => undefined);
    if (!code || code === "0x") {
      if (!parameters.walletFactories.has(deployment.factory.toLowerCase())) return { reason: R.factoryNotAllowed };
      // Deploying the payer's wallet before its deposit is not implemented here (the official facilitator does).
      return {
        reason: R.depositSimulationFailed,
        message: "counterfactual (ERC-6492) payers are not supported by this facilitator",
      };
    }
  }
  const authorized = await verifyReceiveAuthorization(client, {
    payer,
    asset: requirements.asset,
    name,
    version,
    chainId,
    amount: payload.deposit.amount,
    auth,
    nonce: depositNonce(payload.voucher.channelId as Hex, auth.salt),
  });
  return authorized ? undefined : { reason: R.receiveAuthorizationSignature };
}

/**
 * Arguments of `deposit(config, amount, collector, collectorData)`: through the ERC3009DepositCollector, or, with a
 * Permit2 branch (resolved by {@link resolvePermit2DepositBranch}), through the Permit2DepositCollector.
 *
 * @throws {TypeError} When the payload lacks the authorization its collector needs.
 */
export function depositArgs(payload: DepositPayload, permit2Branch?: Permit2DepositBranch): DepositArgs {
  const config = toContractChannelConfig(payload.channelConfig);
  const amount = BigInt(payload.deposit.amount);
  if (permit2Branch) {
    const auth = payload.deposit.authorization.permit2Authorization;
    if (!auth) throw new TypeError("depositArgs: a Permit2 authorization is required");
    return [config, amount, permit2DepositCollectorAddress, permit2DepositCollectorData(auth, permit2Branch)] as const;
  }
  const auth = payload.deposit.authorization.erc3009Authorization;
  if (!auth) throw new TypeError("depositArgs: an ERC-3009 authorization is required");
  return [config, amount, erc3009DepositCollectorAddress, depositCollectorData(auth)] as const;
}

/** `deposit(config, amount, collector, collectorData)`'s arguments. */
export type DepositArgs = readonly [ReturnType<typeof toContractChannelConfig>, bigint, Address, Hex];
