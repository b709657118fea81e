import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import type { CreateBatcherParameters } from "./createBatcher.js";
import { createBatcher } from "./createBatcher.js";

/** Only the routing is exercised: no batch is built, so the chain-facing parameters are never called. */
const unused = () => {
  throw new Error("not called when no lane takes the batch");
};
const parameters = (overrides: Partial<CreateBatcherParameters>): CreateBatcherParameters => ({
  submitter: {} as CreateBatcherParameters["submitter"],
  store: {} as CreateBatcherParameters["store"],
  maxItems: 2,
  maxWaitMs: 0,
  pickLane: () => undefined,
  laneFree: () => true,
  clientOf: unused,
  dropExpired: unused,
  takeOut: unused,
  rejectItems: unused,
  logger: pino({ level: "silent" }),
  ...overrides,
});

describe("createBatcher", () => {
  it("behavior: with no lane to take a batch, its payments go back through `unsendable`, none dropped", () => {
    const back: string[][] = [];
    const batcher = createBatcher(parameters({ unsendable: (ids) => void back.push([...ids]) }));
    batcher.add(["a", "b", "c"], 31337);
    assert.deepEqual(back, [["a", "b"], ["c"]], "the full batch, then the rest (a lane counted as free)");
    assert.equal(batcher.size(), 0);
  });

  it("behavior: payments gathered while no lane is free go back on flushAll once none may take them", () => {
    const back: string[][] = [];
    const batcher = createBatcher(parameters({ laneFree: () => false, unsendable: (ids) => void back.push([...ids]) }));
    batcher.add(["a"], 31337);
    assert.deepEqual(back, [], "gathered, waiting for a lane");
    batcher.flushAll();
    assert.deepEqual(back, [["a"]]);
  });

  it("default: without `unsendable`, a batch with no lane is an error", () => {
    const batcher = createBatcher(parameters({}));
    assert.throws(() => batcher.add(["a", "b"], 31337), /no signer for chain 31337/);
  });
});
