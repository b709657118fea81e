export { erc1271WalletMockAbi } from "./generated/abis.js";
export { erc1271WalletMockBytecode } from "./generated/bytecode.js";
