import type { SchemaValidationErrorType } from "../errors/wire.js";
import { encodeBase64Json } from "../internal/base64Json.js";
import { canonicalJson } from "../internal/canonicalJson.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { AgentRegistrationFile } from "./schemas.js";

/** Prefix of an on-chain registration file URI. */
export const AGENT_REGISTRATION_DATA_URI_PREFIX = "data:application/json;base64,";

export type EncodeAgentRegistrationDataUriParameters = {
  /** The registration file. */
  file: AgentRegistrationFile;
};
export type EncodeAgentRegistrationDataUriReturnType = string;
export type EncodeAgentRegistrationDataUriErrorType = SchemaValidationErrorType;

/**
 * Encodes a registration file as a `data:application/json;base64,…` URI, the form ERC-8004 asks for
 * when the whole file is stored on chain as the `agentURI`. The JSON is canonical (sorted keys, no
 * whitespace) so the same file always gives the same URI.
 *
 * @param parameters - {@link EncodeAgentRegistrationDataUriParameters}
 * @returns The data URI.
 * @throws {SchemaValidationError} When the file is invalid.
 *
 * @example
 * ```ts
 * import { encodeAgentRegistrationDataUri } from "@x402kit/signer/erc8004";
 * const agentURI = encodeAgentRegistrationDataUri({ file });
 * await ownerClient.writeContract({ address: identityRegistry, abi, functionName: "register", args: [agentURI] });
 * ```
 */
export function encodeAgentRegistrationDataUri(
  parameters: EncodeAgentRegistrationDataUriParameters,
): EncodeAgentRegistrationDataUriReturnType {
  parseWithSchema(AgentRegistrationFile, parameters.file, "AgentRegistrationFile");
  return `${AGENT_REGISTRATION_DATA_URI_PREFIX}${encodeBase64Json(JSON.parse(canonicalJson(parameters.file)))}`;
}
