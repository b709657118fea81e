import { type Address, getAddress, isAddress, type TypedDataDomain } from "viem";
import { InvalidAuthorizationError, type InvalidAuthorizationErrorType } from "../errors/signer.js";
import { agentWalletSetTypes, IDENTITY_REGISTRY_EIP712_NAME, IDENTITY_REGISTRY_EIP712_VERSION } from "./constants.js";

export type BuildAgentWalletSetTypedDataParameters = {
  /** Address of the Identity Registry (the proxy), the domain's `verifyingContract`. */
  identityRegistry: Address;
  /** Chain of the registry. */
  chainId: number | bigint;
  /** The agent (ERC-721 token id; 0 is valid). */
  agentId: bigint;
  /** The wallet being set, which signs. */
  newWallet: Address;
  /** The agent's owner, who submits `setAgentWallet`. */
  owner: Address;
  /** Unix seconds after which the proof is void (the registry allows at most now + 300). */
  deadline: bigint;
  /** Domain name, if the registry differs from the reference. */
  domainName?: string | undefined;
  /** Domain version, if the registry differs from the reference. */
  domainVersion?: string | undefined;
};
export type BuildAgentWalletSetTypedDataReturnType = {
  domain: TypedDataDomain & { name: string; version: string; chainId: number; verifyingContract: Address };
  types: typeof agentWalletSetTypes;
  primaryType: "AgentWalletSet";
  message: { agentId: bigint; newWallet: Address; owner: Address; deadline: bigint };
};
export type BuildAgentWalletSetTypedDataErrorType = InvalidAuthorizationErrorType;

/**
 * The EIP-712 typed data a wallet signs to consent to becoming an agent's `agentWallet` in an ERC-8004
 * Identity Registry (`setAgentWallet(agentId, newWallet, deadline, signature)`), with the reference
 * implementation's domain (`ERC8004IdentityRegistry`, `1`).
 *
 * @see https://eips.ethereum.org/EIPS/eip-8004
 * @param parameters - {@link BuildAgentWalletSetTypedDataParameters}
 * @returns Typed data for `signTypedData` / `hashTypedData`.
 * @throws {InvalidAuthorizationError} When an address or number is malformed.
 *
 * @example
 * ```ts
 * import { hashTypedData } from "viem";
 * import { buildAgentWalletSetTypedData } from "@x402kit/signer/erc8004";
 * const digest = hashTypedData(buildAgentWalletSetTypedData({
 *   identityRegistry: "0x8004A818BFB912233c491871b3d84c89A494BD9e", chainId: 84532,
 *   agentId: 7n, newWallet, owner, deadline: BigInt(Math.floor(Date.now() / 1000) + 240),
 * }));
 * ```
 */
export function buildAgentWalletSetTypedData(
  parameters: BuildAgentWalletSetTypedDataParameters,
): BuildAgentWalletSetTypedDataReturnType {
  const address = (value: string, field: string) => {
    if (!isAddress(value, { strict: false }))
      throw new InvalidAuthorizationError({ reason: `${field} is not an address` });
    return getAddress(value);
  };
  const uint = (value: bigint, field: string) => {
    if (typeof value !== "bigint" || value < 0n || value >= 2n ** 256n) {
      throw new InvalidAuthorizationError({ reason: `${field} must be a uint256 bigint` });
    }
    return value;
  };
  const chainId = Number(parameters.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new InvalidAuthorizationError({ reason: "chainId must be a positive safe integer" });
  }
  return {
    domain: {
      name: parameters.domainName ?? IDENTITY_REGISTRY_EIP712_NAME,
      version: parameters.domainVersion ?? IDENTITY_REGISTRY_EIP712_VERSION,
      chainId,
      verifyingContract: address(parameters.identityRegistry, "identityRegistry"),
    },
    types: agentWalletSetTypes,
    primaryType: "AgentWalletSet",
    message: {
      agentId: uint(parameters.agentId, "agentId"),
      newWallet: address(parameters.newWallet, "newWallet"),
      owner: address(parameters.owner, "owner"),
      deadline: uint(parameters.deadline, "deadline"),
    },
  };
}
