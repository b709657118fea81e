import { getAddress, isAddress } from "viem";
import { InvalidPolicyError } from "../errors/fetch.js";
import type { AssetPolicy, Budget, SpendingPolicy } from "../fetch/types.js";
import type { CustomV1Networks } from "../wire/networks.js";
import { toCaip2Network } from "../wire/toCaip2Network.js";

/** A policy with networks in CAIP-2 form and assets keyed by `<network>:<lower-case address>`. */
export type NormalizedPolicy = {
  networks: ReadonlySet<string> | undefined;
  payees: ReadonlySet<string> | undefined;
  assets: ReadonlyMap<string, AssetPolicy & { key: string }>;
};

/**
 * Validates a {@link SpendingPolicy} and normalises it for lookups.
 *
 * @param policy - The policy.
 * @param customV1Networks - Extra v1 names.
 * @returns The normalised policy.
 * @throws {InvalidPolicyError} When an address, amount, window or network is malformed.
 */
export function normalizePolicy(
  policy: SpendingPolicy,
  customV1Networks: CustomV1Networks | undefined,
): NormalizedPolicy {
  if (!policy || !Array.isArray(policy.assets)) throw new InvalidPolicyError({ reason: "`assets` must be an array" });
  const network = (value: string) => {
    try {
      return toCaip2Network({ network: value, customV1Networks });
    } catch {
      throw new InvalidPolicyError({ reason: `unknown network "${value}"` });
    }
  };
  const address = (value: string, field: string) => {
    if (typeof value !== "string" || !isAddress(value, { strict: false })) {
      throw new InvalidPolicyError({ reason: `${field} "${String(value)}" is not an address` });
    }
    return getAddress(value).toLowerCase();
  };
  const amount = (value: bigint | undefined, field: string) => {
    if (value !== undefined && (typeof value !== "bigint" || value < 0n)) {
      throw new InvalidPolicyError({ reason: `${field} must be a non-negative bigint` });
    }
  };
  const budget = (value: Budget) => {
    amount(value.amount, "budget amount");
    if (value.amount === undefined) throw new InvalidPolicyError({ reason: "budget amount is required" });
    if (!Number.isSafeInteger(value.windowSeconds) || value.windowSeconds <= 0) {
      throw new InvalidPolicyError({ reason: "budget windowSeconds must be a positive integer" });
    }
  };
  const assets = new Map<string, AssetPolicy & { key: string }>();
  for (const entry of policy.assets) {
    const key = `${network(entry.network)}:${address(entry.asset, "asset")}`;
    amount(entry.maxAmountPerRequest, "maxAmountPerRequest");
    amount(entry.maxDeposit, "maxDeposit");
    for (const b of entry.budgets ?? []) budget(b);
    if (assets.has(key)) throw new InvalidPolicyError({ reason: `asset ${key} is listed twice` });
    assets.set(key, { ...entry, key });
  }
  return {
    networks: policy.networks ? new Set(policy.networks.map(network)) : undefined,
    payees: policy.payees ? new Set(policy.payees.map((payee) => address(payee, "payee"))) : undefined,
    assets,
  };
}
