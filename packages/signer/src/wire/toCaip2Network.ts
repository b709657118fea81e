import { UnknownNetworkError, type UnknownNetworkErrorType } from "../errors/wire.js";
import { type CustomV1Networks, V1_EVM_NETWORKS, V1_SOLANA_NETWORKS } from "./networks.js";

export type ToCaip2NetworkParameters = {
  /** A v1 name (`base-sepolia`, `solana`) or an id that is already CAIP-2. */
  network: string;
  /** Extra v1 EVM names to accept, e.g. `{ localhost: 31337 }`. */
  customV1Networks?: CustomV1Networks | undefined;
};
export type ToCaip2NetworkReturnType = string;
export type ToCaip2NetworkErrorType = UnknownNetworkErrorType;

/**
 * Converts an x402 v1 network name to its CAIP-2 id (`base-sepolia` → `eip155:84532`). A value that
 * is already CAIP-2 (`namespace:reference`) is returned unchanged, so v1 and v2 ids can be compared
 * after normalising both.
 *
 * @param parameters - {@link ToCaip2NetworkParameters}
 * @returns The CAIP-2 id.
 * @throws {UnknownNetworkError} For an unknown v1 name.
 *
 * @example
 * ```ts
 * import { toCaip2Network } from "@x402kit/signer/wire";
 * toCaip2Network({ network: "base" }); // "eip155:8453"
 * toCaip2Network({ network: "eip155:31337" }); // "eip155:31337"
 * ```
 */
export function toCaip2Network(parameters: ToCaip2NetworkParameters): ToCaip2NetworkReturnType {
  const { network, customV1Networks } = parameters;
  if (/^[-a-z0-9]{3,8}:[-_a-zA-Z0-9*]{1,64}$/.test(network)) return network;
  if (Object.hasOwn(V1_EVM_NETWORKS, network)) {
    return `eip155:${V1_EVM_NETWORKS[network as keyof typeof V1_EVM_NETWORKS]}`;
  }
  if (Object.hasOwn(V1_SOLANA_NETWORKS, network)) {
    return V1_SOLANA_NETWORKS[network as keyof typeof V1_SOLANA_NETWORKS];
  }
  const custom = customV1Networks && Object.hasOwn(customV1Networks, network) ? customV1Networks[network] : undefined;
  if (custom !== undefined && Number.isSafeInteger(custom) && custom > 0) return `eip155:${custom}`;
  throw new UnknownNetworkError({ network, details: "not a known v1 network name or a CAIP-2 id" });
}
