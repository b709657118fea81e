import type { Address } from "viem";
import type { SchemaValidationErrorType } from "../errors/wire.js";
import { formatCaip10 } from "../internal/formatCaip10.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { toJsonInteger } from "../internal/toJsonInteger.js";
import { AGENT_REGISTRATION_FILE_TYPE } from "./constants.js";
import { AgentRegistrationFile, type AgentService } from "./schemas.js";

export type BuildAgentRegistrationFileParameters = {
  name: string;
  description: string;
  /** Image URL for ERC-721 displays. */
  image?: string | undefined;
  /** Services (`{ name, endpoint, version? }`). */
  services: readonly AgentService[];
  /** Whether the agent's services accept x402 payments. */
  x402Support?: boolean | undefined;
  /** Whether the agent is active. */
  active?: boolean | undefined;
  /** On-chain identities this file belongs to (an agent SHOULD list at least one). */
  registrations?: readonly { agentId: bigint; chainId: number | bigint; identityRegistry: Address }[] | undefined;
  /** Trust models, e.g. `["reputation"]`. */
  supportedTrust?: readonly string[] | undefined;
};
export type BuildAgentRegistrationFileReturnType = AgentRegistrationFile;
export type BuildAgentRegistrationFileErrorType = SchemaValidationErrorType;

/**
 * Builds and validates an ERC-8004 agent registration file (the JSON an `agentURI` points to).
 * `registrations[].agentRegistry` is written as `eip155:<chainId>:<identityRegistry>`.
 *
 * @see https://eips.ethereum.org/EIPS/eip-8004
 * @param parameters - {@link BuildAgentRegistrationFileParameters}
 * @returns The registration file.
 * @throws {SchemaValidationError} When a field is invalid (e.g. an empty name).
 *
 * @example
 * ```ts
 * import { buildAgentRegistrationFile, encodeAgentRegistrationDataUri } from "@x402kit/signer/erc8004";
 * const file = buildAgentRegistrationFile({
 *   name: "WeatherBot", description: "Forecasts, paid per call with x402.",
 *   services: [{ name: "web", endpoint: "https://weather.example" }],
 *   x402Support: true,
 *   registrations: [{ agentId: 7n, chainId: 84532, identityRegistry: "0x8004A818BFB912233c491871b3d84c89A494BD9e" }],
 * });
 * const agentURI = encodeAgentRegistrationDataUri({ file });
 * ```
 */
export function buildAgentRegistrationFile(
  parameters: BuildAgentRegistrationFileParameters,
): BuildAgentRegistrationFileReturnType {
  const file = {
    type: AGENT_REGISTRATION_FILE_TYPE,
    name: parameters.name,
    description: parameters.description,
    ...(parameters.image === undefined ? {} : { image: parameters.image }),
    services: parameters.services.map((service) => ({ ...service })),
    ...(parameters.x402Support === undefined ? {} : { x402Support: parameters.x402Support }),
    ...(parameters.active === undefined ? {} : { active: parameters.active }),
    registrations: (parameters.registrations ?? []).map((registration) => ({
      agentId: toJsonInteger(registration.agentId),
      agentRegistry: formatCaip10(registration.chainId, registration.identityRegistry),
    })),
    ...(parameters.supportedTrust === undefined ? {} : { supportedTrust: [...parameters.supportedTrust] }),
  };
  return parseWithSchema(AgentRegistrationFile, file, "AgentRegistrationFile");
}
