import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ArtifactNotFoundError } from "../errors/ignition.js";
import { testUsdcAbi } from "../generated/abis.js";
import { artifacts } from "../generated/artifacts.js";
import * as bytecode from "../generated/bytecode.js";
import { artifactResolver } from "./artifactResolver.js";

describe("artifactResolver", () => {
  test("default: resolves a contract by name", async () => {
    const artifact = await artifactResolver.loadArtifact("TestUSDC");
    assert.equal(artifact.contractName, "TestUSDC");
    assert.equal(artifact.sourceName, "contracts/token/TestUSDC.sol");
    assert.equal(artifact.abi, testUsdcAbi);
    assert.equal(artifact.bytecode, bytecode.testUsdcBytecode);
    assert.deepEqual(artifact.linkReferences, {});
  });

  test("behavior: resolves a fully qualified name", async () => {
    const artifact = await artifactResolver.loadArtifact(
      "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol:ERC1967Proxy",
    );
    assert.equal(artifact.bytecode, bytecode.erc1967ProxyBytecode);
  });

  test("behavior: every deployable contract has an artifact whose bytecode is the exported one", () => {
    const exported = Object.values(bytecode).sort();
    assert.deepEqual(
      Object.values(artifacts)
        .map((a) => a.bytecode)
        .sort(),
      exported,
    );
    for (const artifact of Object.values(artifacts)) {
      assert.match(artifact.deployedBytecode, /^0x(?:[0-9a-f]{2})+$/, artifact.contractName);
    }
  });

  test("behavior: ships no build info", async () => {
    assert.equal(await artifactResolver.getBuildInfo("TestUSDC"), undefined);
  });

  test("error: an unknown contract", async () => {
    await assert.rejects(artifactResolver.loadArtifact("Counter"), (error: unknown) => {
      assert.ok(error instanceof ArtifactNotFoundError);
      assert.equal(error.contractName, "Counter");
      assert.match(error.message, /Known contracts: BatchSettlementRouter, ERC1967Proxy, /);
      return true;
    });
  });
});
