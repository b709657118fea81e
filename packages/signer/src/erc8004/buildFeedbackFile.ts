import type { Address, Hex } from "viem";
import type { SchemaValidationErrorType } from "../errors/wire.js";
import { canonicalJson } from "../internal/canonicalJson.js";
import { formatCaip10 } from "../internal/formatCaip10.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { toJsonInteger } from "../internal/toJsonInteger.js";
import { hashFeedbackFile } from "./hashFeedbackFile.js";
import { FeedbackFile, type ProofOfPayment } from "./schemas.js";

export type BuildFeedbackFileParameters = {
  /** The Identity Registry the agent is registered in. */
  agentRegistry: { chainId: number | bigint; identityRegistry: Address };
  /** The agent reviewed. */
  agentId: bigint;
  /** The reviewer (SHOULD be its `agentWallet` when the reviewer is an agent). */
  clientAddress: Address;
  /** Chain of `clientAddress`. Defaults to the registry's chain. */
  clientChainId?: number | bigint | undefined;
  /** Signed fixed-point value, as passed to `giveFeedback`. */
  value: bigint;
  /** Decimals of `value` (0–18). */
  valueDecimals: number;
  tag1?: string | undefined;
  tag2?: string | undefined;
  endpoint?: string | undefined;
  mcp?: FeedbackFile["mcp"];
  a2a?: FeedbackFile["a2a"];
  oasf?: FeedbackFile["oasf"];
  /** The payment behind the review, e.g. from `proofOfPaymentFromSettlement`. */
  proofOfPayment?: ProofOfPayment | undefined;
  /** When the feedback was written. Defaults to now. */
  createdAt?: Date | undefined;
};
export type BuildFeedbackFileReturnType = {
  /** The validated feedback file. */
  file: FeedbackFile;
  /** Canonical JSON text of `file` (sorted keys, no whitespace): publish exactly these bytes. */
  json: string;
  /** `keccak256` of `json`'s UTF-8 bytes: the `feedbackHash` for `giveFeedback`. */
  feedbackHash: Hex;
};
export type BuildFeedbackFileErrorType = SchemaValidationErrorType;

/**
 * Builds an ERC-8004 off-chain feedback file, with an optional `proofOfPayment
 * { fromAddress, toAddress, chainId, txHash }` tying the review to an x402 settlement, and computes
 * its `feedbackHash` (keccak256 of the file's bytes; the file is canonical JSON so the hash is
 * reproducible from the same fields).
 *
 * @see https://eips.ethereum.org/EIPS/eip-8004
 * @param parameters - {@link BuildFeedbackFileParameters}
 * @returns The file, its canonical JSON and its hash.
 * @throws {SchemaValidationError} When a field is out of range (e.g. `valueDecimals` > 18).
 *
 * @example
 * ```ts
 * import { buildFeedbackFile, proofOfPaymentFromSettlement } from "@x402kit/signer/erc8004";
 * const { json, feedbackHash } = buildFeedbackFile({
 *   agentRegistry: { chainId: 84532, identityRegistry }, agentId: 7n, clientAddress: agent.address,
 *   value: 95n, valueDecimals: 0, tag1: "starred",
 *   proofOfPayment: proofOfPaymentFromSettlement({ settlement, payTo }),
 * });
 * // publish `json` at feedbackURI, then giveFeedback(7n, 95n, 0, "starred", "", "", feedbackURI, feedbackHash)
 * ```
 */
export function buildFeedbackFile(parameters: BuildFeedbackFileParameters): BuildFeedbackFileReturnType {
  const registryChainId = parameters.agentRegistry.chainId;
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  const candidate = {
    agentRegistry: formatCaip10(registryChainId, parameters.agentRegistry.identityRegistry),
    agentId: toJsonInteger(parameters.agentId),
    clientAddress: formatCaip10(parameters.clientChainId ?? registryChainId, parameters.clientAddress),
    createdAt: (parameters.createdAt ?? new Date()).toISOString(),
    value: toJsonInteger(parameters.value),
    valueDecimals: parameters.valueDecimals,
    ...optional("tag1", parameters.tag1),
    ...optional("tag2", parameters.tag2),
    ...optional("endpoint", parameters.endpoint),
    ...optional("mcp", parameters.mcp),
    ...optional("a2a", parameters.a2a),
    ...optional("oasf", parameters.oasf),
    ...optional("proofOfPayment", parameters.proofOfPayment),
  };
  const file = parseWithSchema(FeedbackFile, candidate, "FeedbackFile");
  const json = canonicalJson(candidate);
  return { file, json, feedbackHash: hashFeedbackFile({ content: json }) };
}
