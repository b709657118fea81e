/**
 * `erc8004Addresses`: the default puts the ERC-8004 registries at the official registries' addresses on a local
 * Base Sepolia twin (84532) as on 31337; `deployed` keeps them at the Ignition-deployed proxies (the bindings'
 * `deployments[31337]`), leaving the canonical addresses empty.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { deployments, identityRegistryAbi, reputationRegistryAbi } from "@x402kit/bindings";
import { getErc8004CanonicalAddresses } from "@x402kit/bindings/erc8004";
import { createPublicClient, http } from "viem";
import { type Devnet, startDevnet } from "../src/index.js";

let deployed: Devnet;
let baseSepolia: Devnet;

before(async () => {
  [deployed, baseSepolia] = await Promise.all([
    startDevnet({ accounts: 1, erc8004Addresses: "deployed" }),
    startDevnet({ accounts: 1, chainId: 84532 }),
  ]);
});
after(async () => {
  await Promise.all([deployed?.stop(), baseSepolia?.stop()]);
});

const clientOf = (devnet: Devnet) => createPublicClient({ chain: devnet.chain, transport: http(devnet.rpcUrl) });

describe("erc8004Addresses", () => {
  test("deployed: today's addresses, the canonical ones left empty", async () => {
    const client = clientOf(deployed);
    assert.equal(deployed.contracts.erc8004Addresses, "deployed");
    assert.deepEqual(deployed.contracts.addresses, deployments[31337]);
    assert.equal(deployed.contracts.identityRegistry, deployments[31337].identityRegistry);
    assert.equal(deployed.env.IDENTITY_REGISTRY_ADDRESS, deployments[31337].identityRegistry);
    assert.equal(deployed.env.REPUTATION_REGISTRY_ADDRESS, deployments[31337].reputationRegistry);
    assert.equal(deployed.env.VALIDATION_REGISTRY_ADDRESS, deployments[31337].validationRegistry);
    assert.equal(deployed.agent.agentRegistry, `eip155:31337:${deployments[31337].identityRegistry}`);
    assert.equal(
      await client.readContract({
        address: deployments[31337].identityRegistry,
        abi: identityRegistryAbi,
        functionName: "getAgentWallet",
        args: [deployed.agent.agentId],
      }),
      deployed.accounts.agentWallet.address,
    );
    for (const address of Object.values(getErc8004CanonicalAddresses({ chainId: 31337 }))) {
      assert.equal((await client.getCode({ address })) ?? "0x", "0x", `code at ${address}`);
    }
  });

  test("canonical on 84532: the official testnet addresses, the demo agent registered there", async () => {
    const client = clientOf(baseSepolia);
    const canonical = getErc8004CanonicalAddresses({ chainId: 84532 });
    assert.equal(baseSepolia.contracts.erc8004Addresses, "canonical");
    assert.equal(await client.getChainId(), 84532);
    assert.equal(baseSepolia.contracts.identityRegistry, canonical.identityRegistry);
    assert.equal(baseSepolia.contracts.reputationRegistry, canonical.reputationRegistry);
    assert.equal(baseSepolia.contracts.validationRegistry, canonical.validationRegistry);
    assert.equal(baseSepolia.env.IDENTITY_REGISTRY_ADDRESS, canonical.identityRegistry);
    assert.equal(baseSepolia.agent.agentRegistry, `eip155:84532:${canonical.identityRegistry}`);
    assert.equal(
      await client.readContract({
        address: canonical.identityRegistry,
        abi: identityRegistryAbi,
        functionName: "getAgentWallet",
        args: [baseSepolia.agent.agentId],
      }),
      baseSepolia.accounts.agentWallet.address,
    );
    assert.equal(
      await client.readContract({
        address: canonical.reputationRegistry,
        abi: reputationRegistryAbi,
        functionName: "getIdentityRegistry",
      }),
      canonical.identityRegistry,
    );
    assert.match(
      await client.readContract({
        address: canonical.reputationRegistry,
        abi: reputationRegistryAbi,
        functionName: "getVersion",
      }),
      /^2\.0\.0/,
    );
  });
});
