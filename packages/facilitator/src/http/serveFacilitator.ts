import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FacilitatorConfig, FacilitatorConfigInput } from "../config/schema.js";
import {
  type CreateFacilitatorOptions,
  createFacilitator,
  type Facilitator,
} from "../facilitator/createFacilitator.js";
import { createApp } from "./createApp.js";
import { createHttpServer, type HttpLimits } from "./createHttpServer.js";

/**
 * The HTTP edge limits of a configuration, for {@link createHttpServer}.
 *
 * @param config - A validated configuration.
 * @returns Its limits.
 */
export function httpLimitsOf(config: FacilitatorConfig): HttpLimits {
  const { rateLimitMaxClients: _clients, trustProxy: _proxy, ...limits } = config.http;
  return { ...limits, bodyLimitBytes: config.bodyLimitBytes };
}

/**
 * Serves a facilitator's app through its hardened HTTP edge ({@link createHttpServer} with the configuration's
 * limits) and resolves once bound.
 *
 * @param facilitator - A started facilitator.
 * @param options - The port and interface (default: the configuration's), and `POST /close`'s callback.
 * @returns The listening server and its address.
 */
export async function listenFacilitator(
  facilitator: Facilitator,
  options: { port?: number; host?: string; onClose?: () => void } = {},
): Promise<{ server: Server; address: AddressInfo }> {
  const app = createApp({ facilitator, ...(options.onClose ? { onClose: options.onClose } : {}) });
  const server = createHttpServer({
    fetch: app.fetch,
    limits: httpLimitsOf(facilitator.config),
    registry: facilitator.metrics.registry,
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? facilitator.config.port, options.host ?? facilitator.config.host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
  return { server, address };
}

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
  let server: Server | undefined;
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
  const listening = await listenFacilitator(facilitator, { onClose: () => void shutdown("POST /close") });
  server = listening.server;
  const info = listening.address;
  const url = `http://${info.address}:${info.port}`;
  logger.info(
    { host: info.address, port: info.port, signers: facilitator.engine.signers(), mode: facilitator.config.mode },
    `Facilitator listening on ${url}`,
  );
  return { facilitator, url, shutdown, closed };
}
