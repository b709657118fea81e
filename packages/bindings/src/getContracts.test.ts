import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPublicClient, createWalletClient, custom, InvalidAddressError } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { baseSepolia, hardhat, mainnet } from "viem/chains";
import { ChainIdRequiredError, DeploymentNotFoundError } from "./errors/deployments.js";
import { testUsdcAbi } from "./generated/abis.js";
import { deployments } from "./generated/addresses.js";
import { getContracts } from "./getContracts.js";

// The transport is never called: getContracts only builds instances.
const transport = custom({
  request: async () => {
    throw new Error("unexpected request");
  },
});
const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const other = "0x70997970C51812dc3a010C7d01b50e0d17dc79C8";
const names = ["testUsdc", "batchSettlementRouter", "identityRegistry", "reputationRegistry", "validationRegistry"];

describe("getContracts", () => {
  test("default: the deployment of the client's chain", () => {
    const contracts = getContracts({ client: createPublicClient({ chain: hardhat, transport }) });
    assert.deepEqual(Object.keys(contracts).sort(), [...names].sort());
    for (const name of names) {
      const contract = contracts[name as keyof typeof contracts];
      assert.equal(contract.address, deployments[31337][name as keyof (typeof deployments)[31337]]);
    }
    assert.equal(contracts.testUsdc.abi, testUsdcAbi);
    assert.equal(typeof contracts.testUsdc.read.balanceOf, "function");
  });

  test("behavior: `chainId` wins over the client's chain", () => {
    const { testUsdc } = getContracts({
      client: createPublicClient({ chain: baseSepolia, transport }),
      chainId: 31337,
    });
    assert.equal(testUsdc.address, deployments[31337].testUsdc);
  });

  test("behavior: `addresses` replace the known ones contract by contract", () => {
    const { testUsdc, batchSettlementRouter } = getContracts({
      client: createPublicClient({ chain: hardhat, transport }),
      addresses: { testUsdc: other, batchSettlementRouter: undefined },
    });
    assert.equal(testUsdc.address, other);
    assert.equal(batchSettlementRouter.address, deployments[31337].batchSettlementRouter);
  });

  test("behavior: a full `addresses` set needs no chain", () => {
    const addresses = { ...deployments[31337], testUsdc: other } as const;
    const { testUsdc } = getContracts({ client: createPublicClient({ transport }), addresses });
    assert.equal(testUsdc.address, other);
  });

  test("behavior: a wallet client gets `write`, a keyed pair gets `read` and `write`", () => {
    const wallet = createWalletClient({ account, chain: hardhat, transport });
    const { testUsdc } = getContracts({ client: wallet });
    assert.equal(typeof testUsdc.write.transfer, "function");

    const pair = getContracts({ client: { public: createPublicClient({ chain: hardhat, transport }), wallet } });
    assert.equal(typeof pair.testUsdc.read.balanceOf, "function");
    assert.equal(typeof pair.testUsdc.write.transfer, "function");
    assert.equal(pair.testUsdc.address, deployments[31337].testUsdc);
  });

  test("behavior: a keyed pair takes the chain of its wallet when the public client has none", () => {
    const wallet = createWalletClient({ account, chain: hardhat, transport });
    const { identityRegistry } = getContracts({ client: { wallet } });
    assert.equal(identityRegistry.address, deployments[31337].identityRegistry);
  });

  test("error: a chain without a deployment", () => {
    const client = createPublicClient({ chain: mainnet, transport });
    const deployed = Object.entries(deployments).flatMap(([chainId, addresses]) => (addresses ? [chainId] : []));
    assert.throws(
      () => getContracts({ client }),
      (error: unknown) => {
        assert.ok(error instanceof DeploymentNotFoundError);
        assert.equal(error.name, "DeploymentNotFoundError");
        assert.equal(error.chainId, 1);
        assert.deepEqual(error.missing, names);
        assert.equal(
          error.message,
          [
            "No x402kit deployment on chain 1 (missing: testUsdc, batchSettlementRouter, identityRegistry, reputationRegistry, validationRegistry).",
            "",
            `Chains with a deployment in @x402kit/bindings: ${deployed.join(", ")}.`,
            "Pass `addresses` for a deployment of your own, e.g. the result of `deployX402Kit` from `@x402kit/bindings/ignition`.",
            "Version: @x402kit/bindings@0.1.0",
          ].join("\n"),
        );
        return true;
      },
    );
  });

  test("error: a partial `addresses` set on an unknown chain names what is missing", () => {
    assert.throws(
      () => getContracts({ client: createPublicClient({ transport }), chainId: 1, addresses: { testUsdc: other } }),
      (error: unknown) =>
        error instanceof DeploymentNotFoundError &&
        error.chainId === 1 &&
        error.missing.join() === "batchSettlementRouter,identityRegistry,reputationRegistry,validationRegistry",
    );
  });

  test("error: a known chain that is not deployed yet", () => {
    const client = createPublicClient({ chain: baseSepolia, transport });
    if (deployments[84532] !== undefined) return; // Base Sepolia is deployed: nothing to check here.
    assert.throws(
      () => getContracts({ client }),
      (error: unknown) =>
        error instanceof DeploymentNotFoundError && error.chainId === 84532 && error.missing.length === 5,
    );
  });

  test("error: no chain id and incomplete addresses", () => {
    assert.throws(
      () => getContracts({ client: createPublicClient({ transport }) }),
      (error: unknown) => error instanceof ChainIdRequiredError && error.name === "ChainIdRequiredError",
    );
  });

  test("error: an invalid address in `addresses`", () => {
    assert.throws(
      () =>
        getContracts({
          client: createPublicClient({ chain: hardhat, transport }),
          addresses: { testUsdc: "0x1234" },
        }),
      (error: unknown) => error instanceof InvalidAddressError && error.message.includes('"0x1234"'),
    );
  });
});
