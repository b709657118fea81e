import { getAddress } from "viem";
import type { z } from "zod";
import { BatchSettlementPaymentRequirements } from "../batch-settlement/schemas.js";
import type { Rejection } from "../errors/payment.js";
import { toSchemaIssues } from "../internal/parseWithSchema.js";
import { ExactPermit2PaymentRequirements, UptoPaymentRequirements } from "../permit2/schemas.js";
import type { CustomV1Networks } from "../wire/networks.js";
import { networkToChainId } from "../wire/networkToChainId.js";
import type { PaymentRequired } from "../wire/paymentRequired.js";
import {
  ExactEvmPaymentRequirementsV1,
  ExactEvmPaymentRequirementsV2,
  type PaymentRequirementsV1,
  type PaymentRequirementsV2,
} from "../wire/paymentRequirements.js";
import type { PaymentOption } from "./types.js";

export type GetPaymentOptionsParameters = {
  /** The server's `PaymentRequired` (v1 402 body or decoded v2 header). */
  paymentRequired: PaymentRequired;
  /** Extra v1 network names, e.g. `{ localhost: 31337 }`. */
  customV1Networks?: CustomV1Networks | undefined;
  /**
   * Schemes to accept. Defaults to `["exact"]`; add `"batch-settlement"` when a channel payer will pay those
   * (`@x402kit/signer/batch-settlement`).
   */
  schemes?: readonly PaymentOption["scheme"][] | undefined;
  /**
   * Token transfer methods to accept. Defaults to `["eip3009"]`; add `"permit2"` to pay any ERC-20 through Permit2
   * (`exact` with `extra.assetTransferMethod: "permit2"`, and `upto` when `schemes` includes it; the payer must
   * have approved Permit2 for the token, see `@x402kit/signer/permit2`).
   */
  assetTransferMethods?: readonly PaymentOption["assetTransferMethod"][] | undefined;
};
export type GetPaymentOptionsReturnType = {
  /** Entries this package can pay, normalised, in `accepts` order. */
  options: PaymentOption[];
  /** Entries it cannot pay, with the reason. */
  rejections: Rejection[];
};

/**
 * Sorts a `PaymentRequired`'s `accepts` into what this package can pay — the EVM `exact` scheme with
 * an EIP-3009 token on a known chain, and v2 `batch-settlement` with ERC-3009 deposits when `schemes` includes it —
 * and what it cannot, with a reason for each.
 *
 * @param parameters - {@link GetPaymentOptionsParameters}
 * @returns The payable options and the rejections.
 *
 * @example
 * ```ts
 * import { getPaymentOptions } from "@x402kit/signer";
 * const { options, rejections } = getPaymentOptions({ paymentRequired });
 * for (const option of options) console.log(option.network, option.asset, option.amount);
 * ```
 */
export function getPaymentOptions(parameters: GetPaymentOptionsParameters): GetPaymentOptionsReturnType {
  const { paymentRequired, customV1Networks } = parameters;
  const schemes = new Set(parameters.schemes ?? ["exact"]);
  const methods = new Set(parameters.assetTransferMethods ?? ["eip3009"]);
  const options: PaymentOption[] = [];
  const rejections: Rejection[] = [];
  paymentRequired.accepts.forEach((requirements: PaymentRequirementsV1 | PaymentRequirementsV2, index: number) => {
    const result = toPaymentOption(
      paymentRequired.x402Version,
      requirements,
      index,
      customV1Networks,
      schemes,
      methods,
    );
    if ("reason" in result) rejections.push(result);
    else options.push(result);
  });
  return { options, rejections };
}

