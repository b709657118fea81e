#!/usr/bin/env node
/**
 * `x402kit-facilitator`: parses the configuration (flags, environment, JSON file), reconciles the
 * journal with the chain, serves the HTTP API, and drains in-flight settlements on SIGTERM, SIGINT or
 * `POST /close` before exiting 0. Prints `Facilitator listening` when ready (the official x402 e2e
 * harness waits for it).
 */
import { loadConfig } from "./config/loadConfig.js";
import { ConfigError, RouterMisconfiguredError } from "./domain/errors.js";
import { faultsFromSpec } from "./engine/faults.js";
import { serveFacilitator } from "./http/serveFacilitator.js";

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
  const served = await serveFacilitator(config, { faults: faultsFromSpec(process.env.X402KIT_FAULT) });
  const stop = (reason: string) => {
    // Whatever happens while draining (even a closed stdout), the process ends: cleanly when the drain
    // finishes, or after the drain budget plus a margin (the journal makes either safe).
    setTimeout(() => process.exit(1), served.facilitator.config.drainTimeoutMs + 5_000).unref();
    served.shutdown(reason).catch(() => process.exit(1));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  await served.closed;
  served.facilitator.logger.flush?.();
  process.exit(0);
}

main().catch((error: unknown) => {
  if (error instanceof RouterMisconfiguredError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `x402kit-facilitator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
