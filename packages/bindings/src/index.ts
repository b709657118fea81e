export { erc1271WalletMockAbi, ierc3009Abi, testUsdcAbi } from "./generated/abis.js";
export { erc1271WalletMockBytecode, testUsdcBytecode } from "./generated/bytecode.js";
