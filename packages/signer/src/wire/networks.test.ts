import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EVM_NETWORK_CHAIN_ID_MAP } from "@x402/evm/v1";
import { networkToChainId, toCaip2Network, toV1Network, UnknownNetworkError, V1_EVM_NETWORKS } from "./index.js";

describe("v1 network table", () => {
  test("behavior: equals @x402/evm's EVM_NETWORK_CHAIN_ID_MAP", () => {
    assert.deepEqual({ ...V1_EVM_NETWORKS }, { ...EVM_NETWORK_CHAIN_ID_MAP });
  });

  test("behavior: contains every EVM network the legacy x402 package knows, with the same ids", async () => {
    const { EvmNetworkToChainId } = await import("x402/types");
    for (const [name, chainId] of EvmNetworkToChainId as Map<string, number>) {
      assert.equal(V1_EVM_NETWORKS[name as keyof typeof V1_EVM_NETWORKS], chainId, name);
    }
  });

  test("behavior: chain ids are unique, so the reverse mapping is well defined", () => {
    const ids = Object.values(V1_EVM_NETWORKS);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe("networkToChainId", () => {
  test("default", () => {
    assert.equal(networkToChainId({ network: "base-sepolia" }), 84532);
    assert.equal(networkToChainId({ network: "eip155:8453" }), 8453);
    assert.equal(networkToChainId({ network: "eip155:31337" }), 31337);
  });

  test("behavior: rejects non-EVM, malformed and unknown ids with UnknownNetworkError", () => {
    for (const network of [
      "solana",
      "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
      "eip155:0",
      "eip155:01",
      "localhost",
      "toString",
    ]) {
      assert.throws(() => networkToChainId({ network }), UnknownNetworkError, network);
    }
  });

  test("behavior: custom v1 names for chains without one", () => {
    assert.equal(networkToChainId({ network: "localhost", customV1Networks: { localhost: 31337 } }), 31337);
  });
});

describe("toCaip2Network", () => {
  test("default", () => {
    assert.equal(toCaip2Network({ network: "base" }), "eip155:8453");
    assert.equal(toCaip2Network({ network: "solana-devnet" }), "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1");
    assert.equal(toCaip2Network({ network: "eip155:31337" }), "eip155:31337");
  });

  test("behavior: unknown v1 name", () => {
    assert.throws(() => toCaip2Network({ network: "localhost" }), UnknownNetworkError);
    assert.equal(toCaip2Network({ network: "localhost", customV1Networks: { localhost: 31337 } }), "eip155:31337");
  });
});

describe("toV1Network", () => {
  test("default: inverse of toCaip2Network over the whole table", () => {
    for (const name of Object.keys(V1_EVM_NETWORKS)) {
      assert.equal(toV1Network({ network: toCaip2Network({ network: name }) }), name);
    }
    assert.equal(toV1Network({ network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp" }), "solana");
  });

  test("behavior: a local chain (31337) has no v1 name", () => {
    assert.throws(
      () => toV1Network({ network: "eip155:31337" }),
      (error: unknown) => error instanceof UnknownNetworkError && error.network === "eip155:31337",
    );
    assert.equal(toV1Network({ network: "eip155:31337", customV1Networks: { localhost: 31337 } }), "localhost");
  });
});
