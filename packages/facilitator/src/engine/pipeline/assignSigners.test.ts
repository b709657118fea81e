import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Address } from "viem";
import type { LeaseCandidate } from "../../domain/store.js";
import { assignSigners } from "./assignSigners.js";

const key = (i: number) => `0x${i.toString(16).padStart(40, "0")}` as Address;
const everyone = (keys: number, instances: string[]): LeaseCandidate[] =>
  instances.flatMap((holder) => Array.from({ length: keys }, (_, i) => ({ signer: key(i + 1), holder })));
const counts = (assigned: Map<string, string>) => {
  const n = new Map<string, number>();
  for (const holder of assigned.values()) n.set(holder, (n.get(holder) ?? 0) + 1);
  return n;
};

describe("assignSigners", () => {
  it("spreads three shared keys over three instances, one each, though the first holds them all", () => {
    const all = new Map<string, string>([1, 2, 3].map((i) => [key(i), "a"]));
    const assigned = assignSigners(everyone(3, ["a", "b", "c"]), all);
    assert.deepEqual([...counts(assigned).values()].sort(), [1, 1, 1]);
    assert.equal(assigned.get(key(1)), "a", "the first key stays where it is");
  });

  it("moves as few leases as it can when an instance joins", () => {
    const current = new Map<string, string>([
      [key(1), "a"],
      [key(2), "a"],
      [key(3), "b"],
      [key(4), "b"],
    ]);
    const assigned = assignSigners(everyone(4, ["a", "b", "c"]), current);
    const moved = [...assigned].filter(([signer, holder]) => current.get(signer) !== holder);
    assert.equal(moved.length, 1, "one key moves to the newcomer");
    assert.equal(moved[0]?.[1], "c");
  });

  it("gives a key only to an instance configured with it", () => {
    const candidates: LeaseCandidate[] = [
      { signer: key(1), holder: "a" },
      { signer: key(2), holder: "a" },
      { signer: key(3), holder: "a" },
      { signer: key(4), holder: "b" },
    ];
    const assigned = assignSigners(candidates, new Map());
    assert.equal(assigned.get(key(4)), "b");
    for (const i of [1, 2, 3]) assert.equal(assigned.get(key(i)), "a", "a's own keys stay a's, over the fair share");
  });

  it("places a key only one instance may hold first, so a shared key goes to the other instance", () => {
    const candidates: LeaseCandidate[] = [
      { signer: key(1), holder: "a" },
      { signer: key(1), holder: "b" },
      { signer: key(2), holder: "a" },
    ];
    const both = new Map<string, string>([
      [key(1), "a"],
      [key(2), "a"],
    ]);
    const assigned = assignSigners(candidates, both);
    assert.equal(assigned.get(key(2)), "a", "only a may hold key 2");
    assert.equal(assigned.get(key(1)), "b", "the shared key moves to b");
  });

  it("property: every key is assigned to one of its candidates, and shared keys differ by at most one per instance", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.uniqueArray(fc.constantFrom<string>("a", "b", "c", "d", "e"), { minLength: 1 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom("a", "b", "c", "d", "e", "gone"))),
        (keys, instances, holders) => {
          const current = new Map<string, string>(holders.filter(([i]) => i <= keys).map(([i, h]) => [key(i), h]));
          const assigned = assignSigners(everyone(keys, instances), current);
          assert.equal(assigned.size, keys);
          for (const holder of assigned.values()) assert.ok(instances.includes(holder));
          const n = instances.map((i) => counts(assigned).get(i) ?? 0);
          assert.ok(Math.max(...n) - Math.min(...n) <= 1, `unbalanced: ${n.join(",")}`);
        },
      ),
    );
  });
});
