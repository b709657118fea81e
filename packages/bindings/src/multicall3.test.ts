import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { EIP1193Provider, RequestArguments } from "@nomicfoundation/ignition-core";
import type { NetworkConnection } from "hardhat/types/network";
import { createPublicClient, custom, parseAbi } from "viem";
import { createNetwork } from "../test/helpers/network.js";
import { ensureMulticall3, MULTICALL3_ADDRESS, Multicall3NotInstalledError } from "./multicall3.js";

const connections: NetworkConnection[] = [];
after(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
});

async function twin(): Promise<NetworkConnection> {
  const connection = await createNetwork("baseSepoliaTwin");
  connections.push(connection);
  return connection;
}

describe("ensureMulticall3", () => {
  test("default: installs a working Multicall3 once, at its canonical address", async () => {
    const { provider } = await twin();
    assert.deepEqual(await ensureMulticall3({ provider }), { installed: true });
    assert.deepEqual(await ensureMulticall3({ provider }), { installed: false });
    const client = createPublicClient({ transport: custom(provider) });
    // aggregate3 answers, and reports the chain it runs on and a balance, read through it.
    const abi = parseAbi([
      "function getChainId() view returns (uint256)",
      "function getEthBalance(address) view returns (uint256)",
    ]);
    const [chainId, balance] = await client.multicall({
      multicallAddress: MULTICALL3_ADDRESS,
      allowFailure: false,
      contracts: [
        { address: MULTICALL3_ADDRESS, abi, functionName: "getChainId" },
        { address: MULTICALL3_ADDRESS, abi, functionName: "getEthBalance", args: [MULTICALL3_ADDRESS] },
      ],
    });
    assert.equal(chainId, 84532n);
    assert.equal(balance, 0n);
  });

  test("error: a node that cannot set code gets a Multicall3NotInstalledError", async () => {
    const { provider } = await twin();
    const refusing: EIP1193Provider = {
      request: async (args: RequestArguments) => {
        if (args.method.endsWith("_setCode")) throw new Error(`Method ${args.method} not found`);
        return provider.request(args);
      },
    };
    await assert.rejects(ensureMulticall3({ provider: refusing }), Multicall3NotInstalledError);
  });
});
