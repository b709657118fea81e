/**
 * The `X402Kit` Ignition module as `hardhat ignition deploy --strategy create2` runs it (the Hardhat
 * plugin's deploy with the config's salt and the project's artifacts), on the in-process network as chain
 * 31337 with the localhost parameters and as chain 84532 with the Base Sepolia parameters.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { Address, Hex } from "viem";
import { getAddress, hexToBigInt, keccak256, sliceHex, toHex, zeroHash } from "viem";
import { deployments } from "../../../packages/bindings/src/generated/addresses.js";
import { ensureCreateX } from "../../../packages/bindings/src/ignition/ensureCreateX.js";
import { x402KitModule } from "../../../packages/bindings/src/ignition/modules/X402Kit.js";
import { parametersFile, readParameters } from "../../helpers/deploy.js";

/** ERC-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

const variants = [
  { network: "default", chainId: 31337, parameters: "localhost" },
  { network: "hardhatBaseSepolia", chainId: 84532, parameters: "baseSepolia" },
] as const;

for (const variant of variants) {
  describe(`X402Kit module on ${variant.network} (chain ${variant.chainId}, ${variant.parameters}.json)`, async () => {
    const connection = await network.create(variant.network);
    const { viem, ignition, networkHelpers, provider } = connection;
    const publicClient = await viem.getPublicClient();
    const parameters = readParameters(variant.parameters).TestUSDC;

    async function deployX402KitFixture() {
      // Ignition installs CreateX by itself only on 31337; the bindings do it for any development chain.
      await ensureCreateX({ provider });
      const contracts = await ignition.deploy(x402KitModule, {
        strategy: "create2",
        parameters: parametersFile(variant.parameters),
      });
      const [deployer, user] = await viem.getWalletClients();
      if (deployer === undefined || user === undefined) throw new Error("need 2 accounts");
      return { ...contracts, deployer: getAddress(deployer.account.address), user };
    }

    async function implementationOf(proxy: Address): Promise<Address> {
      const slot = (await publicClient.getStorageAt({ address: proxy, slot: IMPLEMENTATION_SLOT })) as Hex;
      return getAddress(sliceHex(slot, 12));
    }

    it("runs on the chain it claims", async () => {
      assert.equal(await publicClient.getChainId(), variant.chainId);
    });

    it("deploys every contract at the address the bindings list for 31337", async () => {
      const contracts = await networkHelpers.loadFixture(deployX402KitFixture);
      const local = readParameters("localhost").TestUSDC;
      // CREATE2 through CreateX with a "random" salt: the address depends on the init code only, so the same
      // deployer and constructor arguments give the same address on every chain.
      const sameTokenArguments =
        parameters.name === local.name && parameters.symbol === local.symbol && parameters.version === local.version;
      for (const name of Object.keys(x402KitModule.results) as Array<keyof (typeof deployments)[31337]>) {
        const expected = deployments[31337][name];
        if (name === "testUsdc" && !sameTokenArguments) {
          assert.notEqual(contracts.testUsdc.address, expected, name);
        } else {
          assert.equal(getAddress(contracts[name].address), expected, name);
        }
      }
    });

    it("configures the token and its faucet from the parameters", async () => {
      const { testUsdc, deployer } = await networkHelpers.loadFixture(deployX402KitFixture);
      assert.equal(await testUsdc.read.name(), parameters.name);
      assert.equal(await testUsdc.read.symbol(), parameters.symbol);
      assert.equal(await testUsdc.read.version(), parameters.version);
      assert.equal(await testUsdc.read.decimals(), 6);
      assert.deepEqual(await testUsdc.read.faucetConfig(), [
        parameters.faucetEnabled,
        parameters.faucetCap,
        parameters.faucetCooldown,
      ]);
      for (const role of [
        zeroHash,
        await testUsdc.read.MASTER_MINTER_ROLE(),
        await testUsdc.read.PAUSER_ROLE(),
        await testUsdc.read.BLOCKLISTER_ROLE(),
      ]) {
        assert.equal(await testUsdc.read.hasRole([role, deployer]), true, role);
      }
      assert.equal(await testUsdc.read.totalSupply(), 0n);
    });

    it("lets anyone use the faucet up to the configured cap", async () => {
      const { testUsdc, user } = await networkHelpers.loadFixture(deployX402KitFixture);
      const asUser = await viem.getContractAt("TestUSDC", testUsdc.address, { client: { wallet: user } });
      const to = getAddress(user.account.address);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asUser.write.faucet([to, parameters.faucetCap + 1n]),
        asUser,
        "TestUSDCFaucetCapExceeded",
        [parameters.faucetCap + 1n, parameters.faucetCap],
      );
      await asUser.write.faucet([to, parameters.faucetCap]);
      assert.equal(await testUsdc.read.balanceOf([to]), parameters.faucetCap);
    });

    it("initializes the registries with the deployer as owner, wired to the identity proxy", async () => {
      const { identityRegistry, reputationRegistry, validationRegistry, deployer } =
        await networkHelpers.loadFixture(deployX402KitFixture);
      for (const registry of [identityRegistry, reputationRegistry, validationRegistry]) {
        assert.equal(await registry.read.owner(), deployer, registry.address);
      }
      assert.equal(await reputationRegistry.read.getIdentityRegistry(), getAddress(identityRegistry.address));
      assert.equal(await validationRegistry.read.getIdentityRegistry(), getAddress(identityRegistry.address));
      // The proxy was initialized in its constructor: nobody can initialize it again.
      await viem.assertions.revertWithCustomError(
        identityRegistry.write.initialize([deployer]),
        identityRegistry,
        "InvalidInitialization",
      );
    });

    it("puts each registry behind an ERC-1967 proxy whose implementation is locked", async () => {
      const { identityRegistry, reputationRegistry, validationRegistry, deployer } =
        await networkHelpers.loadFixture(deployX402KitFixture);
      const registries = [
        ["IdentityRegistry", identityRegistry.address],
        ["ReputationRegistry", reputationRegistry.address],
        ["ValidationRegistry", validationRegistry.address],
      ] as const;
      const implementations = new Set<Address>();
      for (const [name, proxy] of registries) {
        const implementation = await implementationOf(proxy);
        implementations.add(implementation);
        assert.notEqual(implementation, getAddress(proxy));
        const code = await publicClient.getCode({ address: implementation });
        assert.ok(code !== undefined && code.length > 2, `${name} implementation has code`);
        // The implementation's constructor disabled its initializers.
        const locked = await viem.getContractAt("IdentityRegistry", implementation);
        await viem.assertions.revertWithCustomError(
          locked.write.initialize([deployer]),
          locked,
          "InvalidInitialization",
        );
      }
      assert.equal(implementations.size, 3);
    });

    it("deploys the router with no owner and no state to configure", async () => {
      const { batchSettlementRouter } = await networkHelpers.loadFixture(deployX402KitFixture);
      const typehash = keccak256(
        toHex(
          "FeeCommitment(uint256 chainId,address router,address payTo,uint256 fee,address feeRecipient,bytes32 salt)",
        ),
      );
      assert.equal(await batchSettlementRouter.read.FEE_COMMITMENT_TYPEHASH(), typehash);
      // Nothing in storage slot 0: the router keeps no configuration.
      const slot0 = await publicClient.getStorageAt({ address: batchSettlementRouter.address, slot: zeroHash });
      assert.equal(hexToBigInt(slot0 ?? "0x0"), 0n);
    });
  });
}
