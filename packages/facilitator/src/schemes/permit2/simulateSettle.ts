import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  erc20Abi,
  type Hex,
  type PublicClient,
} from "viem";
import { type Permit2SchemeName, permit2Address, permit2Proxies, settleErrorsAbi } from "./proxies.js";
import { type Permit2Reason, permit2Reasons as R } from "./reasons.js";

/**
 * Runs the settle call as an `eth_call` from the sender (the upto proxy checks `msg.sender` against the witness).
 *
 * @returns `undefined` when it would succeed, else the revert's error name (`""` when none decodes).
 */
export async function simulateSettle(
  client: PublicClient,
  from: Address,
  call: { to: Address; data: Hex },
): Promise<string | undefined> {
  try {
    await client.call({ account: from, to: call.to, data: call.data });
    return undefined;
  } catch (error) {
    return revertName(error);
  }
}

/** The custom error a failed call reverted with, by name (`""` when none decodes). */
export function revertName(error: unknown): string {
  if (!(error instanceof BaseError)) return "";
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) return reverted.data.errorName;
  const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
  if (!withData?.data) return "";
  try {
    return decodeErrorResult({ abi: settleErrorsAbi, data: withData.data }).errorName;
  } catch {
    return "";
  }
}

/**
 * Why a simulation failed, as the official facilitator's `diagnosePermit2SimulationFailure` tells it: the proxy is
 * not deployed, the payer's balance or Permit2 allowance is below the amount, or `permit2_simulation_failed`.
 */
export async function diagnoseSimulationFailure(parameters: {
  client: PublicClient;
  scheme: Permit2SchemeName;
  token: Address;
  payer: Address;
  amount: bigint;
}): Promise<Permit2Reason> {
  const { client, scheme, token, payer, amount } = parameters;
  const proxy = permit2Proxies[scheme];
  const [deployed, balance, allowance] = await Promise.allSettled([
    client.readContract({ address: proxy.address, abi: proxy.abi, functionName: "PERMIT2" }),
    client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [payer] }),
    client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [payer, permit2Address] }),
  ]);
  if (deployed.status === "rejected") return R.proxyNotDeployed;
  if (balance.status === "fulfilled" && balance.value < amount) return R.insufficientBalance;
  if (allowance.status === "fulfilled" && allowance.value < amount) return R.allowanceRequired;
  return R.simulationFailed;
}

/**
 * The reason of a settle that reverted before it was sent (the gas estimate or the simulation), as the official
 * facilitator's `mapSettleError` maps it: by the proxy's error names (the only ones its ABI decodes; a revert inside
 * Permit2, such as `InvalidNonce` or `SignatureExpired`, is `invalid_exact_evm_transaction_failed` there and here —
 * the official one appends the node's message to the reason, ours puts the error name in `errorMessage`).
 */
export function settleRevertReason(errorName: string): string {
  switch (errorName) {
    case "Permit2612AmountMismatch":
      return R.permit2612AmountMismatch;
    case "InvalidAmount":
      return R.invalidAmount;
    case "InvalidDestination":
      return R.invalidDestination;
    case "InvalidOwner":
      return R.invalidOwner;
    case "PaymentTooEarly":
      return R.paymentTooEarly;
    case "AmountExceedsPermitted":
      return R.uptoAmountExceedsPermitted;
    case "UnauthorizedFacilitator":
      return R.uptoUnauthorizedFacilitator;
    default:
      return R.exactTransactionFailed; // the official mapSettleError's reason for both schemes
  }
}
