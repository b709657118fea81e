import assert from "node:assert/strict";
import { isPortFree, isProcessAlive } from "@x402kit/hardhat-node";
import { eventually } from "./eventually.js";

/** The port of an `http://host:port` URL. */
export const portOf = (url: string): number => Number(new URL(url).port);

/**
 * Asserts that nothing a devnet started is left: the node's process is gone and every port is free.
 *
 * @param parameters - The node's pid and the URLs the devnet served.
 */
export async function assertNothingLeft(parameters: { nodePid: number; urls: readonly string[] }): Promise<void> {
  assert.equal(await eventually(() => !isProcessAlive(parameters.nodePid)), true, "the hardhat node is still running");
  for (const url of parameters.urls) {
    assert.equal(await eventually(() => isPortFree({ port: portOf(url) })), true, `port of ${url} is still bound`);
  }
}
