/**
 * `@x402kit/bindings`: typed bindings for the x402kit contracts, generated from their Hardhat
 * artifacts: `as const` ABIs for viem, creation bytecode, the addresses of every known deployment,
 * and {@link getContracts} for typed viem contract instances.
 *
 * Subpaths: `@x402kit/bindings/ethers` (TypeChain ethers-v6 typings and factories),
 * `@x402kit/bindings/router` (the batch settlement router's packed format) and
 * `@x402kit/bindings/ignition` (the Hardhat Ignition modules and a programmatic deploy).
 *
 * @packageDocumentation
 */

export {
  BATCH_SETTLEMENT_ADDRESS,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  PERMIT2_DEPOSIT_COLLECTOR_ADDRESS,
} from "./batchSettlement/officialAddresses.js";
export { BaseError, type BaseErrorParameters, type BaseErrorType } from "./errors/base.js";
export {
  ChainIdRequiredError,
  type ChainIdRequiredErrorType,
  DeploymentNotFoundError,
  type DeploymentNotFoundErrorType,
} from "./errors/deployments.js";
export {
  batchSettlementRouterAbi,
  erc1271WalletFactoryMockAbi,
  erc1271WalletMockAbi,
  erc1967ProxyAbi,
  erc3009DepositCollectorAbi,
  iBatchSettlementRouterAbi,
  iDepositCollectorAbi,
  identityRegistryAbi,
  ierc3009Abi,
  iX402BatchSettlementAbi,
  permit2DepositCollectorAbi,
  reputationRegistryAbi,
  testErc20Abi,
  testUsdcAbi,
  validationRegistryAbi,
  x402BatchSettlementAbi,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "./generated/abis.js";
export { deployments } from "./generated/addresses.js";
export {
  batchSettlementRouterBytecode,
  erc1271WalletFactoryMockBytecode,
  erc1271WalletMockBytecode,
  erc1967ProxyBytecode,
  erc3009DepositCollectorBytecode,
  identityRegistryBytecode,
  permit2DepositCollectorBytecode,
  reputationRegistryBytecode,
  testErc20Bytecode,
  testUsdcBytecode,
  validationRegistryBytecode,
  x402BatchSettlementBytecode,
  x402ExactPermit2ProxyBytecode,
  x402UptoPermit2ProxyBytecode,
} from "./generated/bytecode.js";
export {
  type ContractClient,
  type GetContractsErrorType,
  type GetContractsParameters,
  type GetContractsReturnType,
  getContracts,
} from "./getContracts.js";
export {
  type EnsureMulticall3Parameters,
  ensureMulticall3,
  MULTICALL3_ADDRESS,
  Multicall3NotInstalledError,
  type Multicall3NotInstalledErrorType,
} from "./multicall3.js";
export {
  type EnsurePermit2Parameters,
  ensurePermit2,
  PERMIT2_ADDRESS,
  Permit2NotInstalledError,
  type Permit2NotInstalledErrorType,
  permit2Abi,
  permit2DomainSeparator,
  permit2RuntimeCodeFor,
} from "./permit2.js";
export {
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "./permit2Proxies/officialAddresses.js";
export type { X402KitAddresses, X402KitContractName } from "./types.js";
