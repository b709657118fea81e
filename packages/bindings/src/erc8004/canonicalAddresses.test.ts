import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getAddress } from "viem";
import { identityRegistryAbi, reputationRegistryAbi, validationRegistryAbi } from "../index.js";
import {
  BaseError,
  Erc8004ChainNotKnownError,
  erc8004CanonicalAddresses,
  erc8004MainnetAddresses,
  erc8004MainnetChainIds,
  erc8004TestnetAddresses,
  erc8004TestnetChainIds,
  getErc8004CanonicalAddresses,
} from "./index.js";

describe("erc8004 canonical addresses", () => {
  test("the testnet set is the official one on Hardhat (31337) and Base Sepolia (84532)", () => {
    for (const chainId of [31337, 84532]) {
      assert.deepEqual(getErc8004CanonicalAddresses({ chainId }), {
        identityRegistry: "0x8004A818BFB912233c491871b3d84c89A494BD9e",
        reputationRegistry: "0x8004B663056A597Dffe9eCcC1965A193B7388713",
        validationRegistry: "0x8004Cb1BF31DAf7788923b405b754f57acEB4272",
      });
    }
  });

  test("the mainnet set is the official one on Ethereum (1) and Base (8453)", () => {
    for (const chainId of [1, 8453]) {
      assert.deepEqual(getErc8004CanonicalAddresses({ chainId }), {
        identityRegistry: "0x8004A169FB4a3325136EB29fA0ceB6D2e539a432",
        reputationRegistry: "0x8004BAa17C55a88189AE136b182e5fdA19dE9b63",
        validationRegistry: "0x8004Cc8439f36fd5F9F049D9fF86523Df6dAAB58",
      });
    }
  });

  test("every listed chain maps to its network type's set, and no chain is both", () => {
    const testnets = new Set<number>(erc8004TestnetChainIds);
    assert.equal(testnets.size, erc8004TestnetChainIds.length, "no testnet listed twice");
    assert.equal(new Set(erc8004MainnetChainIds).size, erc8004MainnetChainIds.length, "no mainnet listed twice");
    for (const chainId of erc8004MainnetChainIds) assert.ok(!testnets.has(chainId), `${chainId} is both`);
    for (const chainId of erc8004TestnetChainIds)
      assert.equal(erc8004CanonicalAddresses[chainId], erc8004TestnetAddresses);
    for (const chainId of erc8004MainnetChainIds)
      assert.equal(erc8004CanonicalAddresses[chainId], erc8004MainnetAddresses);
    assert.equal(Object.keys(erc8004CanonicalAddresses).length, testnets.size + erc8004MainnetChainIds.length);
  });

  test("addresses are checksummed vanity 0x8004 addresses, A/B/C for identity/reputation/validation", () => {
    for (const set of [erc8004TestnetAddresses, erc8004MainnetAddresses]) {
      for (const [key, prefix] of [
        ["identityRegistry", "0x8004A"],
        ["reputationRegistry", "0x8004B"],
        ["validationRegistry", "0x8004C"],
      ] as const) {
        assert.equal(getAddress(set[key]), set[key], `${key} checksum`);
        assert.ok(set[key].startsWith(prefix), `${key} starts with ${prefix}`);
      }
    }
    assert.notEqual(erc8004TestnetAddresses.identityRegistry, erc8004MainnetAddresses.identityRegistry);
  });

  test("the bindings' ABIs carry the official registries' entry points used with these addresses", () => {
    const names = (abi: readonly { type: string; name?: string }[]) =>
      new Set(abi.filter((item) => item.type === "function").map((item) => item.name));
    for (const name of ["register", "getAgentWallet", "getMetadata", "getVersion"]) {
      assert.ok(names(identityRegistryAbi).has(name), name);
    }
    for (const name of ["giveFeedback", "getSummary", "readAllFeedback", "getVersion"]) {
      assert.ok(names(reputationRegistryAbi).has(name), name);
    }
    for (const name of ["validationRequest", "getValidationStatus", "getVersion"]) {
      assert.ok(names(validationRegistryAbi).has(name), name);
    }
  });

  test("errors: an unlisted chain throws Erc8004ChainNotKnownError with the chain id", () => {
    for (const chainId of [0, 2, 999_999, Number.MAX_SAFE_INTEGER]) {
      assert.throws(
        () => getErc8004CanonicalAddresses({ chainId }),
        (error: unknown) =>
          error instanceof Erc8004ChainNotKnownError &&
          error instanceof BaseError &&
          error.name === "Erc8004ChainNotKnownError" &&
          error.chainId === chainId &&
          error.message.includes("84532"),
      );
    }
    // Not fooled by the object's prototype.
    assert.throws(() => getErc8004CanonicalAddresses({ chainId: "constructor" as unknown as number }));
  });
});
