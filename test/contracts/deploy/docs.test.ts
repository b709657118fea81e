/** The addresses docs/deploy.md shows for chain 31337 are the bindings' (they move when a contract changes). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { deployments } from "../../../packages/bindings/src/generated/addresses.js";
import { repoRoot } from "../../helpers/deploy.js";

describe("docs/deploy.md", () => {
  it("lists the 31337 addresses of @x402kit/bindings", () => {
    const doc = readFileSync(join(repoRoot, "docs", "deploy.md"), "utf8");
    const listed = Object.fromEntries(
      [...doc.matchAll(/^\| `(\w+)` \| `(0x[0-9a-fA-F]{40})` \|$/gm)].map(([, name, address]) => [name, address]),
    );
    assert.deepEqual(listed, { ...deployments[31337] }, "update the table in docs/deploy.md");
  });
});
