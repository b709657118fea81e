import type { BaseErrorType } from "../errors/base.js";
import { Erc8004ChainNotKnownError, type Erc8004ChainNotKnownErrorType } from "../errors/erc8004.js";
import { type Erc8004Addresses, erc8004CanonicalAddresses } from "./canonicalAddresses.js";

export type GetErc8004CanonicalAddressesParameters = {
  /** The chain, e.g. 84532 (Base Sepolia) or 31337 (Hardhat and the x402kit devnet). */
  chainId: number;
};

export type GetErc8004CanonicalAddressesErrorType = Erc8004ChainNotKnownErrorType | BaseErrorType;

/**
 * The official ERC-8004 registries' addresses on `chainId` (the erc-8004/erc-8004-contracts vanity proxies).
 *
 * @param parameters - {@link GetErc8004CanonicalAddressesParameters}
 * @returns The identity, reputation and validation registries' addresses.
 * @throws {Erc8004ChainNotKnownError} When the official registries list no deployment on `chainId`.
 *
 * @example
 * ```ts
 * import { identityRegistryAbi } from "@x402kit/bindings";
 * import { getErc8004CanonicalAddresses } from "@x402kit/bindings/erc8004";
 * const { identityRegistry } = getErc8004CanonicalAddresses({ chainId: 84532 });
 * const version = await publicClient.readContract({ address: identityRegistry, abi: identityRegistryAbi, functionName: "getVersion" });
 * ```
 */
export function getErc8004CanonicalAddresses(parameters: GetErc8004CanonicalAddressesParameters): Erc8004Addresses {
  const { chainId } = parameters;
  const addresses = Object.hasOwn(erc8004CanonicalAddresses, chainId)
    ? (erc8004CanonicalAddresses as { readonly [chainId: number]: Erc8004Addresses })[chainId]
    : undefined;
  if (addresses === undefined) {
    throw new Erc8004ChainNotKnownError({
      chainId,
      knownChainIds: Object.keys(erc8004CanonicalAddresses).map(Number),
    });
  }
  return addresses;
}
