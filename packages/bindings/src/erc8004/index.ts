/**
 * `@x402kit/bindings/erc8004`: the addresses of the official ERC-8004 registries (erc-8004/erc-8004-contracts
 * `scripts/addresses.ts`) by chain id, hand-written and tested against that list. Pair them with the bindings'
 * typed ABIs (`identityRegistryAbi`, `reputationRegistryAbi`, `validationRegistryAbi`), which hold every
 * function and event of the official registries, to talk to the official deployments (e.g. on Base Sepolia) or
 * to an x402kit devnet, whose registries sit at the testnet addresses by default.
 *
 * @packageDocumentation
 */

export { BaseError, type BaseErrorParameters, type BaseErrorType } from "../errors/base.js";
export { Erc8004ChainNotKnownError, type Erc8004ChainNotKnownErrorType } from "../errors/erc8004.js";
export {
  type Erc8004Addresses,
  type Erc8004ChainId,
  erc8004CanonicalAddresses,
  erc8004MainnetAddresses,
  erc8004MainnetChainIds,
  erc8004TestnetAddresses,
  erc8004TestnetChainIds,
} from "./canonicalAddresses.js";
export {
  type GetErc8004CanonicalAddressesErrorType,
  type GetErc8004CanonicalAddressesParameters,
  getErc8004CanonicalAddresses,
} from "./getErc8004CanonicalAddresses.js";
