/**
 * zod schemas of the ERC-8004 off-chain files: the agent registration file (the `agentURI` target)
 * and the feedback file (the `feedbackURI` target). Unknown keys are kept: the ERC allows any
 * additional fields.
 *
 * @see https://eips.ethereum.org/EIPS/eip-8004
 */
import { z } from "zod";
import { Address, Bytes32Hex, NonEmptyString } from "../wire/primitives.js";
import { AGENT_REGISTRATION_FILE_TYPE } from "./constants.js";

const MAX_ABS_FEEDBACK_VALUE = 10n ** 38n;

/** `namespace:chainId:address`, e.g. `eip155:8453:0x8004A169FB4a3325136EB29fA0ceB6D2e539a432` (CAIP-10 style). */
export const Caip10Address = z
  .string()
  .regex(/^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}:0x[0-9a-fA-F]{40}$/, "expected namespace:chainId:0x-address");
export type Caip10Address = z.infer<typeof Caip10Address>;

/** A non-negative integer as a JSON number or, when too large for one, a decimal string. */
export const UintJson = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d{1,78}$/, "expected a non-negative integer"),
]);
export type UintJson = z.infer<typeof UintJson>;

/** One service an agent exposes (`web`, `A2A`, `MCP`, `OASF`, `ENS`, `DID`, `email`, or any other). */
export const AgentService = z.looseObject({
  name: NonEmptyString,
  endpoint: NonEmptyString,
  version: z.string().optional(),
  skills: z.array(z.string()).optional(),
  domains: z.array(z.string()).optional(),
});
export type AgentService = z.infer<typeof AgentService>;

/** A link from the file back to an on-chain identity. */
export const AgentRegistrationEntry = z.looseObject({
  agentId: UintJson,
  agentRegistry: Caip10Address,
});
export type AgentRegistrationEntry = z.infer<typeof AgentRegistrationEntry>;

/** The ERC-8004 agent registration file (latest, `registration-v1`). */
export const AgentRegistrationFile = z.looseObject({
  type: z.literal(AGENT_REGISTRATION_FILE_TYPE),
  name: NonEmptyString,
  description: z.string(),
  image: z.string().optional(),
  services: z.array(AgentService),
  x402Support: z.boolean().optional(),
  active: z.boolean().optional(),
  registrations: z.array(AgentRegistrationEntry).optional(),
  supportedTrust: z.array(z.string()).optional(),
});
export type AgentRegistrationFile = z.infer<typeof AgentRegistrationFile>;

/** Evidence that the reviewer paid the agent, e.g. an x402 settlement. */
export const ProofOfPayment = z.looseObject({
  fromAddress: Address,
  toAddress: Address,
  /** Decimal chain id as a string (`"8453"`), as the ERC's example writes it. */
  chainId: z.string().regex(/^[1-9]\d{0,18}$/, "expected a decimal chain id string"),
  txHash: Bytes32Hex,
});
export type ProofOfPayment = z.infer<typeof ProofOfPayment>;

/** The ERC-8004 off-chain feedback file. `value`/`valueDecimals` mirror `giveFeedback`. */
export const FeedbackFile = z.looseObject({
  agentRegistry: Caip10Address,
  agentId: UintJson,
  clientAddress: Caip10Address,
  createdAt: z.iso.datetime({ offset: true }),
  /** Signed fixed-point value (`int128`, |value| ≤ 1e38), a JSON number or a decimal string. */
  value: z.union([z.number().int(), z.string().regex(/^-?\d{1,39}$/)]).refine((value) => {
    const big = BigInt(value);
    return big <= MAX_ABS_FEEDBACK_VALUE && big >= -MAX_ABS_FEEDBACK_VALUE;
  }, "|value| must be at most 1e38"),
  valueDecimals: z.number().int().min(0).max(18),
  tag1: z.string().optional(),
  tag2: z.string().optional(),
  endpoint: z.string().optional(),
  mcp: z
    .looseObject({ tool: z.string().optional(), prompt: z.string().optional(), resource: z.string().optional() })
    .optional(),
  a2a: z
    .looseObject({
      skills: z.array(z.string()).optional(),
      contextId: z.string().optional(),
      taskId: z.string().optional(),
    })
    .optional(),
  oasf: z.looseObject({ skills: z.array(z.string()).optional(), domains: z.array(z.string()).optional() }).optional(),
  proofOfPayment: ProofOfPayment.optional(),
});
export type FeedbackFile = z.infer<typeof FeedbackFile>;
