import type { Address } from "viem";
import { sleep } from "../processes.js";
import type { BenchChain } from "./setupChain.js";

/**
 * Waits until `signer` has nothing left in the mempool and one more block has been mined on top, so
 * that an audit sees every transaction the facilitator sent. Gives up after `timeoutMs`.
 *
 * @returns Whether the chain went quiet in time.
 */
export async function waitForQuiet(chain: BenchChain, signer: Address, timeoutMs: number): Promise<boolean> {
  const client = chain.publicClient;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [pending, latest] = await Promise.all([
      client.getTransactionCount({ address: signer, blockTag: "pending" }),
      client.getTransactionCount({ address: signer, blockTag: "latest" }),
    ]);
    if (pending === latest) {
      const block = await client.getBlockNumber({ cacheTime: 0 });
      while (Date.now() < deadline && (await client.getBlockNumber({ cacheTime: 0 })) <= block) await sleep(100);
      return true;
    }
    await sleep(250);
  }
  return false;
}
