/** Pins the public surface, so adding or removing an export is a deliberate, reviewed change. */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as main from "./index.js";

test("exports: @x402kit/devnet", () => {
  assert.deepEqual(Object.keys(main).sort(), [
    "ComponentExitedError",
    "DEFAULT_MODE",
    "DEMO_CHANNEL_DEPOSIT",
    "DEMO_CHANNEL_ROUTE",
    "DEMO_ROUTES",
    "DataDirInUseError",
    "DeploymentError",
    "DevnetError",
    "FIAT_TOKEN_PROXY_ADMIN",
    "HardhatNodeStartError",
    "InvalidDevnetOptionError",
    "PAYER_USDC",
    "PortInUseError",
    "TEST_ERC20",
    "awaitBalancedLeases",
    "buildDevnetEnv",
    "defineDevnetChain",
    "deployFiatToken",
    "deployTestErc20",
    "deriveDevnetAccounts",
    "formatDevnetEnv",
    "installBatchSettlement",
    "installCanonicalErc8004",
    "installPermit2Proxies",
    "runDemoAgent",
    "smartWalletAccount",
    "startDevnet",
  ]);
});
