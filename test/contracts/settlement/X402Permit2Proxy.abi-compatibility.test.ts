import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  x402ExactPermit2ProxyABI,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyABI,
  x402UptoPermit2ProxyAddress,
} from "@x402/evm";
import hre from "hardhat";
import type { Abi, AbiParameter } from "viem";
import { formatAbiItem } from "viem/utils";
import {
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "../../../packages/bindings/src/index.js";

/**
 * The official `@x402/evm` 2.27 client and facilitator call the Permit2 proxies through their own ABIs
 * (`x402ExactPermit2ProxyABI`, `x402UptoPermit2ProxyABI`), and the facilitator maps a revert to a reason by
 * decoding it with that ABI. So our compiled ABI must list exactly the same functions, events and errors: same
 * signatures (hence selectors and topics), parameter names, tuple components, outputs, mutability and indexed
 * flags, nothing missing and nothing extra. Only Solidity's `internalType` (the declaring contract's name) differs.
 */

/** Names and types, recursively, without Solidity's `internalType`. */
const shape = (params: readonly AbiParameter[]): unknown =>
  params.map((p) => ({
    name: p.name ?? "",
    type: p.type,
    ...("components" in p ? { components: shape(p.components) } : {}),
    ...("indexed" in p ? { indexed: Boolean(p.indexed) } : {}),
  }));

/** One line per ABI item: its signature, then everything else that must match. */
const describeAbi = (abi: Abi): string[] =>
  abi
    .filter((item) => item.type === "function" || item.type === "event" || item.type === "error")
    .map((item) => {
      const rest: Record<string, unknown> = { inputs: shape(item.inputs) };
      if (item.type === "function")
        Object.assign(rest, { outputs: shape(item.outputs), mutability: item.stateMutability });
      if (item.type === "event") Object.assign(rest, { anonymous: Boolean(item.anonymous) });
      return `${formatAbiItem(item)} ${JSON.stringify(rest)}`;
    })
    .sort();

for (const { contractName, official, officialAddress, ourAddress, officialErrors } of [
  {
    contractName: "X402ExactPermit2Proxy",
    official: x402ExactPermit2ProxyABI as Abi,
    officialAddress: x402ExactPermit2ProxyAddress,
    ourAddress: X402_EXACT_PERMIT2_PROXY_ADDRESS,
    officialErrors: 7,
  },
  {
    contractName: "X402UptoPermit2Proxy",
    official: x402UptoPermit2ProxyABI as Abi,
    officialAddress: x402UptoPermit2ProxyAddress,
    ourAddress: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    officialErrors: 8,
  },
]) {
  describe(`${contractName} ABI compatibility with @x402/evm 2.27`, async () => {
    const ours = (await hre.artifacts.readArtifact(contractName)).abi as Abi;

    it("lists exactly the official functions, events and errors", () => {
      assert.deepEqual(describeAbi(ours), describeAbi(official));
    });

    it("declares the official errors without parameters (the facilitator decodes them by selector)", () => {
      const errors = ours.filter((item) => item.type === "error");
      assert.equal(errors.length, officialErrors);
      for (const error of errors) assert.deepEqual(error.inputs, [], error.name);
    });

    it("is placed at the official address the bindings name", () => {
      assert.equal(ourAddress, officialAddress);
    });
  });
}
