/** One contract exposed by the bindings. */
export interface BindingContract {
  /** Solidity contract name (the artifact's `contractName`). */
  contractName: string;
  /** Source path as Hardhat names it (the artifact folder), e.g. `contracts/token/TestUSDC.sol`. */
  sourceName: string;
  /** Prefix of the exported constants: `<exportName>Abi`, `<exportName>Bytecode`. */
  exportName: string;
  /** Whether creation bytecode is exported (false for interfaces). */
  deployable: boolean;
}

/** The contracts the bindings expose, in export order. Add a contract here when it lands. */
export const CONTRACTS: readonly BindingContract[] = [
  {
    contractName: "ERC1271WalletMock",
    sourceName: "contracts/mocks/ERC1271WalletMock.sol",
    exportName: "erc1271WalletMock",
    deployable: true,
  },
  {
    contractName: "IERC3009",
    sourceName: "contracts/interfaces/IERC3009.sol",
    exportName: "ierc3009",
    deployable: false,
  },
  {
    contractName: "TestUSDC",
    sourceName: "contracts/token/TestUSDC.sol",
    exportName: "testUsdc",
    deployable: true,
  },
];
