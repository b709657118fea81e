#!/usr/bin/env node
/**
 * `x402kit-facilitator`: parses the configuration (flags, environment, JSON file), reconciles the
 * journal with the chain, serves the HTTP API, and drains in-flight settlements on SIGTERM, SIGINT or
 * `POST /close` before exiting 0. Prints `Facilitator listening` when ready (the official x402 e2e
 * harness waits for it).
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { loadConfig } from "./config/loadConfig.js";
import { ConfigError } from "./domain/errors.js";
import { faultsFromSpec } from "./engine/faults.js";
import { createFacilitator } from "./facilitator/createFacilitator.js";
import { createApp } from "./http/createApp.js";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if ((error as { code?: string }).code === "commander.helpDisplayed") process.exit(0);
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // TEST-ONLY: X402KIT_FAULT makes the process SIGKILL itself at a named point (see engine/faults.ts).
  const faults = faultsFromSpec(process.env.X402KIT_FAULT);
  const facilitator = createFacilitator(config, { faults });
  const { logger } = facilitator;
  await facilitator.start();

  let shuttingDown = false;
  const shutdown = (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, "draining in-flight settlements");
    server.close();
    facilitator
      .close()
      .then(() => {
        logger.info("facilitator stopped");
        logger.flush?.();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  };

  const app = createApp({ facilitator, onClose: () => shutdown("POST /close") });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
    logger.info(
      { host: info.address, port: info.port, signers: facilitator.engine.signers(), mode: config.mode },
      `Facilitator listening on http://${info.address}:${info.port}`,
    );
  });
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `x402kit-facilitator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
