/**
 * `@x402kit/devnet`: a complete local x402 stack in one call (Hardhat node, x402kit contracts, funded
 * accounts, an ERC-8004 demo agent, our facilitator, a paid demo API), for the `x402kit-devnet` CLI
 * and for test suites.
 *
 * @packageDocumentation
 */

export { HardhatNodeStartError, PortInUseError } from "@x402kit/hardhat-node";
export { type DevnetAccount, type DevnetAccounts, deriveDevnetAccounts } from "./accounts.js";
export { awaitBalancedLeases } from "./awaitBalancedLeases.js";
export { defineDevnetChain } from "./defineDevnetChain.js";
export type { DevnetContracts, DevnetErc8004Addresses, DevnetToken, DevnetTokenKind } from "./deployContracts.js";
export { type DeployFiatTokenParameters, deployFiatToken, FIAT_TOKEN_PROXY_ADMIN } from "./deployFiatToken.js";
export { type DeployTestErc20Parameters, deployTestErc20, TEST_ERC20 } from "./deployTestErc20.js";
export { type BuildDevnetEnvParameters, buildDevnetEnv, type DevnetEnv, formatDevnetEnv } from "./devnetEnv.js";
export {
  ComponentExitedError,
  DataDirInUseError,
  DeploymentError,
  DevnetError,
  type DevnetErrorParameters,
  InvalidDevnetOptionError,
} from "./errors.js";
export {
  type BatchSettlementAddresses,
  type InstallBatchSettlementParameters,
  installBatchSettlement,
} from "./installBatchSettlement.js";
export { type InstallCanonicalErc8004Parameters, installCanonicalErc8004 } from "./installCanonicalErc8004.js";
export {
  type InstallPermit2ProxiesParameters,
  installPermit2Proxies,
  type Permit2ProxyAddresses,
} from "./installPermit2Proxies.js";
export type { DevnetAgent } from "./registerDemoAgent.js";
export {
  type DemoBalances,
  type DemoFeedback,
  type DemoPayment,
  type DemoProgress,
  type DemoReport,
  type DemoTransaction,
  type RunDemoAgentParameters,
  runDemoAgent,
} from "./runDemoAgent.js";
export { type DevnetSmartWallet, type DevnetSmartWallets, smartWalletAccount } from "./smartWallets.js";
export {
  DEMO_CHANNEL_DEPOSIT,
  DEMO_CHANNEL_ROUTE,
  DEMO_ROUTES,
  type DemoChannels,
  type DemoRoute,
} from "./startDemoApi.js";
export {
  DEFAULT_MODE,
  type Devnet,
  type DevnetFacilitator,
  type DevnetStep,
  type DevnetStopped,
  PAYER_USDC,
  type StartDevnetParameters,
  startDevnet,
} from "./startDevnet.js";
