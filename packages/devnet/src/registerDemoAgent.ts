import { identityRegistryAbi } from "@x402kit/bindings";
import {
  type AgentService,
  buildAgentRegistrationFile,
  encodeAgentRegistrationDataUri,
  signAgentWalletSet,
} from "@x402kit/signer/erc8004";
import { type Address, type Chain, type Hash, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevnetAccount } from "./accounts.js";
import type { DevnetContracts } from "./deployContracts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

/** The demo agent's ERC-8004 identity. */
export type DevnetAgent = {
  /** ERC-721 token id in the Identity Registry. */
  readonly agentId: bigint;
  /** `eip155:<chainId>:<identityRegistry>`. */
  readonly agentRegistry: string;
  readonly owner: Address;
  /** The verified `agentWallet` (set with an `AgentWalletSet` proof), the demo API's `payTo`. */
  readonly wallet: Address;
  /** The registration file, as a base64 `data:` URI. */
  readonly agentURI: string;
};

export type RegisterDemoAgentParameters = {
  rpcUrl: string;
  chain: Chain;
  contracts: DevnetContracts;
  owner: DevnetAccount;
  wallet: DevnetAccount;
  /** Services listed in the registration file (e.g. the demo API). */
  services: readonly AgentService[];
};

/**
 * Registers the demo agent in the Identity Registry: `register()`, then `setAgentURI` with a
 * registration file (`x402Support: true`, its own `registrations` entry) as a `data:` URI, then
 * `setAgentWallet` with the wallet's EIP-712 `AgentWalletSet` proof (`signAgentWalletSet`).
 *
 * @param parameters - {@link RegisterDemoAgentParameters}
 * @returns The agent.
 * @throws {DeploymentError} When a transaction fails or the wallet does not read back.
 */
export async function registerDemoAgent(parameters: RegisterDemoAgentParameters): Promise<DevnetAgent> {
  const { chain, contracts } = parameters;
  const client = createDevnetClient({ rpcUrl: parameters.rpcUrl, chain, account: parameters.owner });
  const registry = contracts.identityRegistry;
  const mined = async (hash: Hash) => {
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  };
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new DeploymentError({ step: name, cause });
    }
  };

  const agentId = await step("IdentityRegistry.register", async () => {
    const receipt = await mined(
      await client.writeContract({ address: registry, abi: identityRegistryAbi, functionName: "register", args: [] }),
    );
    const [registered] = parseEventLogs({ abi: identityRegistryAbi, eventName: "Registered", logs: receipt.logs });
    if (!registered) throw new Error("no Registered event");
    return registered.args.agentId;
  });

  const file = buildAgentRegistrationFile({
    name: "x402kit demo agent",
    description: "A demo paid API on the x402kit devnet: every route is paid per call in test USDC with x402.",
    services: parameters.services,
    x402Support: true,
    active: true,
    registrations: [{ agentId, chainId: chain.id, identityRegistry: registry }],
    supportedTrust: ["reputation"],
  });
  const agentURI = encodeAgentRegistrationDataUri({ file });
  await step("IdentityRegistry.setAgentURI", async () =>
    mined(
      await client.writeContract({
        address: registry,
        abi: identityRegistryAbi,
        functionName: "setAgentURI",
        args: [agentId, agentURI],
      }),
    ),
  );

  const wallet = privateKeyToAccount(parameters.wallet.privateKey);
  await step("IdentityRegistry.setAgentWallet", async () => {
    // The registry checks the deadline against the chain's clock, so sign against it.
    const { timestamp } = await client.getBlock();
    const proof = await signAgentWalletSet({
      signer: wallet,
      identityRegistry: registry,
      chainId: chain.id,
      agentId,
      owner: parameters.owner.address,
      now: timestamp,
    });
    await mined(
      await client.writeContract({
        address: registry,
        abi: identityRegistryAbi,
        functionName: "setAgentWallet",
        args: [agentId, proof.newWallet, proof.deadline, proof.signature],
      }),
    );
    const stored = await client.readContract({
      address: registry,
      abi: identityRegistryAbi,
      functionName: "getAgentWallet",
      args: [agentId],
    });
    if (stored !== wallet.address) throw new Error(`getAgentWallet returned ${stored}, expected ${wallet.address}`);
  });

  return {
    agentId,
    agentRegistry: `eip155:${chain.id}:${registry}`,
    owner: parameters.owner.address,
    wallet: wallet.address,
    agentURI,
  };
}
