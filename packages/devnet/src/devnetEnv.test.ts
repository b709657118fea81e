import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deployments } from "@x402kit/bindings";
import { erc8004TestnetAddresses } from "@x402kit/bindings/erc8004";
import { DEFAULT_HARDHAT_MNEMONIC } from "@x402kit/hardhat-node";
import { deriveDevnetAccounts } from "./accounts.js";
import { buildDevnetEnv, formatDevnetEnv } from "./devnetEnv.js";

// The devnet's default: the ERC-8004 registries at the official registries' (testnet) addresses.
const addresses = { ...deployments[31337], ...erc8004TestnetAddresses };
const accounts = deriveDevnetAccounts({ mnemonic: DEFAULT_HARDHAT_MNEMONIC, payers: 2 });
const parameters = {
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 84532,
  contracts: {
    token: { kind: "testusdc", address: addresses.testUsdc, name: "USDC", symbol: "USDC", version: "2", decimals: 6 },
    router: addresses.batchSettlementRouter,
    multicall3: "0xcA11bde05977b3631167028862bE2a173976CA11",
    permit2: "0x000000000022D473030F116dDEE9F6B43aC78BA3",
    batchSettlement: "0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003",
    erc3009DepositCollector: "0x4020806089470a89826cB9fB1f4059150b550004",
    permit2DepositCollector: "0x4020425FAf3B746C082C2f942b4E5159887B0005",
    exactPermit2Proxy: "0x402085c248EeA27D92E8b30b2C58ed07f9E20001",
    uptoPermit2Proxy: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002",
    erc8004Addresses: "canonical",
    identityRegistry: addresses.identityRegistry,
    reputationRegistry: addresses.reputationRegistry,
    validationRegistry: addresses.validationRegistry,
    addresses,
  },
  accounts,
  agent: {
    agentId: 0n,
    agentRegistry: `eip155:84532:${addresses.identityRegistry}`,
    owner: accounts.agentOwner.address,
    wallet: accounts.agentWallet.address,
    agentURI: "data:application/json;base64,e30=",
  },
  facilitatorUrl: "http://127.0.0.1:4022",
} as const;

describe("formatDevnetEnv", () => {
  test("default: NAME=value lines, test-only warnings, payers numbered from 1", () => {
    const text = formatDevnetEnv(
      buildDevnetEnv({ ...parameters, demoApiUrl: "http://127.0.0.1:4021", dashboardUrl: "http://127.0.0.1:4023" }),
    );
    assert.equal(
      text,
      `# x402kit devnet: TEST ONLY. Local chain, test USDC, and keys derived from Hardhat's public mnemonic.
RPC_URL=http://127.0.0.1:8545
CHAIN_ID=84532
NETWORK=eip155:84532
TOKEN_ADDRESS=0x8572722730E0533C24774Fd16fE10bD80136D3C9
TOKEN_NAME=USDC
TOKEN_VERSION=2
TOKEN_DECIMALS=6
ROUTER_ADDRESS=0x9ABfb4d1B9bB15EC9fE403789C92382a64407B1e
MULTICALL3_ADDRESS=0xcA11bde05977b3631167028862bE2a173976CA11
PERMIT2_ADDRESS=0x000000000022D473030F116dDEE9F6B43aC78BA3
BATCH_SETTLEMENT_ADDRESS=0x4020074e9dF2ce1deE5A9C1b5c3f541D02a10003
ERC3009_DEPOSIT_COLLECTOR_ADDRESS=0x4020806089470a89826cB9fB1f4059150b550004
PERMIT2_DEPOSIT_COLLECTOR_ADDRESS=0x4020425FAf3B746C082C2f942b4E5159887B0005
X402_EXACT_PERMIT2_PROXY_ADDRESS=0x402085c248EeA27D92E8b30b2C58ed07f9E20001
X402_UPTO_PERMIT2_PROXY_ADDRESS=0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002
IDENTITY_REGISTRY_ADDRESS=0x8004A818BFB912233c491871b3d84c89A494BD9e
REPUTATION_REGISTRY_ADDRESS=0x8004B663056A597Dffe9eCcC1965A193B7388713
VALIDATION_REGISTRY_ADDRESS=0x8004Cb1BF31DAf7788923b405b754f57acEB4272
FACILITATOR_URL=http://127.0.0.1:4022
DEMO_API_URL=http://127.0.0.1:4021
DASHBOARD_URL=http://127.0.0.1:4023
AGENT_ID=0
AGENT_WALLET_ADDRESS=0x90F79bf6EB2c4f870365E785982E1f101E93b906
# TEST-ONLY private keys (publicly known; never use them on a real network):
DEPLOYER_PRIVATE_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
PAYER_1_PRIVATE_KEY=0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
PAYER_2_PRIVATE_KEY=0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba
`,
    );
  });

  test("behavior: no DEMO_API_URL without the demo, no DASHBOARD_URL without the dashboard", () => {
    const env = buildDevnetEnv(parameters);
    assert.equal("DEMO_API_URL" in env, false);
    assert.equal("DASHBOARD_URL" in env, false);
    assert.equal(env.FACILITATOR_URL, "http://127.0.0.1:4022");
  });
});
