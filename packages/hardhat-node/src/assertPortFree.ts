import { createServer } from "node:net";
import { PortInUseError } from "./errors.js";

export type AssertPortFreeParameters = {
  /** The port (0 always passes). */
  port: number;
  /** Interface it will be bound on. Default `127.0.0.1`. */
  hostname?: string | undefined;
  /** What wants the port, for the error message. */
  service: string;
};

/**
 * Checks that `port` can be bound on `hostname` now, so a caller can refuse to start with a clear
 * message instead of a child process failing half-way. (Another process can still take the port
 * afterwards; servers must handle `EADDRINUSE` too.)
 *
 * @param parameters - {@link AssertPortFreeParameters}
 * @throws {PortInUseError} When the port is taken.
 *
 * @example
 * ```ts
 * import { assertPortFree } from "@x402kit/hardhat-node";
 * await assertPortFree({ port: 8545, service: "JSON-RPC node" });
 * ```
 */
export async function assertPortFree(parameters: AssertPortFreeParameters): Promise<void> {
  const { port, service } = parameters;
  const hostname = parameters.hostname ?? "127.0.0.1";
  if (port === 0) return;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(new PortInUseError({ port, hostname, service, cause: error }));
      } else {
        reject(error);
      }
    });
    server.listen({ port, host: hostname, exclusive: true }, resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
