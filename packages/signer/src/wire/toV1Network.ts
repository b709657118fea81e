import { UnknownNetworkError, type UnknownNetworkErrorType } from "../errors/wire.js";
import { type CustomV1Networks, V1_EVM_NETWORKS, V1_SOLANA_NETWORKS } from "./networks.js";

export type ToV1NetworkParameters = {
  /** A CAIP-2 id (`eip155:84532`) or a v1 name (returned unchanged when known). */
  network: string;
  /** Extra v1 EVM names to accept, e.g. `{ localhost: 31337 }`. Built-in names win. */
  customV1Networks?: CustomV1Networks | undefined;
};
export type ToV1NetworkReturnType = string;
export type ToV1NetworkErrorType = UnknownNetworkErrorType;

/**
 * Converts a CAIP-2 id to its x402 v1 network name (`eip155:84532` → `base-sepolia`).
 *
 * @param parameters - {@link ToV1NetworkParameters}
 * @returns The v1 name.
 * @throws {UnknownNetworkError} When the chain has no v1 name (e.g. `eip155:31337`): use v2 there.
 *
 * @example
 * ```ts
 * import { toV1Network } from "@x402kit/signer/wire";
 * toV1Network({ network: "eip155:8453" }); // "base"
 * toV1Network({ network: "eip155:31337", customV1Networks: { localhost: 31337 } }); // "localhost"
 * ```
 */
export function toV1Network(parameters: ToV1NetworkParameters): ToV1NetworkReturnType {
  const { network, customV1Networks } = parameters;
  const isKnownName =
    Object.hasOwn(V1_EVM_NETWORKS, network) ||
    Object.hasOwn(V1_SOLANA_NETWORKS, network) ||
    (customV1Networks !== undefined && Object.hasOwn(customV1Networks, network));
  if (isKnownName) return network;
  const match = /^eip155:([1-9]\d{0,18})$/.exec(network);
  if (match) {
    const chainId = Number(match[1]);
    for (const [name, id] of Object.entries(V1_EVM_NETWORKS)) if (id === chainId) return name;
    for (const [name, id] of Object.entries(customV1Networks ?? {})) if (id === chainId) return name;
  }
  for (const [name, id] of Object.entries(V1_SOLANA_NETWORKS)) if (id === network) return name;
  throw new UnknownNetworkError({
    network,
    details: "this chain has no x402 v1 network name; use x402 v2 (CAIP-2) for it",
  });
}
