export {
  batchSettlementRouterAbi,
  erc1271WalletMockAbi,
  erc1967ProxyAbi,
  iBatchSettlementRouterAbi,
  identityRegistryAbi,
  ierc3009Abi,
  reputationRegistryAbi,
  testUsdcAbi,
  validationRegistryAbi,
} from "./generated/abis.js";
export {
  batchSettlementRouterBytecode,
  erc1271WalletMockBytecode,
  erc1967ProxyBytecode,
  identityRegistryBytecode,
  reputationRegistryBytecode,
  testUsdcBytecode,
  validationRegistryBytecode,
} from "./generated/bytecode.js";
