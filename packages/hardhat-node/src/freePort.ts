import { createServer } from "node:net";

export type FreePortParameters = {
  /** Interface to probe. Default `127.0.0.1`. */
  hostname?: string | undefined;
};

/**
 * A TCP port that is free right now on `hostname`, found by binding port 0 and closing again. Another
 * process may take it before you bind it; prefer binding port 0 yourself when the server allows it.
 *
 * @param parameters - {@link FreePortParameters}
 * @returns The port.
 *
 * @example
 * ```ts
 * import { freePort } from "@x402kit/hardhat-node";
 * const port = await freePort();
 * ```
 */
export async function freePort(parameters: FreePortParameters = {}): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, parameters.hostname ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
