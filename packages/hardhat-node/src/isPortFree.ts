import { assertPortFree } from "./assertPortFree.js";
import { PortInUseError } from "./errors.js";

/**
 * Whether `port` can be bound on `hostname` right now.
 *
 * @param parameters - Port and interface (default `127.0.0.1`).
 * @returns `true` when free.
 *
 * @example
 * ```ts
 * import { isPortFree } from "@x402kit/hardhat-node";
 * await node.stop();
 * await isPortFree({ port: node.port }); // true
 * ```
 */
export async function isPortFree(parameters: { port: number; hostname?: string | undefined }): Promise<boolean> {
  try {
    await assertPortFree({ ...parameters, service: "probe" });
    return true;
  } catch (error) {
    if (error instanceof PortInUseError) return false;
    throw error;
  }
}
