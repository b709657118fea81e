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
    contractName: "BatchSettlementRouter",
    sourceName: "contracts/settlement/BatchSettlementRouter.sol",
    exportName: "batchSettlementRouter",
    deployable: true,
  },
  {
    contractName: "ERC1967Proxy",
    sourceName: "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",
    exportName: "erc1967Proxy",
    deployable: true,
  },
  {
    contractName: "ERC1271WalletMock",
    sourceName: "contracts/mocks/ERC1271WalletMock.sol",
    exportName: "erc1271WalletMock",
    deployable: true,
  },
  {
    contractName: "ERC1271WalletFactoryMock",
    sourceName: "contracts/mocks/ERC1271WalletFactoryMock.sol",
    exportName: "erc1271WalletFactoryMock",
    deployable: true,
  },
  {
    contractName: "ERC3009DepositCollector",
    sourceName: "contracts/settlement/ERC3009DepositCollector.sol",
    exportName: "erc3009DepositCollector",
    deployable: true,
  },
  {
    contractName: "IBatchSettlementRouter",
    sourceName: "contracts/interfaces/IBatchSettlementRouter.sol",
    exportName: "iBatchSettlementRouter",
    deployable: false,
  },
  {
    contractName: "IDepositCollector",
    sourceName: "contracts/interfaces/IDepositCollector.sol",
    exportName: "iDepositCollector",
    deployable: false,
  },
  {
    contractName: "IERC3009",
    sourceName: "contracts/interfaces/IERC3009.sol",
    exportName: "ierc3009",
    deployable: false,
  },
  {
    contractName: "IdentityRegistry",
    sourceName: "contracts/erc8004/IdentityRegistry.sol",
    exportName: "identityRegistry",
    deployable: true,
  },
  {
    contractName: "ReputationRegistry",
    sourceName: "contracts/erc8004/ReputationRegistry.sol",
    exportName: "reputationRegistry",
    deployable: true,
  },
  {
    contractName: "ValidationRegistry",
    sourceName: "contracts/erc8004/ValidationRegistry.sol",
    exportName: "validationRegistry",
    deployable: true,
  },
  {
    contractName: "IX402BatchSettlement",
    sourceName: "contracts/interfaces/IX402BatchSettlement.sol",
    exportName: "iX402BatchSettlement",
    deployable: false,
  },
  {
    contractName: "Permit2DepositCollector",
    sourceName: "contracts/settlement/Permit2DepositCollector.sol",
    exportName: "permit2DepositCollector",
    deployable: true,
  },
  {
    contractName: "TestUSDC",
    sourceName: "contracts/token/TestUSDC.sol",
    exportName: "testUsdc",
    deployable: true,
  },
  {
    contractName: "TestERC20",
    sourceName: "contracts/token/TestERC20.sol",
    exportName: "testErc20",
    deployable: true,
  },
  {
    contractName: "X402BatchSettlement",
    sourceName: "contracts/settlement/X402BatchSettlement.sol",
    exportName: "x402BatchSettlement",
    deployable: true,
  },
  {
    contractName: "X402ExactPermit2Proxy",
    sourceName: "contracts/settlement/X402ExactPermit2Proxy.sol",
    exportName: "x402ExactPermit2Proxy",
    deployable: true,
  },
  {
    contractName: "X402UptoPermit2Proxy",
    sourceName: "contracts/settlement/X402UptoPermit2Proxy.sol",
    exportName: "x402UptoPermit2Proxy",
    deployable: true,
  },
];
