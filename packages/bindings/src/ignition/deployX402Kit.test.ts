import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { NetworkConnection } from "hardhat/types/network";
import { createPublicClient, custom, getAddress } from "viem";
import { createNetwork } from "../../test/helpers/network.js";
import { IgnitionDeploymentError } from "../errors/ignition.js";
import { deployments } from "../generated/addresses.js";
import { createXAddress } from "../generated/createx.js";
import { getContracts } from "../getContracts.js";
import { deployX402Kit } from "./deployX402Kit.js";
import { testUsdcDefaults } from "./parameters.js";

/** Hardhat's default account 0, the deployer of `deployments[31337]`. */
const ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const ACCOUNT_1 = "0x70997970C51812dc3a010C7d01b50e0d17dc79C8";

const connections: NetworkConnection[] = [];
after(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
});

async function network(name?: "baseSepoliaTwin"): Promise<NetworkConnection> {
  const connection = await createNetwork(name);
  connections.push(connection);
  return connection;
}

describe("deployX402Kit", () => {
  test("default: deploys every contract at the addresses of deployments[31337]", async () => {
    const { provider } = await network();
    const { addresses, deployedAddresses } = await deployX402Kit({ provider });
    assert.deepEqual(addresses, deployments[31337]);

    // Every future of the module, implementations and proxies included.
    assert.deepEqual(Object.keys(deployedAddresses).sort(), [
      "BatchSettlementRouter#BatchSettlementRouter",
      "IdentityRegistry#IdentityRegistry",
      "IdentityRegistry#Implementation",
      "IdentityRegistry#Proxy",
      "ReputationRegistry#Implementation",
      "ReputationRegistry#Proxy",
      "ReputationRegistry#ReputationRegistry",
      "TestUSDC#TestUSDC",
      "ValidationRegistry#Implementation",
      "ValidationRegistry#Proxy",
      "ValidationRegistry#ValidationRegistry",
    ]);
    assert.equal(deployedAddresses["IdentityRegistry#Proxy"], addresses.identityRegistry);

    // The instances from getContracts read the deployed, initialized contracts.
    const client = createPublicClient({ transport: custom(provider) });
    const { testUsdc, identityRegistry, reputationRegistry, validationRegistry } = getContracts({
      client,
      chainId: 31337,
    });
    assert.equal(await testUsdc.read.name(), testUsdcDefaults.name);
    assert.deepEqual(await testUsdc.read.faucetConfig(), [
      testUsdcDefaults.faucetEnabled,
      testUsdcDefaults.faucetCap,
      testUsdcDefaults.faucetCooldown,
    ]);
    assert.equal(await identityRegistry.read.owner(), ACCOUNT_0);
    assert.equal(await reputationRegistry.read.getIdentityRegistry(), addresses.identityRegistry);
    assert.equal(await validationRegistry.read.getIdentityRegistry(), addresses.identityRegistry);
  });

  test("behavior: on a chain other than 31337 it installs CreateX and gets the same addresses", async () => {
    const { provider } = await network("baseSepoliaTwin");
    assert.equal(await provider.request({ method: "eth_getCode", params: [createXAddress, "latest"] }), "0x");
    const { addresses } = await deployX402Kit({ provider });
    assert.equal(Number(await provider.request({ method: "eth_chainId" })), 84532);
    assert.deepEqual(addresses, deployments[31337]);
  });

  test("behavior: the deployer and the parameters decide the token address; the router's is universal", async () => {
    const { provider } = await network();
    const { addresses } = await deployX402Kit({
      provider,
      accounts: [ACCOUNT_1],
      parameters: { TestUSDC: { name: "USD Coin", faucetCooldown: 60n } },
    });
    assert.equal(addresses.batchSettlementRouter, deployments[31337].batchSettlementRouter);
    for (const name of ["testUsdc", "identityRegistry", "reputationRegistry", "validationRegistry"] as const) {
      assert.notEqual(addresses[name], deployments[31337][name], name);
    }
    const { testUsdc, identityRegistry } = getContracts({
      client: createPublicClient({ transport: custom(provider) }),
      addresses,
    });
    assert.equal(await testUsdc.read.name(), "USD Coin");
    assert.equal((await testUsdc.read.faucetConfig())[2], 60n);
    assert.equal(await identityRegistry.read.owner(), getAddress(ACCOUNT_1));
  });

  test("behavior: a different salt gives different addresses", async () => {
    const { provider } = await network();
    const { addresses } = await deployX402Kit({ provider, salt: `0x${"11".repeat(32)}` });
    assert.notEqual(addresses.batchSettlementRouter, deployments[31337].batchSettlementRouter);
  });

  test("error: Ignition's validation errors become an IgnitionDeploymentError", async () => {
    const { provider } = await network();
    await assert.rejects(deployX402Kit({ provider, accounts: [] }), (error: unknown) => {
      assert.ok(error instanceof IgnitionDeploymentError);
      assert.equal(error.name, "IgnitionDeploymentError");
      assert.equal(error.resultType, "VALIDATION_ERROR");
      assert.match(error.metaMessages?.[0] ?? "", /^TestUSDC#TestUSDC: HHE10723: Requested account index '0'/);
      return true;
    });
  });

  test("error: what Ignition throws is wrapped, with the cause", async () => {
    const { provider } = await network();
    await assert.rejects(
      deployX402Kit({ provider, parameters: { TestUSDC: { faucetCap: "lots" } } }),
      (error: unknown) => {
        assert.ok(error instanceof IgnitionDeploymentError);
        assert.equal(error.resultType, "EXCEPTION");
        assert.match(error.details, /Cannot convert lots to a BigInt/);
        return true;
      },
    );
  });
});
