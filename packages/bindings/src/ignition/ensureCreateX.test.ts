import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { EIP1193Provider, RequestArguments } from "@nomicfoundation/ignition-core";
import type { NetworkConnection } from "hardhat/types/network";
import { keccak256 } from "viem";
import { createNetwork } from "../../test/helpers/network.js";
import { CreateXBytecodeMismatchError, CreateXNotDeployedError } from "../errors/ignition.js";
import { createXAddress, createXDeployedBytecodeHash } from "../generated/createx.js";
import { ensureCreateX } from "./ensureCreateX.js";

const connections: NetworkConnection[] = [];
after(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
});

async function twin(): Promise<NetworkConnection> {
  const connection = await createNetwork("baseSepoliaTwin");
  connections.push(connection);
  return connection;
}

/** The real chain, seen through a node that refuses the development methods (like a public RPC). */
function withoutDevMethods(provider: EIP1193Provider): EIP1193Provider {
  return {
    request: async (args: RequestArguments) => {
      if (args.method.startsWith("hardhat_") || args.method.startsWith("anvil_")) {
        throw new Error(`Method ${args.method} not found`);
      }
      return provider.request(args);
    },
  };
}

describe("ensureCreateX", () => {
  test("default: installs the genuine CreateX once, at its canonical address", async () => {
    const { provider } = await twin();
    assert.deepEqual(await ensureCreateX({ provider }), { installed: true });
    const code = (await provider.request({
      method: "eth_getCode",
      params: [createXAddress, "latest"],
    })) as `0x${string}`;
    assert.equal(keccak256(code), createXDeployedBytecodeHash);
    assert.deepEqual(await ensureCreateX({ provider }), { installed: false });
  });

  test("error: a node without the development methods cannot install it", async () => {
    const { provider } = await twin();
    await assert.rejects(ensureCreateX({ provider: withoutDevMethods(provider) }), (error: unknown) => {
      assert.ok(error instanceof CreateXNotDeployedError);
      assert.equal(error.chainId, 84532);
      assert.match(error.details, /Method hardhat_setBalance not found/);
      return true;
    });
    assert.equal(await provider.request({ method: "eth_getCode", params: [createXAddress, "latest"] }), "0x");
  });

  test("behavior: an existing CreateX needs no development methods", async () => {
    const { provider } = await twin();
    await ensureCreateX({ provider });
    assert.deepEqual(await ensureCreateX({ provider: withoutDevMethods(provider) }), { installed: false });
  });

  test("error: other code at the CreateX address", async () => {
    const { provider } = await twin();
    await provider.request({ method: "hardhat_setCode", params: [createXAddress, "0x6000"] });
    await assert.rejects(
      ensureCreateX({ provider }),
      (error: unknown) =>
        error instanceof CreateXBytecodeMismatchError &&
        error.chainId === 84532 &&
        error.message.includes(keccak256("0x6000")),
    );
  });
});
