import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hre, { network } from "hardhat";
import type { Address, Hex } from "viem";
import { encodeFunctionData, getAddress, getContract, keccak256, parseAbi, toHex, zeroAddress, zeroHash } from "viem";
import { deployErc8004 } from "../../helpers/erc8004.js";

/** ERC-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
const REQUEST_HASH = keccak256(toHex("request"));

/**
 * Upgradeability as the canonical registries do it: UUPS proxies whose owner alone may upgrade, with storage in
 * ERC-7201 namespaces, so an upgrade keeps every record.
 */
describe("ERC-8004 registry upgrades", async () => {
  const { viem, networkHelpers } = await network.create();
  const publicClient = await viem.getPublicClient();

  async function deployPopulatedFixture() {
    const [admin, agentOwner, client, validator, stranger] = await viem.getWalletClients();
    if (!admin || !agentOwner || !client || !validator || !stranger) throw new Error("need 5 accounts");
    const registries = await deployErc8004(viem, admin.account.address);
    const { identity, reputation, validation } = registries;
    const wallet = <T extends "IdentityRegistry" | "ReputationRegistry" | "ValidationRegistry">(
      name: T,
      address: Address,
      who: typeof admin,
    ) => viem.getContractAt(name, address, { client: { wallet: who } });

    await (await wallet("IdentityRegistry", identity.address, agentOwner)).write.register(["ipfs://agent"]);
    const asClient = await wallet("ReputationRegistry", reputation.address, client);
    await asClient.write.giveFeedback([0n, 87n, 0, "starred", "", "", "", zeroHash]);
    await asClient.write.giveFeedback([0n, -5n, 1, "", "", "", "", zeroHash]);
    await (await wallet("ValidationRegistry", validation.address, agentOwner)).write.validationRequest([
      validator.account.address,
      0n,
      "ipfs://request",
      REQUEST_HASH,
    ]);
    await (await wallet("ValidationRegistry", validation.address, validator)).write.validationResponse([
      REQUEST_HASH,
      90,
      "",
      zeroHash,
      "soft",
    ]);
    return { ...registries, admin, agentOwner, client, validator, stranger };
  }

  async function implementationOf(proxy: Address): Promise<Address> {
    const word = await publicClient.getStorageAt({ address: proxy, slot: IMPLEMENTATION_SLOT });
    return getAddress(`0x${(word ?? zeroHash).slice(26)}`);
  }

  it("deploys each registry behind an ERC-1967 proxy", async () => {
    const { identity, reputation, validation, implementations } =
      await networkHelpers.loadFixture(deployPopulatedFixture);
    assert.equal(await implementationOf(identity.address), getAddress(implementations.identity));
    assert.equal(await implementationOf(reputation.address), getAddress(implementations.reputation));
    assert.equal(await implementationOf(validation.address), getAddress(implementations.validation));
  });

  it("upgrades the Identity Registry and keeps its agents", async () => {
    const { identity, agentOwner } = await networkHelpers.loadFixture(deployPopulatedFixture);
    const v2 = await viem.deployContract("IdentityRegistryV2Mock");
    const data = encodeFunctionData({ abi: v2.abi, functionName: "initializeV2", args: [7n] });
    await viem.assertions.emitWithArgs(identity.write.upgradeToAndCall([v2.address, data]), identity, "Upgraded", [
      getAddress(v2.address),
    ]);
    const upgraded = await viem.getContractAt("IdentityRegistryV2Mock", identity.address);
    assert.equal(await implementationOf(identity.address), getAddress(v2.address));
    assert.equal(await upgraded.read.v2Marker(), 7n);
    assert.equal(await upgraded.read.ownerOf([0n]), getAddress(agentOwner.account.address));
    assert.equal(await upgraded.read.tokenURI([0n]), "ipfs://agent");
    assert.equal(await upgraded.read.getAgentWallet([0n]), getAddress(agentOwner.account.address));
    assert.equal(await upgraded.read.name(), "AgentIdentity");
    // The next id continues the sequence.
    const asOwner = await viem.getContractAt("IdentityRegistryV2Mock", identity.address, {
      client: { wallet: agentOwner },
    });
    await asOwner.write.register();
    assert.equal(await upgraded.read.ownerOf([1n]), getAddress(agentOwner.account.address));
    // The migration runs once.
    await viem.assertions.revertWithCustomError(upgraded.write.initializeV2([8n]), upgraded, "InvalidInitialization");
  });

  it("upgrades the Reputation Registry and keeps its feedback", async () => {
    const { reputation, identity, client } = await networkHelpers.loadFixture(deployPopulatedFixture);
    const v2 = await viem.deployContract("ReputationRegistryV2Mock");
    await reputation.write.upgradeToAndCall([
      v2.address,
      encodeFunctionData({ abi: v2.abi, functionName: "initializeV2", args: [3n] }),
    ]);
    const upgraded = await viem.getContractAt("ReputationRegistryV2Mock", reputation.address);
    assert.equal(await upgraded.read.v2Marker(), 3n);
    assert.equal(await upgraded.read.getIdentityRegistry(), getAddress(identity.address));
    assert.deepEqual(await upgraded.read.readFeedback([0n, client.account.address, 1n]), [
      87n,
      0,
      "starred",
      "",
      false,
    ]);
    assert.deepEqual(await upgraded.read.readFeedback([0n, client.account.address, 2n]), [-5n, 1, "", "", false]);
    assert.deepEqual(await upgraded.read.getClients([0n]), [getAddress(client.account.address)]);
  });

  it("upgrades the Validation Registry and keeps its requests", async () => {
    const { validation, validator } = await networkHelpers.loadFixture(deployPopulatedFixture);
    const v2 = await viem.deployContract("ValidationRegistryV2Mock");
    await validation.write.upgradeToAndCall([v2.address, "0x"]);
    const upgraded = await viem.getContractAt("ValidationRegistryV2Mock", validation.address);
    assert.equal(await upgraded.read.v2Marker(), 0n);
    const [validatorAddress, agentId, response, , tag] = await upgraded.read.getValidationStatus([REQUEST_HASH]);
    assert.deepEqual(
      [validatorAddress, agentId, response, tag],
      [getAddress(validator.account.address), 0n, 90, "soft"],
    );
    assert.deepEqual(await upgraded.read.getAgentValidations([0n]), [REQUEST_HASH]);
  });

  it("lets only the owner upgrade", async () => {
    const { identity, reputation, validation, stranger } = await networkHelpers.loadFixture(deployPopulatedFixture);
    const v2 = await viem.deployContract("ReputationRegistryV2Mock");
    // Every registry inherits the same UUPS and Ownable functions: one ABI serves the three proxies.
    for (const address of [identity.address, reputation.address, validation.address]) {
      const asStranger = await viem.getContractAt("ValidationRegistry", address, { client: { wallet: stranger } });
      await viem.assertions.revertWithCustomErrorWithArgs(
        asStranger.write.upgradeToAndCall([v2.address, "0x"]),
        asStranger,
        "OwnableUnauthorizedAccount",
        [getAddress(stranger.account.address)],
      );
    }
  });

  it("refuses an implementation that is not UUPS", async () => {
    const { reputation } = await networkHelpers.loadFixture(deployPopulatedFixture);
    const notUups = await viem.deployContract("ERC1271WalletMock", [reputation.address, false]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      reputation.write.upgradeToAndCall([notUups.address, "0x"]),
      reputation,
      "ERC1967InvalidImplementation",
      [getAddress(notUups.address)],
    );
  });

  it("transfers ownership of every registry in two steps (Ownable2Step)", async () => {
    const { identity, reputation, validation, admin, stranger } =
      await networkHelpers.loadFixture(deployPopulatedFixture);
    const ownable2Step = parseAbi([
      "function owner() view returns (address)",
      "function pendingOwner() view returns (address)",
      "function transferOwnership(address newOwner)",
      "function acceptOwnership()",
    ]);
    for (const address of [identity.address, reputation.address, validation.address]) {
      const as = (wallet: typeof admin) =>
        getContract({ address, abi: ownable2Step, client: { public: publicClient, wallet } });
      const mined = async (hash: Promise<Hex>) => publicClient.waitForTransactionReceipt({ hash: await hash });
      await mined(as(admin).write.transferOwnership([stranger.account.address]));
      // transferOwnership only records the pending owner.
      assert.equal(await as(admin).read.owner(), getAddress(admin.account.address), address);
      assert.equal(await as(admin).read.pendingOwner(), getAddress(stranger.account.address), address);
      await mined(as(stranger).write.acceptOwnership());
      assert.equal(await as(admin).read.owner(), getAddress(stranger.account.address), address);
      assert.equal(await as(admin).read.pendingOwner(), zeroAddress, address);
    }
  });

  it("hands the upgrade right over in two steps", async () => {
    const { validation, admin, stranger } = await networkHelpers.loadFixture(deployPopulatedFixture);
    await validation.write.transferOwnership([stranger.account.address]);
    assert.equal(await validation.read.owner(), getAddress(admin.account.address));
    const asStranger = await viem.getContractAt("ValidationRegistry", validation.address, {
      client: { wallet: stranger },
    });
    await asStranger.write.acceptOwnership();
    assert.equal(await validation.read.owner(), getAddress(stranger.account.address));
    const v2 = await viem.deployContract("ValidationRegistryV2Mock");
    await asStranger.write.upgradeToAndCall([v2.address, "0x"]);
    assert.equal(await implementationOf(validation.address), getAddress(v2.address));
  });

  it("cannot initialize a proxy twice", async () => {
    const { identity, reputation, validation } = await networkHelpers.loadFixture(deployPopulatedFixture);
    await viem.assertions.revertWithCustomError(identity.write.initialize(), identity, "InvalidInitialization");
    await viem.assertions.revertWithCustomError(
      reputation.write.initialize([identity.address]),
      reputation,
      "InvalidInitialization",
    );
    await viem.assertions.revertWithCustomError(
      validation.write.initialize([identity.address]),
      validation,
      "InvalidInitialization",
    );
  });

  // The devnet installs the registries at the official ERC-8004 addresses by copying the proxy's runtime code there
  // (hardhat_setCode) and pointing its implementation slot at the deployed implementation: sound only because the
  // proxy has no immutables (the implementations' UUPS `__self` stays right, as they do not move).
  it("works as a copy of its runtime code at another address (no immutables in the proxy)", async () => {
    const artifact = await hre.artifacts.readArtifact("ERC1967Proxy");
    assert.deepEqual(artifact.immutableReferences ?? {}, {});
    const [admin, agentOwner] = await viem.getWalletClients();
    if (!admin || !agentOwner) throw new Error("need 2 accounts");
    const { identity, implementations } = await networkHelpers.loadFixture(deployPopulatedFixture);
    const canonical = getAddress("0x8004A818BFB912233c491871b3d84c89A494BD9e");
    const code = await publicClient.getCode({ address: identity.address });
    assert.ok(code && code.length > 2);
    await networkHelpers.setCode(canonical, code);
    await networkHelpers.setStorageAt(canonical, IMPLEMENTATION_SLOT, implementations.identity);
    const copy = await viem.getContractAt("IdentityRegistry", canonical, { client: { wallet: admin } });
    await copy.write.initialize([admin.account.address]);
    assert.equal(await copy.read.owner(), getAddress(admin.account.address));
    const asOwner = await viem.getContractAt("IdentityRegistry", canonical, { client: { wallet: agentOwner } });
    await asOwner.write.register(["ipfs://copy"]);
    assert.equal(await copy.read.tokenURI([0n]), "ipfs://copy");
    assert.equal(await copy.read.getAgentWallet([0n]), getAddress(agentOwner.account.address));
    // Its own storage: the original proxy's agents are not the copy's.
    assert.notEqual(await identity.read.tokenURI([0n]), "ipfs://copy");
    // And it upgrades like any UUPS proxy (onlyProxy holds at the new address).
    const next = await viem.deployContract("IdentityRegistryV2Mock");
    await copy.write.upgradeToAndCall([next.address, "0x"]);
    const slot = await publicClient.getStorageAt({ address: canonical, slot: IMPLEMENTATION_SLOT });
    assert.equal(getAddress(`0x${slot?.slice(26)}`), getAddress(next.address));
  });
});
