import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { getAbiItem } from "viem";
import { iBatchSettlementRouterAbi } from "../generated/abis.js";
import { failureReasons } from "./failureReasons.js";

/** The member names of `enum FailureReason` in the router's interface, in declaration order. */
function solidityFailureReasons(): string[] {
  const source = readFileSync(
    new URL("../../../../contracts/interfaces/IBatchSettlementRouter.sol", import.meta.url),
    "utf8",
  );
  const body = /enum FailureReason \{([\s\S]*?)\n\s*\}/.exec(source)?.[1];
  assert.ok(body !== undefined, "enum FailureReason not found");
  return body
    .split("\n")
    .map((line) =>
      line
        .replace(/\/\/.*$/, "")
        .trim()
        .replace(/,$/, ""),
    )
    .filter((name) => name.length > 0);
}

describe("failureReasons", () => {
  test("default: matches IBatchSettlementRouter.FailureReason, in order", () => {
    assert.deepEqual([...failureReasons], solidityFailureReasons());
  });

  test("behavior: AuthorizationFailed carries the enum as its uint8 reason", () => {
    const event = getAbiItem({ abi: iBatchSettlementRouterAbi, name: "AuthorizationFailed" });
    const reason = event.inputs.find((input) => input.name === "reason");
    assert.equal(reason?.type, "uint8");
    assert.equal(reason?.internalType, "enum IBatchSettlementRouter.FailureReason");
  });
});
