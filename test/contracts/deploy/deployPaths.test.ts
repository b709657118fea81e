/**
 * The two ways to deploy the `X402Kit` module give the same contracts: the Hardhat CLI
 * (`hardhat ignition deploy --strategy create2`, the project's artifacts and the config's salt) and the
 * bindings' `deployX402Kit` (ignition-core without Hardhat, the generated artifacts, `create2Salt`), which the
 * devnet uses. Both must land on the 31337 addresses the bindings publish.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import hre, { network } from "hardhat";
import { deployments } from "../../../packages/bindings/src/generated/addresses.js";
import { create2Salt } from "../../../packages/bindings/src/ignition/constants.js";
import { deployX402Kit } from "../../../packages/bindings/src/ignition/deployX402Kit.js";
import { x402KitModule } from "../../../packages/bindings/src/ignition/modules/X402Kit.js";
import { localParameters } from "../../../packages/bindings/src/ignition/parameters.js";
import { parseDeployedAddresses, runHardhat } from "../../helpers/deploy.js";

describe("X402Kit deploy paths", async () => {
  const connection = await network.create();
  after(() => connection.close());

  it("the Hardhat CLI and deployX402Kit put every future at the same address: the bindings' 31337 one", async () => {
    // `--build-profile default` reuses the tests' build instead of rewriting the artifacts with the
    // `production` profile (the next test shows both profiles compile alike).
    const cli = await runHardhat(
      [
        "--build-profile",
        "default",
        "ignition",
        "deploy",
        "ignition/modules/X402Kit.ts",
        "--strategy",
        "create2",
        "--parameters",
        "ignition/parameters/localhost.json",
      ],
      process.env,
    );
    assert.equal(cli.code, 0, cli.stderr);
    const viaCli = parseDeployedAddresses(cli.stdout);

    const { deployedAddresses, addresses } = await deployX402Kit({
      provider: connection.provider,
      parameters: localParameters,
    });
    assert.equal(Object.keys(deployedAddresses).length, 11);
    assert.deepEqual(viaCli, deployedAddresses);
    assert.deepEqual(addresses, deployments[31337]);
    for (const [name, future] of Object.entries(x402KitModule.results)) {
      assert.equal(viaCli[future.id], deployments[31337][name as keyof (typeof deployments)[31337]], name);
    }
  });

  it("`hardhat ignition deploy` compiles with the settings the tests and the bindings use", () => {
    // Ignition builds with the `production` profile; left to Hardhat's defaults it would use 200 optimizer
    // runs and isolated builds, i.e. other bytecode and other CREATE2 addresses.
    const { default: defaults, production } = hre.config.solidity.profiles;
    assert.ok(defaults !== undefined && production !== undefined);
    assert.deepEqual(production.compilers, defaults.compilers);
    assert.deepEqual(production.overrides, defaults.overrides);
    assert.equal(production.isolated, defaults.isolated);
    const [compiler] = defaults.compilers;
    assert.equal(compiler?.settings.optimizer.runs, 10_000);
    // No metadata hash in the bytecode: it would make the bytecode depend on how Hardhat grouped the build.
    assert.equal(compiler?.settings.metadata.bytecodeHash, "none");
  });

  it("the Hardhat config's CREATE2 salt is the bindings' create2Salt", () => {
    assert.equal(hre.config.ignition.strategyConfig?.create2?.salt, create2Salt);
  });
});
