import { identityRegistryAbi, reputationRegistryAbi, validationRegistryAbi } from "@x402kit/bindings";
import { type Erc8004Addresses, erc8004CanonicalAddresses, erc8004TestnetAddresses } from "@x402kit/bindings/erc8004";
import { type Address, type Chain, createTestClient, getAddress, type Hash, type Hex, http, pad, sliceHex } from "viem";
import type { DevnetAccount } from "./accounts.js";
import { DeploymentError } from "./errors.js";
import { createDevnetClient } from "./internal/createDevnetClient.js";

/** ERC-1967's implementation slot: `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`. */
export const ERC1967_IMPLEMENTATION_SLOT: Hex = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

export type InstallCanonicalErc8004Parameters = {
  rpcUrl: string;
  chain: Chain;
  /** The registries' owner (as on the deployed proxies): sends the initialisers. */
  deployer: DevnetAccount;
  /** The freshly deployed x402kit registries (their ERC-1967 proxies), whose code and implementations are reused. */
  deployed: Erc8004Addresses;
};

/**
 * The addresses the devnet installs the ERC-8004 registries at on `chainId`: the official registries' addresses
 * for that chain (`@x402kit/bindings/erc8004`), or the testnet set for a chain id they do not list.
 *
 * @param chainId - The devnet's chain id.
 * @returns The identity, reputation and validation registries' canonical addresses.
 */
export function canonicalErc8004AddressesFor(chainId: number): Erc8004Addresses {
  const listed: { readonly [chainId: number]: Erc8004Addresses | undefined } = erc8004CanonicalAddresses;
  return (Object.hasOwn(listed, chainId) ? listed[chainId] : undefined) ?? erc8004TestnetAddresses;
}

/**
 * Puts the x402kit ERC-8004 registries at the official registries' addresses on a local Hardhat chain, behind their
 * own ERC-1967/UUPS proxies, initialised and owned as the deployed ones:
 *
 * 1. `hardhat_setCode` of the deployed proxy's runtime code at the canonical address (OpenZeppelin's `ERC1967Proxy`
 *    has no immutables, so the copy behaves the same anywhere), and `hardhat_setStorageAt` of its ERC-1967
 *    implementation slot pointing at the deployed implementation (shared with the deployed proxy; the
 *    implementation's own UUPS immutable `__self` stays valid because the implementation does not move);
 * 2. the initialisers the Ignition modules encode, sent by `deployer`: `initialize(owner)` for the identity registry,
 *    `initialize(canonicalIdentity, owner)` for the reputation and validation registries;
 * 3. reads that prove it: the implementation slot, `owner()`, `getVersion()` equal to the deployed proxy's, and
 *    `getIdentityRegistry()` pointing at the canonical identity registry.
 *
 * The deployed proxies stay where they are, untouched (and unused by the devnet). No `Upgraded` event is emitted for
 * the canonical proxies (their code was set, not deployed).
 *
 * @param parameters - {@link InstallCanonicalErc8004Parameters}
 * @returns The canonical addresses the registries now answer at.
 * @throws {DeploymentError} When a canonical address already holds code, or a step or a read-back fails.
 */
export async function installCanonicalErc8004(
  parameters: InstallCanonicalErc8004Parameters,
): Promise<Erc8004Addresses> {
  const { chain, deployed } = parameters;
  const canonical = canonicalErc8004AddressesFor(chain.id);
  const client = createDevnetClient({ rpcUrl: parameters.rpcUrl, chain, account: parameters.deployer });
  const testClient = createTestClient({ mode: "hardhat", chain, transport: http(parameters.rpcUrl) });
  const owner = getAddress(parameters.deployer.address);
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new DeploymentError({ step: name, cause });
    }
  };
  const mined = async (hash: Hash) => {
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };
  const implementationOf = async (proxy: Address): Promise<Address> =>
    getAddress(
      sliceHex((await client.getStorageAt({ address: proxy, slot: ERC1967_IMPLEMENTATION_SLOT })) ?? "0x", 12),
    );

  const keys = ["identityRegistry", "reputationRegistry", "validationRegistry"] as const;
  for (const key of keys) {
    await step(`place the ${key} proxy at its canonical address ${canonical[key]}`, async () => {
      const existing = await client.getCode({ address: canonical[key] });
      if (existing !== undefined && existing !== "0x") throw new Error(`${canonical[key]} already holds code`);
      const code = await client.getCode({ address: deployed[key] });
      if (code === undefined || code === "0x") throw new Error(`no proxy code at ${deployed[key]}`);
      const implementation = await implementationOf(deployed[key]);
      await testClient.setCode({ address: canonical[key], bytecode: code });
      await testClient.setStorageAt({
        address: canonical[key],
        index: ERC1967_IMPLEMENTATION_SLOT,
        value: pad(implementation, { size: 32 }),
      });
      const placed = await implementationOf(canonical[key]);
      if (placed !== implementation) throw new Error(`implementation slot reads ${placed}, not ${implementation}`);
    });
  }

  await step("initialise the canonical ERC-8004 registries", async () => {
    await mined(
      await client.writeContract({
        address: canonical.identityRegistry,
        abi: identityRegistryAbi,
        functionName: "initialize",
        args: [owner],
      }),
    );
    await mined(
      await client.writeContract({
        address: canonical.reputationRegistry,
        abi: reputationRegistryAbi,
        functionName: "initialize",
        args: [canonical.identityRegistry, owner],
      }),
    );
    await mined(
      await client.writeContract({
        address: canonical.validationRegistry,
        abi: validationRegistryAbi,
        functionName: "initialize",
        args: [canonical.identityRegistry, owner],
      }),
    );
  });

  await step("read back the canonical ERC-8004 registries", async () => {
    const [identity, reputation, validation] = [
      { address: canonical.identityRegistry, abi: identityRegistryAbi },
      { address: canonical.reputationRegistry, abi: reputationRegistryAbi },
      { address: canonical.validationRegistry, abi: validationRegistryAbi },
    ] as const;
    const read = await Promise.all([
      client.readContract({ ...identity, functionName: "getVersion" }),
      client.readContract({ ...reputation, functionName: "getVersion" }),
      client.readContract({ ...validation, functionName: "getVersion" }),
      client.readContract({ address: deployed.identityRegistry, abi: identityRegistryAbi, functionName: "getVersion" }),
      client.readContract({ ...identity, functionName: "owner" }),
      client.readContract({ ...reputation, functionName: "owner" }),
      client.readContract({ ...validation, functionName: "owner" }),
      client.readContract({ ...reputation, functionName: "getIdentityRegistry" }),
      client.readContract({ ...validation, functionName: "getIdentityRegistry" }),
    ]);
    const [identityVersion, reputationVersion, validationVersion, deployedVersion] = read;
    const [identityOwner, reputationOwner, validationOwner, reputationIdentity, validationIdentity] = read.slice(4);
    const problems = [
      ...[identityVersion, reputationVersion, validationVersion]
        .filter((version) => version !== deployedVersion)
        .map((version) => `getVersion() is "${version}", not "${deployedVersion}"`),
      ...[identityOwner, reputationOwner, validationOwner]
        .filter((registryOwner) => registryOwner !== owner)
        .map((registryOwner) => `owner() is ${registryOwner}, not ${owner}`),
      ...[reputationIdentity, validationIdentity]
        .filter((address) => address !== canonical.identityRegistry)
        .map((address) => `getIdentityRegistry() is ${address}, not ${canonical.identityRegistry}`),
    ];
    if (problems.length > 0) throw new Error(problems.join("; "));
  });
  return canonical;
}
