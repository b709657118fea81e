import type { EIP1193Provider } from "@nomicfoundation/ignition-core";
import {
  ensureMulticall3,
  ensurePermit2,
  MULTICALL3_ADDRESS,
  PERMIT2_ADDRESS,
  testErc20Abi,
  testUsdcAbi,
  type X402KitAddresses,
} from "@x402kit/bindings";
import { deployX402Kit } from "@x402kit/bindings/ignition";
import type { Address, Chain } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { deployFiatToken } from "./deployFiatToken.js";
import { deployTestErc20 } from "./deployTestErc20.js";
import { DeploymentError } from "./errors.js";
import { installBatchSettlement } from "./installBatchSettlement.js";
import { installCanonicalErc8004 } from "./installCanonicalErc8004.js";
import { installPermit2Proxies } from "./installPermit2Proxies.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

/**
 * Which token the devnet pays in: `testusdc`, x402kit's TestUSDC (faucet on); `usdc`, Circle's FiatToken v2.2
 * bytecode behind its FiatTokenProxy, initialised as Base Sepolia USDC; or `erc20`, x402kit's TestERC20, a plain
 * ERC-20 with EIP-2612 and no EIP-3009, paid through Permit2 (every payer approves Permit2 once at start-up).
 */
export type DevnetTokenKind = "testusdc" | "usdc" | "erc20";

/**
 * Where the devnet's ERC-8004 registries answer: `canonical`, at the official registries' addresses for the chain id
 * (`0x8004A818…`, `0x8004B663…`, `0x8004Cb1B…` on 31337, 84532 and every testnet; see `@x402kit/bindings/erc8004`),
 * so tools wired to those find them; or `deployed`, at the proxies the `X402Kit` Ignition module deploys
 * (`deployments[31337]` of `@x402kit/bindings`).
 */
export type DevnetErc8004Addresses = "canonical" | "deployed";

/** The devnet's stablecoin as x402 requirements name it. */
export type DevnetToken = {
  readonly kind: DevnetTokenKind;
  readonly address: Address;
  /** ERC-20 name, also the EIP-712 domain name (x402 `extra.name`). */
  readonly name: string;
  readonly symbol: string;
  /** EIP-712 domain version (x402 `extra.version`). */
  readonly version: string;
  readonly decimals: number;
};

/** Addresses of the deployed contracts (the registries at their ERC-1967 proxies). */
export type DevnetContracts = {
  /** The token payments are made in (TestUSDC; FiatToken v2.2 with `token: "usdc"`; TestERC20 with `"erc20"`). */
  readonly token: DevnetToken;
  readonly router: Address;
  /** Multicall3, at its canonical address (installed when the chain lacks it). */
  readonly multicall3: Address;
  /** Uniswap's Permit2, at its canonical address (installed when the chain lacks it). */
  readonly permit2: Address;
  /**
   * x402kit's `batch-settlement` channel contract (`X402BatchSettlement`), at the official `@x402/evm` address
   * `BATCH_SETTLEMENT_ADDRESS` (`0x4020074e…10003`), where the official client, server and facilitator expect it.
   */
  readonly batchSettlement: Address;
  /** x402kit's `ERC3009DepositCollector`, at the official `ERC3009_DEPOSIT_COLLECTOR_ADDRESS` (`0x40208060…50004`). */
  readonly erc3009DepositCollector: Address;
  /** x402kit's `Permit2DepositCollector`, at the official `PERMIT2_DEPOSIT_COLLECTOR_ADDRESS` (`0x4020425F…B0005`). */
  readonly permit2DepositCollector: Address;
  /**
   * x402kit's `X402ExactPermit2Proxy` (`exact` with `assetTransferMethod: "permit2"`), at the official
   * `x402ExactPermit2ProxyAddress` (`0x402085c2…20001`), where the official client and facilitator expect it.
   */
  readonly exactPermit2Proxy: Address;
  /** x402kit's `X402UptoPermit2Proxy` (`upto`), at the official `x402UptoPermit2ProxyAddress` (`0x4020A4f3…40002`). */
  readonly uptoPermit2Proxy: Address;
  /** Where the ERC-8004 registries below are: the official registries' addresses, or the Ignition-deployed ones. */
  readonly erc8004Addresses: DevnetErc8004Addresses;
  readonly identityRegistry: Address;
  readonly reputationRegistry: Address;
  readonly validationRegistry: Address;
  /**
   * The x402kit contracts keyed as `@x402kit/bindings` names them, for `getContracts({ client, addresses })`.
   * TestUSDC is deployed on every devnet; with `token: "usdc"` or `"erc20"` it is `addresses.testUsdc`, not `token`. The
   * registries' entries are the addresses above (the canonical ones by default).
   */
  readonly addresses: X402KitAddresses;
};

export type DeployContractsParameters = {
  rpcUrl: string;
  chain: Chain;
  /** Deploys everything and becomes the token admin and registry owner (an account the node signs for). */
  deployer: DevnetAccount;
  /** The payment token. Default `testusdc`. */
  token?: DevnetTokenKind | undefined;
  /** Where the ERC-8004 registries answer. Default `canonical`. */
  erc8004Addresses?: DevnetErc8004Addresses | undefined;
};

