import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import hre from "hardhat";
import type { Abi, AbiEvent, AbiFunction } from "viem";
import { toEventSelector, toFunctionSelector, toFunctionSignature } from "viem";
import type { CanonicalRegistry } from "../../helpers/erc8004.js";
import { canonicalAbiDirectory, loadCanonicalAbi } from "../../helpers/erc8004.js";

/**
 * Tools written for the canonical ERC-8004 registries must work against ours: every function and event of the
 * canonical ABIs (test/fixtures/erc8004-abis) exists in our compiled artifacts with the same selector or topic,
 * the same outputs, mutability and indexed parameters. Extra functions and events are allowed.
 */
const registries: CanonicalRegistry[] = ["IdentityRegistry", "ReputationRegistry", "ValidationRegistry"];

const functionsOf = (abi: Abi) => abi.filter((item): item is AbiFunction => item.type === "function");
const eventsOf = (abi: Abi) => abi.filter((item): item is AbiEvent => item.type === "event");
const types = (params: readonly { type: string }[]) => params.map((p) => p.type).join(",");

describe("ERC-8004 canonical ABI compatibility", () => {
  for (const name of registries) {
    describe(name, async () => {
      const canonical = loadCanonicalAbi(name);
      const ours = (await hre.artifacts.readArtifact(name)).abi as Abi;

      it("has every canonical function with the same selector, outputs and mutability", () => {
        const bySelector = new Map(functionsOf(ours).map((f) => [toFunctionSelector(f), f]));
        const problems: string[] = [];
        for (const expected of functionsOf(canonical)) {
          const signature = toFunctionSignature(expected);
          const actual = bySelector.get(toFunctionSelector(expected));
          if (actual === undefined) problems.push(`missing ${signature}`);
          else if (types(actual.outputs) !== types(expected.outputs))
            problems.push(`${signature} returns (${types(actual.outputs)}), not (${types(expected.outputs)})`);
          else if (actual.stateMutability !== expected.stateMutability)
            problems.push(`${signature} is ${actual.stateMutability}, not ${expected.stateMutability}`);
        }
        assert.deepEqual(problems, []);
        assert.ok(functionsOf(canonical).length > 10, "the fixture lists the registry's functions");
      });

      it("has every canonical event with the same topic and indexed parameters", () => {
        const byTopic = new Map(eventsOf(ours).map((e) => [toEventSelector(e), e]));
        const problems: string[] = [];
        for (const expected of eventsOf(canonical)) {
          const actual = byTopic.get(toEventSelector(expected));
          const indexed = (e: AbiEvent) => e.inputs.map((p) => Boolean(p.indexed));
          if (actual === undefined) problems.push(`missing event ${expected.name}(${types(expected.inputs)})`);
          else if (JSON.stringify(indexed(actual)) !== JSON.stringify(indexed(expected)))
            problems.push(`event ${expected.name} indexes ${indexed(actual)}, not ${indexed(expected)}`);
        }
        assert.deepEqual(problems, []);
        assert.ok(eventsOf(canonical).length >= 4, "the fixture lists the registry's events");
      });
    });
  }

  // The fixtures are copies of the shared reference set; when that set is present (not on a fresh clone), they
  // must still be identical to it.
  const shared = new URL("../../../../shared/reference/erc8004-abis/", import.meta.url);
  it("keeps the fixtures identical to the shared reference ABIs", { skip: !existsSync(shared) }, () => {
    for (const name of registries) {
      const file = `${name}.json`;
      assert.equal(
        readFileSync(new URL(file, canonicalAbiDirectory), "utf8"),
        readFileSync(new URL(file, shared), "utf8"),
        file,
      );
    }
  });
});
