import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { deployments } from "@x402kit/bindings";
import { ConfigError } from "../domain/errors.js";
import { loadConfig, parseConfig, redactConfig, redactUrl } from "./loadConfig.js";

const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const KEY2 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

describe("loadConfig", () => {
  test("default: the official e2e harness environment is enough", () => {
    const config = loadConfig({
      argv: [],
      env: { PORT: "4099", EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:84532", EVM_RPC_URL: "http://127.0.0.1:8545" },
    });
    assert.equal(config.port, 4099);
    assert.deepEqual(config.privateKeys, [KEY]);
    assert.equal(config.networks[0]?.caip2, "eip155:84532");
    assert.equal(config.networks[0]?.chainId, 84532);
    assert.equal(config.mode, "direct");
    assert.equal(config.settleTimeoutMs, 15_000);
    assert.equal(config.verify.validBeforeBufferSeconds, 6);
  });

  test("behavior: v1 network names, several keys, allowlists and X402KIT_* settings", () => {
    const config = loadConfig({
      argv: [],
      env: {
        EVM_PRIVATE_KEYS: `${KEY}, ${KEY2}`,
        EVM_NETWORK: "base-sepolia",
        X402KIT_ASSETS: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
        X402KIT_PAYEES: "0x000000000000000000000000000000000000dEaD",
        X402KIT_MODE: "batched",
        X402KIT_ROUTER: "0x1000000000000000000000000000000000000001",
        X402KIT_BATCH_MAX_ITEMS: "20",
        X402KIT_SETTLE_TIMEOUT_MS: "5000",
        X402KIT_API_KEYS: "0123456789abcdef0123",
      },
    });
    assert.deepEqual(config.privateKeys, [KEY, KEY2]);
    assert.equal(config.networks[0]?.caip2, "eip155:84532");
    assert.equal(config.networks[0]?.rpcUrl, "https://sepolia.base.org");
    assert.deepEqual(config.networks[0]?.assets, ["0x036CbD53842c5426634e7929541eC2318f3dCF7e"]);
    assert.equal(config.mode, "batched");
    assert.equal(config.batch.maxItems, 20);
    assert.equal(config.batch.maxWaitMs, 0);
    assert.equal(config.batch.itemGasLimit, 150_000);
    assert.equal(config.networks[0]?.router, "0x1000000000000000000000000000000000000001");
    assert.equal(config.settleTimeoutMs, 5000);
    assert.deepEqual(config.apiKeys, ["0123456789abcdef0123"]);
  });

  test("behavior: flags beat the environment, which beats the JSON file", () => {
    const dir = mkdtempSync(join(tmpdir(), "x402kit-config-"));
    try {
      const file = join(dir, "facilitator.json");
      writeFileSync(
        file,
        JSON.stringify({
          port: 1111,
          host: "127.0.0.2",
          privateKeys: [KEY2],
          networks: [{ network: "eip155:31337", rpcUrl: "http://127.0.0.1:9999" }],
          logLevel: "warn",
        }),
      );
      const config = loadConfig({
        argv: ["--config", file, "--port", "3333", "--log-level", "error"],
        env: { PORT: "2222", X402KIT_LOG_LEVEL: "debug" },
      });
      assert.equal(config.port, 3333);
      assert.equal(config.host, "127.0.0.2");
      assert.equal(config.logLevel, "error");
      assert.deepEqual(config.privateKeys, [KEY2]);
      assert.equal(config.networks[0]?.rpcUrl, "http://127.0.0.1:9999");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("behavior: fails fast naming each bad setting, never quoting a secret", () => {
    const bad = "0xnotakey";
    assert.throws(
      () => loadConfig({ argv: [], env: { EVM_PRIVATE_KEY: bad, EVM_NETWORK: "mars", PORT: "70000" } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.settings.sort(),
          ["networks.0.network", "networks.0.rpcUrl", "port", "privateKeys.0"].sort(),
        );
        assert.doesNotMatch(error.message, /notakey/);
        return true;
      },
    );
    assert.throws(
      () => parseConfig({ networks: [] }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.settings, ["privateKeys", "networks"]);
        return true;
      },
    );
  });

  test("behavior: the same signer key twice is refused (two writers for one account's nonces)", () => {
    assert.throws(
      () =>
        loadConfig({
          argv: [],
          env: {
            EVM_PRIVATE_KEY: KEY,
            EVM_PRIVATE_KEYS: `${KEY2},${KEY.toUpperCase().replace("0X", "0x")}`,
            EVM_NETWORK: "eip155:84532",
          },
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.settings, ["privateKeys.2"]);
        assert.match(error.message, /same signer as privateKeys\[\d\] \(0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\)/);
        assert.doesNotMatch(error.message, /ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80/i);
        return true;
      },
    );
  });

  test("behavior: batched mode needs a router on every network, and at most 250 items per batch", () => {
    assert.throws(
      () =>
        loadConfig({
          argv: ["--mode", "batched", "--batch-max-items", "251"],
          env: { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:84532" },
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.settings.sort(), ["batch.maxItems", "networks.0.router"]);
        assert.match(error.message, /networks\.0\.router: required in batched mode: .*X402KIT_ROUTER/);
        return true;
      },
    );
    const config = loadConfig({
      argv: ["--mode", "batched", "--router", "0x1000000000000000000000000000000000000001"],
      env: { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:84532" },
    });
    assert.equal(config.networks[0]?.router, "0x1000000000000000000000000000000000000001");
  });

  test("behavior: the router defaults to x402kit's deployment on chains the bindings know", () => {
    const config = loadConfig({
      argv: ["--mode", "batched"],
      env: { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:31337" },
    });
    assert.equal(config.networks[0]?.router, deployments[31337].batchSettlementRouter);
  });

  test("behavior: HTTP limits from flags and environment, with the defaults otherwise", () => {
    const env = { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:31337", X402KIT_MAX_IN_FLIGHT: "64" };
    const defaults = loadConfig({ argv: [], env: { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:31337" } });
    assert.deepEqual(defaults.http, {
      drainLimitBytes: 16_777_216,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxHeaderBytes: 16_384,
      maxConnections: 4_096,
      maxInFlight: 2_048,
      rateLimitMaxClients: 100_000,
      trustProxy: false,
    });
    const config = loadConfig({
      argv: [
        "--max-connections=100",
        "--headers-timeout-ms=2000",
        "--request-timeout-ms=4000",
        "--keep-alive-timeout-ms=1000",
        "--body-limit-bytes=2048",
        "--trust-proxy",
      ],
      env,
    });
    assert.equal(config.bodyLimitBytes, 2_048);
    assert.deepEqual(
      {
        maxConnections: config.http.maxConnections,
        maxInFlight: config.http.maxInFlight,
        headersTimeoutMs: config.http.headersTimeoutMs,
        requestTimeoutMs: config.http.requestTimeoutMs,
        keepAliveTimeoutMs: config.http.keepAliveTimeoutMs,
        trustProxy: config.http.trustProxy,
      },
      {
        maxConnections: 100,
        maxInFlight: 64,
        headersTimeoutMs: 2_000,
        requestTimeoutMs: 4_000,
        keepAliveTimeoutMs: 1_000,
        trustProxy: true,
      },
    );
    assert.throws(
      () => loadConfig({ argv: ["--headers-timeout-ms=5000", "--request-timeout-ms=1000"], env }),
      (error: unknown) => error instanceof ConfigError && /http\.headersTimeoutMs/.test(error.message),
    );
  });

  test("behavior: signer leases from X402KIT_SIGNER_LEASES or --signer-leases, their TTL from X402KIT_LEASE_TTL_MS", () => {
    const env = { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:31337" };
    const plain = loadConfig({ argv: [], env });
    assert.equal(plain.signerLeases, false);
    assert.equal(plain.leaseTtlMs, 10_000);
    const fromEnv = loadConfig({ argv: [], env: { ...env, X402KIT_SIGNER_LEASES: "1", X402KIT_LEASE_TTL_MS: "4000" } });
    assert.equal(fromEnv.signerLeases, true);
    assert.equal(fromEnv.leaseTtlMs, 4_000);
    const fromFlags = loadConfig({ argv: ["--signer-leases", "--lease-ttl-ms", "3000"], env });
    assert.equal(fromFlags.signerLeases, true);
    assert.equal(fromFlags.leaseTtlMs, 3_000);
    assert.throws(
      () => loadConfig({ argv: [], env: { ...env, X402KIT_LEASE_TTL_MS: "10" } }),
      (error: unknown) => error instanceof ConfigError && /leaseTtlMs/.test(error.message),
    );
  });

  test("behavior: the Postgres journal from DATABASE_URL or --database-url (the flag wins), standby from X402KIT_STANDBY", () => {
    const env = {
      EVM_PRIVATE_KEY: KEY,
      EVM_NETWORK: "eip155:31337",
      DATABASE_URL: "postgres://x402kit:pw@db:5432/env",
      X402KIT_STANDBY: "1",
    };
    const fromEnv = loadConfig({ argv: [], env });
    assert.equal(fromEnv.databaseUrl, "postgres://x402kit:pw@db:5432/env");
    assert.equal(fromEnv.standby, true);
    const fromFlag = loadConfig({ argv: ["--database-url", "postgresql://x402kit:pw@db/flag"], env });
    assert.equal(fromFlag.databaseUrl, "postgresql://x402kit:pw@db/flag");
    const plain = loadConfig({ argv: [], env: { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:31337" } });
    assert.equal(plain.databaseUrl, undefined);
    assert.equal(plain.standby, false);
    assert.throws(
      () => loadConfig({ argv: [], env: { ...env, DATABASE_URL: "mysql://secretpw@db/x" } }),
      (error: unknown) =>
        error instanceof ConfigError && /databaseUrl/.test(error.message) && !error.message.includes("secretpw"),
    );
  });

  test("behavior: batch-settlement is switched on by X402KIT_BATCH_SETTLEMENT_KEY, and refuses a lane's key", () => {
    const env = { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:31337" };
    assert.equal(loadConfig({ argv: [], env }).batchSettlement, undefined, "off by default");
    const channelKey = `0x${"ab".repeat(32)}` as const;
    const authorizerKey = `0x${"cd".repeat(32)}` as const;
    const on = loadConfig({
      argv: [],
      env: { ...env, X402KIT_BATCH_SETTLEMENT_KEY: ` ${channelKey} `, X402KIT_RECEIVER_AUTHORIZER_KEY: authorizerKey },
    });
    assert.deepEqual(on.batchSettlement, { privateKey: channelKey, receiverAuthorizerKey: authorizerKey });
    assert.throws(
      () => loadConfig({ argv: [], env: { ...env, X402KIT_BATCH_SETTLEMENT_KEY: KEY } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /batchSettlement\.privateKey/.test(error.message) &&
        /privateKeys\[0\]/.test(error.message) &&
        !error.message.includes(KEY.slice(2)),
    );
    assert.throws(
      () => loadConfig({ argv: [], env: { ...env, X402KIT_BATCH_SETTLEMENT_KEY: "0x1234" } }),
      (error: unknown) => error instanceof ConfigError && /batchSettlement\.privateKey/.test(error.message),
    );
    const text = JSON.stringify(redactConfig(on));
    for (const secret of [channelKey.slice(2), authorizerKey.slice(2)]) assert.ok(!text.includes(secret), text);
  });

  test("behavior: the Permit2 schemes' sender is X402KIT_PERMIT2_KEY, never a lane's key, and redacted", () => {
    const env = { EVM_PRIVATE_KEY: KEY, EVM_NETWORK: "eip155:31337" };
    assert.equal(loadConfig({ argv: [], env }).permit2, undefined, "unset by default");
    const permit2Key = `0x${"ef".repeat(32)}` as const;
    const on = loadConfig({ argv: [], env: { ...env, X402KIT_PERMIT2_KEY: ` ${permit2Key} ` } });
    assert.deepEqual(on.permit2, { privateKey: permit2Key });
    assert.throws(
      () => loadConfig({ argv: [], env: { ...env, X402KIT_PERMIT2_KEY: KEY } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /permit2\.privateKey/.test(error.message) &&
        /privateKeys\[0\]/.test(error.message) &&
        !error.message.includes(KEY.slice(2)),
    );
    assert.throws(
      () => loadConfig({ argv: [], env: { ...env, X402KIT_PERMIT2_KEY: "0x1234" } }),
      (error: unknown) => error instanceof ConfigError && /permit2\.privateKey/.test(error.message),
    );
    const text = JSON.stringify(redactConfig(on));
    assert.ok(!text.includes(permit2Key.slice(2)), text);
  });

  test("behavior: unknown flags are configuration errors", () => {
    assert.throws(() => loadConfig({ argv: ["--no-such-flag"], env: {} }), ConfigError);
  });
});

describe("redactConfig", () => {
  test("default: keys, API keys and RPC credentials never appear", () => {
    const config = parseConfig({
      privateKeys: [KEY],
      apiKeys: ["0123456789abcdef0123"],
      networks: [{ network: "eip155:8453", rpcUrl: "https://user:secret@rpc.example/v2/apikey123?token=abc" }],
      databaseUrl: "postgres://x402kit:dbpassword@db.internal:5432/facilitator",
    });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of [KEY.slice(2), "0123456789abcdef0123", "secret", "apikey123", "abc", "dbpassword"]) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    assert.equal(redactUrl("http://127.0.0.1:8545"), "http://127.0.0.1:8545");
  });
});