/**
 * Deploys the x402kit contract set with the `X402Kit` Ignition module of `@x402kit/bindings`
 * (`deployX402Kit`: CREATE2 through CreateX, installed first on any chain id): TestUSDC (faucet on), the
 * batch settlement router, and the ERC-8004 identity, reputation and validation registries behind
 * ERC-1967 proxies. Deployed by Hardhat's account #0 with the default (local) parameters, the addresses
 * are the bindings' `deployments[31337]`, on every run and on every chain id. With `token: "usdc"`, Circle's
 * FiatToken v2.2 is deployed beside them ({@link deployFiatToken}) and becomes the payment token; with `token: "erc20"`,
 * TestERC20 ({@link deployTestErc20}). Permit2, the `batch-settlement` contracts and the `exact`/`upto` Permit2
 * proxies are placed at the addresses the official `@x402/evm` SDK expects. With
 * `erc8004Addresses: "canonical"` (the default), the registries are then installed at the official ERC-8004
 * addresses ({@link installCanonicalErc8004}) and those are the addresses returned.
 *
 * @param parameters - {@link DeployContractsParameters}
 * @returns The contract addresses and the token's EIP-712 identity (read back from the chain).
 * @throws {DeploymentError} When Ignition or a read-back fails.
 */
export async function deployContracts(parameters: DeployContractsParameters): Promise<DevnetContracts> {
  const client = createDevnetClient({
    rpcUrl: parameters.rpcUrl,
    chain: parameters.chain,
    account: parameters.deployer,
  });
  // The node holds the deployer's key (Hardhat's HD accounts), so Ignition can use eth_sendTransaction.
  const provider: EIP1193Provider = {
    request: (args) => client.request(args as Parameters<typeof client.request>[0]),
  };
  let addresses: X402KitAddresses;
  try {
    ({ addresses } = await deployX402Kit({
      provider,
      accounts: [parameters.deployer.address],
      // An automined local chain: poll fast, one confirmation.
      config: { blockPollingInterval: 50, requiredConfirmations: 1 },
    }));
  } catch (cause) {
    throw new DeploymentError({ step: "Ignition deployment of the X402Kit module", cause });
  }

  // Multicall3 at its canonical address, as on every public chain (viem's multicall, the official facilitator's
  // ERC-6492 simulation and our counterfactual-wallet settlements call it there).
  try {
    await ensureMulticall3({ provider });
  } catch (cause) {
    throw new DeploymentError({ step: `Multicall3 at ${MULTICALL3_ADDRESS}`, cause });
  }
  // Permit2 at its canonical address, its cached EIP-712 domain set for this chain and that address.
  try {
    await ensurePermit2({ provider });
  } catch (cause) {
    throw new DeploymentError({ step: `Permit2 at ${PERMIT2_ADDRESS}`, cause });
  }

  // The batch-settlement channel contract and its deposit collectors at the official SDK's addresses.
  const batchSettlement = await installBatchSettlement(parameters);
  // The `exact` (Permit2 transfer method) and `upto` Permit2 proxies at the official SDK's addresses.
  const permit2Proxies = await installPermit2Proxies(parameters);

  const erc8004Addresses = parameters.erc8004Addresses ?? "canonical";
  if (erc8004Addresses === "canonical") {
    const canonical = await installCanonicalErc8004({
      rpcUrl: parameters.rpcUrl,
      chain: parameters.chain,
      deployer: parameters.deployer,
      deployed: addresses,
    });
    addresses = { ...addresses, ...canonical };
  }

  const kind = parameters.token ?? "testusdc";
  const token =
    kind === "usdc"
      ? await deployFiatToken(parameters)
      : kind === "erc20"
        ? await deployTestErc20(parameters)
        : addresses.testUsdc;
  let identity: [string, string, string, number];
  try {
    const read = <T>(functionName: "name" | "symbol" | "decimals") =>
      client.readContract({ address: token, abi: testErc20Abi, functionName }) as Promise<T>;
    // TestERC20 (OpenZeppelin ERC20Permit) has no `version()`; its EIP-5267 `eip712Domain()` names the version.
    const version =
      kind === "erc20"
        ? client.readContract({ address: token, abi: testErc20Abi, functionName: "eip712Domain" }).then((d) => d[2])
        : client.readContract({ address: token, abi: testUsdcAbi, functionName: "version" });
    identity = await Promise.all([read<string>("name"), read<string>("symbol"), version, read<number>("decimals")]);
  } catch (cause) {
    throw new DeploymentError({
      step: `read ${tokenLabel(kind)}'s name, symbol, version and decimals`,
      cause,
    });
  }
  const [name, symbol, version, decimals] = identity;
  return {
    token: { kind, address: token, name, symbol, version, decimals },
    router: addresses.batchSettlementRouter,
    multicall3: MULTICALL3_ADDRESS,
    permit2: PERMIT2_ADDRESS,
    batchSettlement: batchSettlement.batchSettlement,
    erc3009DepositCollector: batchSettlement.erc3009DepositCollector,
    permit2DepositCollector: batchSettlement.permit2DepositCollector,
    exactPermit2Proxy: permit2Proxies.exactPermit2Proxy,
    uptoPermit2Proxy: permit2Proxies.uptoPermit2Proxy,
    erc8004Addresses,
    identityRegistry: addresses.identityRegistry,
    reputationRegistry: addresses.reputationRegistry,
    validationRegistry: addresses.validationRegistry,
    addresses,
  };
}

/** The contract name of a devnet token kind, for messages. */
export function tokenLabel(kind: DevnetTokenKind): string {
  return kind === "usdc" ? "FiatToken" : kind === "erc20" ? "TestERC20" : "TestUSDC";
}
