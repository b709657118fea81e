import { UnknownNetworkError, type UnknownNetworkErrorType } from "../errors/wire.js";
import { type CustomV1Networks, V1_EVM_NETWORKS } from "./networks.js";

export type NetworkToChainIdParameters = {
  /** A v2 CAIP-2 id (`eip155:8453`) or a v1 EVM name (`base`). */
  network: string;
  /** Extra v1 names to accept, e.g. `{ localhost: 31337 }`. Built-in names win on conflict. */
  customV1Networks?: CustomV1Networks | undefined;
};
export type NetworkToChainIdReturnType = number;
export type NetworkToChainIdErrorType = UnknownNetworkErrorType;

const EIP155_REGEX = /^eip155:([1-9]\d{0,18})$/;

/**
 * Resolves the EIP-155 chain id of an x402 network, v1 name or v2 CAIP-2 id.
 *
 * @param parameters - {@link NetworkToChainIdParameters}
 * @returns The chain id.
 * @throws {UnknownNetworkError} For a non-EVM network, a malformed id or an unknown v1 name.
 *
 * @example
 * ```ts
 * import { networkToChainId } from "@x402kit/signer/wire";
 * networkToChainId({ network: "base-sepolia" }); // 84532
 * networkToChainId({ network: "eip155:31337" }); // 31337
 * ```
 */
export function networkToChainId(parameters: NetworkToChainIdParameters): NetworkToChainIdReturnType {
  const { network, customV1Networks } = parameters;
  const match = EIP155_REGEX.exec(network);
  if (match) {
    const chainId = Number(match[1]);
    if (Number.isSafeInteger(chainId)) return chainId;
    throw new UnknownNetworkError({ network, details: "chain id is not a safe integer" });
  }
  if (Object.hasOwn(V1_EVM_NETWORKS, network)) return V1_EVM_NETWORKS[network as keyof typeof V1_EVM_NETWORKS];
  const custom = customV1Networks && Object.hasOwn(customV1Networks, network) ? customV1Networks[network] : undefined;
  if (custom !== undefined && Number.isSafeInteger(custom) && custom > 0) return custom;
  throw new UnknownNetworkError({
    network,
    details: network.includes(":")
      ? "only eip155:<chainId> networks have an EVM chain id"
      : "not a known v1 EVM network name",
  });
}
