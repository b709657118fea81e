import type { DevnetAccounts } from "./accounts.js";
import type { DevnetContracts } from "./deployContracts.js";
import type { DevnetAgent } from "./registerDemoAgent.js";
import type { DevnetSmartWallets } from "./smartWallets.js";

/** The devnet's environment block: `NAME → value`, in print order. */
export type DevnetEnv = Readonly<Record<string, string>>;

export type BuildDevnetEnvParameters = {
  rpcUrl: string;
  chainId: number;
  contracts: DevnetContracts;
  accounts: DevnetAccounts;
  agent: DevnetAgent;
  facilitatorUrl: string;
  /** Every facilitator instance, the first being `facilitatorUrl`'s. */
  facilitators?: readonly { url: string; pid: number }[] | undefined;
  demoApiUrl?: string | undefined;
  dashboardUrl?: string | undefined;
  /** With smart-wallet payers: the factory and each payer's wallet. */
  smartWallets?: DevnetSmartWallets | undefined;
};

/**
 * The variables other tools need to use a devnet: endpoints, the CAIP-2 network, contract addresses,
 * the token's EIP-712 name and version, the demo agent, and the funded test keys.
 *
 * @param parameters - {@link BuildDevnetEnvParameters}
 * @returns The variables, in print order.
 */
export function buildDevnetEnv(parameters: BuildDevnetEnvParameters): DevnetEnv {
  const { contracts, accounts, agent } = parameters;
  return {
    RPC_URL: parameters.rpcUrl,
    CHAIN_ID: String(parameters.chainId),
    NETWORK: `eip155:${parameters.chainId}`,
    TOKEN_ADDRESS: contracts.token.address,
    TOKEN_NAME: contracts.token.name,
    TOKEN_VERSION: contracts.token.version,
    TOKEN_DECIMALS: String(contracts.token.decimals),
    ROUTER_ADDRESS: contracts.router,
    MULTICALL3_ADDRESS: contracts.multicall3,
    PERMIT2_ADDRESS: contracts.permit2,
    BATCH_SETTLEMENT_ADDRESS: contracts.batchSettlement,
    ERC3009_DEPOSIT_COLLECTOR_ADDRESS: contracts.erc3009DepositCollector,
    PERMIT2_DEPOSIT_COLLECTOR_ADDRESS: contracts.permit2DepositCollector,
    X402_EXACT_PERMIT2_PROXY_ADDRESS: contracts.exactPermit2Proxy,
    X402_UPTO_PERMIT2_PROXY_ADDRESS: contracts.uptoPermit2Proxy,
    IDENTITY_REGISTRY_ADDRESS: contracts.identityRegistry,
    REPUTATION_REGISTRY_ADDRESS: contracts.reputationRegistry,
    VALIDATION_REGISTRY_ADDRESS: contracts.validationRegistry,
    FACILITATOR_URL: parameters.facilitatorUrl,
    ...(parameters.facilitators
      ? {
          FACILITATOR_URLS: parameters.facilitators.map((f) => f.url).join(","),
          FACILITATOR_PIDS: parameters.facilitators.map((f) => String(f.pid)).join(","),
        }
      : {}),
    ...(parameters.demoApiUrl ? { DEMO_API_URL: parameters.demoApiUrl } : {}),
    ...(parameters.dashboardUrl ? { DASHBOARD_URL: parameters.dashboardUrl } : {}),
    AGENT_ID: agent.agentId.toString(),
    AGENT_WALLET_ADDRESS: agent.wallet,
    ...(parameters.smartWallets
      ? {
          SMART_WALLET_FACTORY_ADDRESS: parameters.smartWallets.factory,
          ...Object.fromEntries(
            parameters.smartWallets.wallets.map((wallet, i) => [`PAYER_${i + 1}_WALLET_ADDRESS`, wallet.address]),
          ),
        }
      : {}),
    DEPLOYER_PRIVATE_KEY: accounts.deployer.privateKey,
    ...Object.fromEntries(accounts.payers.map((payer, i) => [`PAYER_${i + 1}_PRIVATE_KEY`, payer.privateKey])),
  };
}

/**
 * Renders the block as `NAME=value` lines (readable by `node --env-file`, dotenv and shells), with a
 * test-only warning above it and above the keys.
 *
 * @param env - From {@link buildDevnetEnv}.
 * @returns The text, ending with a newline.
 */
export function formatDevnetEnv(env: DevnetEnv): string {
  const lines = [
    "# x402kit devnet: TEST ONLY. Local chain, test USDC, and keys derived from Hardhat's public mnemonic.",
  ];
  for (const [name, value] of Object.entries(env)) {
    if (name === "DEPLOYER_PRIVATE_KEY") {
      lines.push("# TEST-ONLY private keys (publicly known; never use them on a real network):");
    }
    lines.push(`${name}=${value}`);
  }
  return `${lines.join("\n")}\n`;
}
