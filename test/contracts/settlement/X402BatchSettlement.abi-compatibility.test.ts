import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as x402Evm from "@x402/evm";
import hre from "hardhat";
import type { Abi, AbiEvent, AbiFunction, AbiParameter } from "viem";
import { toEventSelector, toFunctionSelector, toFunctionSignature } from "viem";
import {
  BATCH_SETTLEMENT_ADDRESS,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
  PERMIT2_DEPOSIT_COLLECTOR_ADDRESS,
} from "../../../packages/bindings/src/index.js";
import { loadOfficialExport, loadOfficialInternals } from "../../helpers/x402Official.js";

/**
 * The official `@x402/evm` 2.27 client, server and facilitator talk to the channel contract through their own
 * `batchSettlementABI` (loaded from the installed package's dist). Every function and event in it must exist in
 * our X402BatchSettlement artifact with the same selector or topic, the same parameter names and types (tuple
 * components included), the same outputs and mutability, and the same indexed flags. Extra entries are allowed.
 * (The official ABI lists no errors; ours are x402kit's own.)
 */
const functionsOf = (abi: Abi) => abi.filter((item): item is AbiFunction => item.type === "function");
const eventsOf = (abi: Abi) => abi.filter((item): item is AbiEvent => item.type === "event");

/** Names and types, recursively, without Solidity's `internalType`. */
const shape = (params: readonly AbiParameter[]): unknown =>
  params.map((p) => ({
    name: p.name ?? "",
    type: p.type,
    ...("components" in p ? { components: shape(p.components) } : {}),
    ...("indexed" in p ? { indexed: Boolean(p.indexed) } : {}),
  }));

describe("X402BatchSettlement ABI compatibility with @x402/evm 2.27", async () => {
  const official = (await loadOfficialInternals()).batchSettlementABI;
  const ours = (await hre.artifacts.readArtifact("X402BatchSettlement")).abi as Abi;

  it("has every official function with the same signature, outputs and mutability", () => {
    const bySelector = new Map(functionsOf(ours).map((f) => [toFunctionSelector(f), f]));
    const problems: string[] = [];
    for (const expected of functionsOf(official)) {
      const signature = toFunctionSignature(expected);
      const actual = bySelector.get(toFunctionSelector(expected));
      if (actual === undefined) problems.push(`missing ${signature}`);
      else {
        if (JSON.stringify(shape(actual.inputs)) !== JSON.stringify(shape(expected.inputs)))
          problems.push(`${signature} inputs ${JSON.stringify(shape(actual.inputs))}`);
        if (JSON.stringify(shape(actual.outputs)) !== JSON.stringify(shape(expected.outputs)))
          problems.push(`${signature} outputs ${JSON.stringify(shape(actual.outputs))}`);
        if (actual.stateMutability !== expected.stateMutability)
          problems.push(`${signature} is ${actual.stateMutability}, not ${expected.stateMutability}`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(functionsOf(official).length >= 18, "the official ABI lists the contract's functions");
  });

  it("has every official event with the same topic and indexed parameters", () => {
    const byTopic = new Map(eventsOf(ours).map((e) => [toEventSelector(e), e]));
    const problems: string[] = [];
    for (const expected of eventsOf(official)) {
      const actual = byTopic.get(toEventSelector(expected));
      if (actual === undefined) problems.push(`missing event ${expected.name}`);
      else if (JSON.stringify(shape(actual.inputs)) !== JSON.stringify(shape(expected.inputs)))
        problems.push(`event ${expected.name} inputs ${JSON.stringify(shape(actual.inputs))}`);
    }
    assert.deepEqual(problems, []);
    assert.ok(eventsOf(official).length >= 1, "the official ABI lists Settled");
  });

  it("declares the deposit collector call the ERC-3009 collector implements", async () => {
    const collector = (await hre.artifacts.readArtifact("ERC3009DepositCollector")).abi as Abi;
    const iface = (await hre.artifacts.readArtifact("IDepositCollector")).abi as Abi;
    const selectors = (abi: Abi) => functionsOf(abi).map((f) => toFunctionSelector(f));
    assert.deepEqual(selectors(collector), selectors(iface));
  });

  it("names the official addresses in the bindings exactly as @x402/evm does", async () => {
    assert.equal(BATCH_SETTLEMENT_ADDRESS, x402Evm.BATCH_SETTLEMENT_ADDRESS);
    assert.equal(ERC3009_DEPOSIT_COLLECTOR_ADDRESS, x402Evm.ERC3009_DEPOSIT_COLLECTOR_ADDRESS);
    // Not exported by the package's entry points; read from its dist.
    assert.equal(PERMIT2_DEPOSIT_COLLECTOR_ADDRESS, await loadOfficialExport("PERMIT2_DEPOSIT_COLLECTOR_ADDRESS"));
  });
});
