import type { HeaderDecodeErrorType, SchemaValidationErrorType } from "../errors/wire.js";
import { decodeBase64Json } from "../internal/base64Json.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { AGENT_REGISTRATION_DATA_URI_PREFIX } from "./encodeAgentRegistrationDataUri.js";
import { AgentRegistrationFile } from "./schemas.js";

export type ParseAgentRegistrationFileParameters = {
  /** A parsed JSON value, JSON text, or a `data:application/json;base64,…` URI. */
  value: unknown;
};
export type ParseAgentRegistrationFileReturnType = AgentRegistrationFile;
export type ParseAgentRegistrationFileErrorType = SchemaValidationErrorType | HeaderDecodeErrorType;

/** Longest data URI accepted (1 MiB). */
const MAX_DATA_URI_LENGTH = 1 << 20;

/**
 * Validates an ERC-8004 registration file fetched from an `agentURI` (already parsed, as JSON text,
 * or as a base64 `data:` URI).
 *
 * @param parameters - {@link ParseAgentRegistrationFileParameters}
 * @returns The validated file.
 * @throws {HeaderDecodeError} When a data URI is not base64 of UTF-8 JSON.
 * @throws {SchemaValidationError} When the content is not a registration file.
 *
 * @example
 * ```ts
 * import { parseAgentRegistrationFile } from "@x402kit/signer/erc8004";
 * const agentURI = await publicClient.readContract({ address: registry, abi, functionName: "tokenURI", args: [7n] });
 * const file = parseAgentRegistrationFile({ value: agentURI });
 * ```
 */
export function parseAgentRegistrationFile(
  parameters: ParseAgentRegistrationFileParameters,
): ParseAgentRegistrationFileReturnType {
  let value = parameters.value;
  if (typeof value === "string" && value.startsWith(AGENT_REGISTRATION_DATA_URI_PREFIX)) {
    value = decodeBase64Json(value.slice(AGENT_REGISTRATION_DATA_URI_PREFIX.length), "agentURI", MAX_DATA_URI_LENGTH);
  } else if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      // Not JSON text: let the schema report it.
    }
  }
  return parseWithSchema(AgentRegistrationFile, value, "AgentRegistrationFile");
}
