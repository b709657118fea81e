import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { FacilitatorConfigInput } from "../config/schema.js";
import {
  type CreateFacilitatorOptions,
  createFacilitator,
  type Facilitator,
} from "../facilitator/createFacilitator.js";
import { createApp } from "./createApp.js";

/** A facilitator served over HTTP. */
export type ServedFacilitator = {
  facilitator: Facilitator;
  /** `http://host:port` actually bound. */
  url: string;
  /** Stops accepting connections, drains in-flight settlements, closes the journal. Idempotent. */
  shutdown(reason: string): Promise<void>;
  /** Resolves when `shutdown` has finished (from `POST /close` or a caller). */
  closed: Promise<void>;
};

/**
 * Creates, reconciles and serves a facilitator: the body of the `x402kit-facilitator` binary, reusable
 * by embedders and tests. Logs `Facilitator listening on http://…` once the port is bound.
 *
 * @param config - Configuration (validated here).
 * @param options - `createFacilitator` options (logger, batch router, test faults).
 * @returns The running server.
 */
export async function serveFacilitator(
  config: FacilitatorConfigInput,
  options: CreateFacilitatorOptions = {},
): Promise<ServedFacilitator> {
  const facilitator = createFacilitator(config, options);
  const { logger } = facilitator;
  await facilitator.start();
  let shuttingDown: Promise<void> | undefined;
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  let server: ReturnType<typeof serve> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    shuttingDown ??= (async () => {
      try {
        logger.info({ reason }, "draining in-flight settlements");
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        await facilitator.close();
        logger.info("facilitator stopped");
      } finally {
        markClosed();
      }
    })();
    return shuttingDown;
  };
  const app = createApp({ facilitator, onClose: () => void shutdown("POST /close") });
  const info = await new Promise<AddressInfo>((resolve) => {
    server = serve(
      { fetch: app.fetch, port: facilitator.config.port, hostname: facilitator.config.host },
      (address: AddressInfo) => resolve(address),
    );
  });
  const url = `http://${info.address}:${info.port}`;
  logger.info(
    { host: info.address, port: info.port, signers: facilitator.engine.signers(), mode: facilitator.config.mode },
    `Facilitator listening on ${url}`,
  );
  return { facilitator, url, shutdown, closed };
}
