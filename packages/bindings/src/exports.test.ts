/**
 * Pins the public surface of every entry point (`./router` has its own in `router/index.test.ts`), so
 * adding or removing an export is a deliberate, reviewed change (like viem's `src/index.test.ts`), and
 * checks the package shape: a `types`-first `exports` map and entry points that load only their own peers
 * (the main entry and `./router` need neither ethers nor Ignition).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import * as erc8004 from "./erc8004/index.js";
import * as ethers from "./generated/ethers/index.js";
import * as ignition from "./ignition/index.js";
import * as main from "./index.js";

const srcDir = dirname(fileURLToPath(import.meta.url));

/** The packages a source file loads at runtime (type-only imports and re-exports are erased). */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const [, clause, specifier] of source.matchAll(/^(?:import|export)(\s+type\b)?[^;]*?from\s+"([^"]+)"/gms)) {
    if (clause !== undefined || specifier === undefined) continue;
    if (specifier.startsWith(".")) {
      for (const nested of runtimeImports(join(dirname(file), specifier.replace(/\.js$/, ".ts")), seen)) {
        packages.add(nested);
      }
    } else {
      packages.add(specifier);
    }
  }
  return packages;
}

describe("exports", () => {
  test("@x402kit/bindings", () => {
    assert.deepEqual(Object.keys(main).sort(), [
      "BATCH_SETTLEMENT_ADDRESS",
      "BaseError",
      "ChainIdRequiredError",
      "DeploymentNotFoundError",
      "ERC3009_DEPOSIT_COLLECTOR_ADDRESS",
      "MULTICALL3_ADDRESS",
      "Multicall3NotInstalledError",
      "PERMIT2_ADDRESS",
      "PERMIT2_DEPOSIT_COLLECTOR_ADDRESS",
      "Permit2NotInstalledError",
      "X402_EXACT_PERMIT2_PROXY_ADDRESS",
      "X402_UPTO_PERMIT2_PROXY_ADDRESS",
      "batchSettlementRouterAbi",
      "batchSettlementRouterBytecode",
      "deployments",
      "ensureMulticall3",
      "ensurePermit2",
      "erc1271WalletFactoryMockAbi",
      "erc1271WalletFactoryMockBytecode",
      "erc1271WalletMockAbi",
      "erc1271WalletMockBytecode",
      "erc1967ProxyAbi",
      "erc1967ProxyBytecode",
      "erc3009DepositCollectorAbi",
      "erc3009DepositCollectorBytecode",
      "getContracts",
      "iBatchSettlementRouterAbi",
      "iDepositCollectorAbi",
      "iX402BatchSettlementAbi",
      "identityRegistryAbi",
      "identityRegistryBytecode",
      "ierc3009Abi",
      "permit2Abi",
      "permit2DepositCollectorAbi",
      "permit2DepositCollectorBytecode",
      "permit2DomainSeparator",
      "permit2RuntimeCodeFor",
      "reputationRegistryAbi",
      "reputationRegistryBytecode",
      "testErc20Abi",
      "testErc20Bytecode",
      "testUsdcAbi",
      "testUsdcBytecode",
      "validationRegistryAbi",
      "validationRegistryBytecode",
      "x402BatchSettlementAbi",
      "x402BatchSettlementBytecode",
      "x402ExactPermit2ProxyAbi",
      "x402ExactPermit2ProxyBytecode",
      "x402UptoPermit2ProxyAbi",
      "x402UptoPermit2ProxyBytecode",
    ]);
  });

  test("@x402kit/bindings/erc8004", () => {
    assert.deepEqual(Object.keys(erc8004).sort(), [
      "BaseError",
      "Erc8004ChainNotKnownError",
      "erc8004CanonicalAddresses",
      "erc8004MainnetAddresses",
      "erc8004MainnetChainIds",
      "erc8004TestnetAddresses",
      "erc8004TestnetChainIds",
      "getErc8004CanonicalAddresses",
    ]);
  });

  test("@x402kit/bindings/ethers", () => {
    assert.deepEqual(Object.keys(ethers).sort(), [
      "BatchSettlementRouter__factory",
      "ERC1271WalletFactoryMock__factory",
      "ERC1271WalletMock__factory",
      "ERC1967Proxy__factory",
      "ERC3009DepositCollector__factory",
      "IBatchSettlementRouter__factory",
      "IDepositCollector__factory",
      "IERC3009__factory",
      "IX402BatchSettlement__factory",
      "IdentityRegistry__factory",
      "Permit2DepositCollector__factory",
      "ReputationRegistry__factory",
      "TestERC20__factory",
      "TestUSDC__factory",
      "ValidationRegistry__factory",
      "X402BatchSettlement__factory",
      "X402ExactPermit2Proxy__factory",
      "X402UptoPermit2Proxy__factory",
    ]);
  });

  test("@x402kit/bindings/ignition", () => {
    assert.deepEqual(Object.keys(ignition).sort(), [
      "ArtifactNotFoundError",
      "CreateXBytecodeMismatchError",
      "CreateXNotDeployedError",
      "IgnitionDeploymentError",
      "artifactResolver",
      "artifacts",
      "batchSettlementRouterModule",
      "create2Salt",
      "createXAddress",
      "createXDeployedBytecodeHash",
      "createXPresignedDeployer",
      "createXPresignedTransaction",
      "deployX402Kit",
      "ensureCreateX",
      "identityRegistryModule",
      "localParameters",
      "reputationRegistryModule",
      "testUsdcDefaults",
      "testUsdcModule",
      "validationRegistryModule",
      "x402KitModule",
    ]);
  });

  test("behavior: each entry point loads only its own peers", () => {
    assert.deepEqual([...runtimeImports(join(srcDir, "index.ts"))].sort(), ["viem"]);
    assert.deepEqual([...runtimeImports(join(srcDir, "generated", "ethers", "index.ts"))].sort(), ["ethers"]);
    assert.deepEqual([...runtimeImports(join(srcDir, "ignition", "index.ts"))].sort(), [
      "@nomicfoundation/ignition-core",
      "viem",
    ]);
    assert.deepEqual([...runtimeImports(join(srcDir, "router", "index.ts"))].sort(), ["viem"]);
    assert.deepEqual([...runtimeImports(join(srcDir, "erc8004", "index.ts"))].sort(), []);
  });

  test("behavior: the exports map lists `types` first and every subpath has an entry point", () => {
    const pkg = JSON.parse(readFileSync(join(srcDir, "..", "package.json"), "utf8")) as {
      sideEffects: boolean;
      exports: Record<string, string | Record<string, string>>;
    };
    assert.equal(pkg.sideEffects, false);
    assert.deepEqual(Object.keys(pkg.exports), [
      ".",
      "./erc8004",
      "./ethers",
      "./ignition",
      "./router",
      "./package.json",
    ]);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") continue;
      assert.deepEqual(Object.keys(target), ["types", "default"], subpath);
      assert.equal(target.types?.replace(/\.d\.ts$/, ".js"), target.default, subpath);
    }
  });
});
