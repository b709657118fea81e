export {
  batchSettlementRouterAbi,
  erc1271WalletMockAbi,
  iBatchSettlementRouterAbi,
  ierc3009Abi,
  testUsdcAbi,
} from "./generated/abis.js";
export { batchSettlementRouterBytecode, erc1271WalletMockBytecode, testUsdcBytecode } from "./generated/bytecode.js";
