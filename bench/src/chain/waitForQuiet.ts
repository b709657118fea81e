import type { Address } from "viem";
import { sleep } from "../processes.js";
import type { BenchChain } from "./setupChain.js";

/**
 * Waits until the facilitator's signers have nothing left in the mempool and one more block has been mined on top,
 * so that an audit sees every transaction the facilitator sent. Gives up after `timeoutMs`.
 *
 * @param signers - The facilitator's signer account, or all of them.
 * @returns Whether the chain went quiet in time.
 */
export async function waitForQuiet(
  chain: BenchChain,
  signers: Address | readonly Address[],
  timeoutMs: number,
): Promise<boolean> {
  const client = chain.publicClient;
  const deadline = Date.now() + timeoutMs;
  const accounts = typeof signers === "string" ? [signers] : signers;
  while (Date.now() < deadline) {
    const counts = await Promise.all(
      accounts.map((address) =>
        Promise.all([
          client.getTransactionCount({ address, blockTag: "pending" }),
          client.getTransactionCount({ address, blockTag: "latest" }),
        ]),
      ),
    );
    if (counts.every(([pending, latest]) => pending === latest)) {
      const block = await client.getBlockNumber({ cacheTime: 0 });
      while (Date.now() < deadline && (await client.getBlockNumber({ cacheTime: 0 })) <= block) await sleep(100);
      return true;
    }
    await sleep(250);
  }
  return false;
}
