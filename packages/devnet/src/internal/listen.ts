import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { PortInUseError } from "@x402kit/hardhat-node";

/** An HTTP server bound on 127.0.0.1. */
export type Listening = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops accepting, drops idle keep-alive connections, resolves when closed. Idempotent. */
  close(): Promise<void>;
};

/**
 * Serves a fetch handler (Hono app) on `hostname:port` (0 = a free port) and resolves once bound.
 *
 * @param parameters - Handler, port, hostname, and the service name for errors.
 * @returns The bound server.
 * @throws {PortInUseError} When the port is taken.
 */
export async function listen(parameters: {
  /** A fetch handler to serve with `@hono/node-server`, or a ready (not listening) server. */
  fetch?: (request: Request) => Response | Promise<Response>;
  server?: Server;
  port: number;
  hostname?: string;
  service: string;
}): Promise<Listening> {
  const hostname = parameters.hostname ?? "127.0.0.1";
  let server: Server | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const given = parameters.server;
    const s = given
      ? given.listen(parameters.port, hostname, () => resolve((given.address() as AddressInfo).port))
      : (serve(
          { fetch: parameters.fetch ?? (() => new Response(null, { status: 404 })), port: parameters.port, hostname },
          (info: AddressInfo) => resolve(info.port),
        ) as Server);
    server = s;
    s.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new PortInUseError({ port: parameters.port, hostname, service: parameters.service, cause: error })
          : error,
      );
    });
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostname}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const s = server;
        if (!s?.listening) return resolve();
        // In-flight requests get 5 s to finish; idle keep-alive connections are dropped at once.
        const timer = setTimeout(() => s.closeAllConnections(), 5_000);
        s.close(() => {
          clearTimeout(timer);
          resolve();
        });
        s.closeIdleConnections();
      });
      return closing;
    },
  };
}