function toPaymentOption(
  x402Version: 1 | 2,
  requirements: PaymentRequirementsV1 | PaymentRequirementsV2,
  index: number,
  customV1Networks: CustomV1Networks | undefined,
  schemes: ReadonlySet<string>,
  methods: ReadonlySet<string>,
): PaymentOption | Rejection {
  const scheme = requirements.scheme;
  if (!schemes.has(scheme) || (scheme !== "exact" && x402Version !== 2)) {
    const accepted = [...schemes].map((name) => `"${name}"`).join(" or ");
    return { index, reason: "unsupported_scheme", message: `scheme "${scheme}" is not ${accepted}` };
  }
  let chainId: number;
  try {
    chainId = networkToChainId({ network: requirements.network, customV1Networks });
  } catch {
    return {
      index,
      reason: "unsupported_network",
      message: `network "${requirements.network}" is not a known EVM chain`,
    };
  }
  const method = scheme === "upto" ? "permit2" : (requirements.extra?.assetTransferMethod ?? "eip3009");
  if (!methods.has(String(method)) || (method !== "eip3009" && method !== "permit2")) {
    const accepted = [...methods].join(" or ");
    return {
      index,
      reason: "unsupported_transfer_method",
      message: `assetTransferMethod "${String(method)}" is not ${accepted}`,
    };
  }
  if (method === "permit2") return toPermit2Option(requirements, index, chainId);
  if (scheme === "batch-settlement") return toChannelOption(requirements, index, chainId);
  const parsed = parseExact(x402Version, requirements);
  if (!parsed.success) {
    const issues = toSchemaIssues(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
    return { index, reason: "invalid_requirements", message: issues.join("; ") };
  }
  const exact = parsed.data;
  const asset = getAddress(exact.asset);
  return {
    index,
    scheme: "exact",
    assetTransferMethod: "eip3009",
    x402Version,
    requirements,
    network: `eip155:${chainId}`,
    chainId,
    asset,
    payTo: getAddress(exact.payTo),
    amount: BigInt(parsed.amount),
    maxTimeoutSeconds: exact.maxTimeoutSeconds,
    domain: { name: exact.extra.name, version: exact.extra.version, chainId, verifyingContract: asset },
  };
}

function toPermit2Option(
  requirements: PaymentRequirementsV1 | PaymentRequirementsV2,
  index: number,
  chainId: number,
): PaymentOption | Rejection {
  const schema = requirements.scheme === "upto" ? UptoPaymentRequirements : ExactPermit2PaymentRequirements;
  const parsed = schema.safeParse(requirements);
  if (!parsed.success) {
    const issues = toSchemaIssues(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
    return { index, reason: "invalid_requirements", message: issues.join("; ") };
  }
  return {
    index,
    scheme: parsed.data.scheme,
    assetTransferMethod: "permit2",
    x402Version: 2,
    requirements,
    network: `eip155:${chainId}`,
    chainId,
    asset: getAddress(parsed.data.asset),
    payTo: getAddress(parsed.data.payTo),
    amount: BigInt(parsed.data.amount),
    maxTimeoutSeconds: parsed.data.maxTimeoutSeconds,
    domain: undefined,
  };
}

function toChannelOption(
  requirements: PaymentRequirementsV1 | PaymentRequirementsV2,
  index: number,
  chainId: number,
): PaymentOption | Rejection {
  const parsed = BatchSettlementPaymentRequirements.safeParse(requirements);
  if (!parsed.success) {
    const issues = toSchemaIssues(parsed.error).map((issue) => `${issue.path}: ${issue.message}`);
    return { index, reason: "invalid_requirements", message: issues.join("; ") };
  }
  const { name, version } = parsed.data.extra;
  if (!name || !version) {
    return {
      index,
      reason: "invalid_requirements",
      message: "extra.name and extra.version (the token's EIP-712 domain for ERC-3009 deposits) are required",
    };
  }
  const asset = getAddress(parsed.data.asset);
  return {
    index,
    scheme: "batch-settlement",
    assetTransferMethod: "eip3009",
    x402Version: 2,
    requirements,
    network: `eip155:${chainId}`,
    chainId,
    asset,
    payTo: getAddress(parsed.data.payTo),
    amount: BigInt(parsed.data.amount),
    maxTimeoutSeconds: parsed.data.maxTimeoutSeconds,
    domain: { name, version, chainId, verifyingContract: asset },
  };
}

type ParsedExact =
  | { success: true; data: ExactEvmPaymentRequirementsV1 | ExactEvmPaymentRequirementsV2; amount: string }
  | { success: false; error: z.ZodError };

function parseExact(x402Version: 1 | 2, requirements: unknown): ParsedExact {
  if (x402Version === 1) {
    const result = ExactEvmPaymentRequirementsV1.safeParse(requirements);
    return result.success
      ? { success: true, data: result.data, amount: result.data.maxAmountRequired }
      : { success: false, error: result.error };
  }
  const result = ExactEvmPaymentRequirementsV2.safeParse(requirements);
  return result.success
    ? { success: true, data: result.data, amount: result.data.amount }
    : { success: false, error: result.error };
}
