/**
 * The addresses the docs show for chain 31337 are the bindings' (they move when a contract changes):
 * docs/deploy.md's table (what Ignition deploys), and the devnet environment blocks of the README and the devnet
 * README (the token and router deployed, the ERC-8004 registries at the official addresses, the devnet's default,
 * and the batch-settlement contracts at the official @x402/evm addresses).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  BATCH_SETTLEMENT_ADDRESS,
  ERC3009_DEPOSIT_COLLECTOR_ADDRESS,
} from "../../../packages/bindings/src/batchSettlement/officialAddresses.js";
import { erc8004TestnetAddresses } from "../../../packages/bindings/src/erc8004/canonicalAddresses.js";
import { deployments } from "../../../packages/bindings/src/generated/addresses.js";
import { repoRoot } from "../../helpers/deploy.js";

describe("docs: 31337 addresses", () => {
  it("lists the 31337 addresses of @x402kit/bindings", () => {
    const doc = readFileSync(join(repoRoot, "docs", "deploy.md"), "utf8");
    const listed = Object.fromEntries(
      [...doc.matchAll(/^\| `(\w+)` \| `(0x[0-9a-fA-F]{40})` \|$/gm)].map(([, name, address]) => [name, address]),
    );
    assert.deepEqual(listed, { ...deployments[31337] }, "update the table in docs/deploy.md");
  });

  for (const file of ["README.md", join("packages", "devnet", "README.md")]) {
    it(`${file}: the devnet environment block has the same addresses`, () => {
      const doc = readFileSync(join(repoRoot, file), "utf8");
      const env = (name: string) => doc.match(new RegExp(`^${name}=(0x[0-9a-fA-F]{40})$`, "m"))?.[1];
      const addresses = { ...deployments[31337], ...erc8004TestnetAddresses };
      assert.deepEqual(
        {
          testUsdc: env("TOKEN_ADDRESS"),
          batchSettlementRouter: env("ROUTER_ADDRESS"),
          identityRegistry: env("IDENTITY_REGISTRY_ADDRESS"),
          reputationRegistry: env("REPUTATION_REGISTRY_ADDRESS"),
          validationRegistry: env("VALIDATION_REGISTRY_ADDRESS"),
        },
        { ...addresses },
        `update the environment block in ${file}`,
      );
      assert.deepEqual(
        [env("BATCH_SETTLEMENT_ADDRESS"), env("ERC3009_DEPOSIT_COLLECTOR_ADDRESS")],
        [BATCH_SETTLEMENT_ADDRESS, ERC3009_DEPOSIT_COLLECTOR_ADDRESS],
        `the batch-settlement contracts at the official addresses, in ${file}`,
      );
    });
  }
});
