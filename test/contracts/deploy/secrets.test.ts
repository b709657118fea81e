/**
 * `pnpm deploy:base-sepolia` without its secrets: Hardhat must refuse before it opens any connection and
 * name the missing configuration variable. The child processes get a user's environment without the secrets
 * and an empty config home (so no keystore of the machine's user is read).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot, runHardhat } from "../../helpers/deploy.js";

const SECRETS = ["BASE_SEPOLIA_RPC_URL", "BASE_SEPOLIA_PRIVATE_KEY", "ETHERSCAN_API_KEY"];
/** The deployment step of `pnpm deploy:base-sepolia`, as package.json spells it (without `hardhat`). */
const DEPLOY = (() => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const [hardhat, ...args] = (pkg.scripts["deploy:base-sepolia"] ?? "").split("&&")[0]!.trim().split(/\s+/);
  assert.equal(hardhat, "hardhat");
  assert.deepEqual(args.slice(0, 2), ["ignition", "deploy"]);
  return args;
})();

describe("deploy:base-sepolia without secrets", () => {
  const configHome = mkdtempSync(join(tmpdir(), "x402kit-keystore-"));
  let server: Server;
  let rpcUrl: string;
  let connections = 0;

  before(async () => {
    // Stands in for the RPC endpoint: counts every TCP connection, answers none.
    server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    rpcUrl = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(configHome, { recursive: true, force: true });
  });

  function environment(secrets: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: configHome, ...secrets };
    for (const name of SECRETS) if (!(name in secrets)) delete env[name];
    // The test runner sets HH_TEST, which limits the keystore to its development copy; a user's shell does not.
    delete env.HH_TEST;
    return env;
  }

  it("names BASE_SEPOLIA_RPC_URL when nothing is set", async () => {
    const { code, stderr } = await runHardhat(DEPLOY, environment({}));
    assert.notEqual(code, 0);
    assert.match(stderr, /HHE7: Configuration Variable "BASE_SEPOLIA_RPC_URL" not found/);
    assert.match(stderr, /hardhat-keystore, or set it as an environment variable/);
  });

  it("names BASE_SEPOLIA_PRIVATE_KEY when only the RPC URL is set, before connecting to it", async () => {
    const { code, stderr } = await runHardhat(DEPLOY, environment({ BASE_SEPOLIA_RPC_URL: rpcUrl }));
    assert.notEqual(code, 0);
    assert.match(stderr, /HHE7: Configuration Variable "BASE_SEPOLIA_PRIVATE_KEY" not found/);
    assert.equal(connections, 0);
  });
});
