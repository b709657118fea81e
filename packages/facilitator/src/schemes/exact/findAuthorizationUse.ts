// Exact scheme: finds the on-chain transaction that used an EIP-3009 authorization nonce, and whether it paid.

import { getAbiItem, type Hex, parseEventLogs } from "viem";
import { eip3009Abi } from "../../chain/eip3009Abi.js";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import { withRpc } from "../../chain/withRpc.js";
import type { ExactPayment } from "../../domain/types.js";

/** Blocks per `eth_getLogs` call (many providers refuse wider ranges). */
const LOG_WINDOW = 2_000n;

/** What consumed an authorization nonce on chain. */
export type AuthorizationUse =
  /** A transaction that transferred exactly `value` from `from` to `payTo` with this nonce: the payment happened. */
  | { kind: "paid"; txHash: Hex; blockNumber: bigint }
  /** The payer canceled the authorization, or used its nonce for something that did not pay `payTo`. */
  | { kind: "not-paid"; txHash: Hex; canceled: boolean }
  /** No event within the look-back window explains it. */
  | { kind: "not-found" };

/**
 * Finds the transaction that used (or canceled) a payment's authorization nonce, and whether it paid the
 * right payee the right amount. Used when the nonce is spent but not by a transaction of ours.
 *
 * @param network - The payment's network.
 * @param payment - The payment.
 * @param lookbackBlocks - How many recent blocks to search.
 * @returns See {@link AuthorizationUse}.
 */
export async function findAuthorizationUse(
  network: NetworkRuntime,
  payment: ExactPayment,
  lookbackBlocks: bigint,
): Promise<AuthorizationUse> {
  const { client } = network;
  const { from, nonce } = payment.authorization;
  return withRpc(network, async () => {
    const latest = await client.getBlockNumber();
    const oldest = latest > lookbackBlocks ? latest - lookbackBlocks : 0n;
    // Newest first, in windows most providers accept; a nonce is used once, so the first hit is the one.
    let cancel: Hex | undefined;
    let use: Hex | undefined;
    for (let toBlock = latest; toBlock >= oldest && !cancel && !use; toBlock -= LOG_WINDOW) {
      const fromBlock = toBlock - oldest + 1n > LOG_WINDOW ? toBlock - LOG_WINDOW + 1n : oldest;
      const [used, canceled] = await Promise.all([
        client.getLogs({
          address: payment.asset,
          event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationUsed" }),
          args: { authorizer: from, nonce },
          fromBlock,
          toBlock,
        }),
        client.getLogs({
          address: payment.asset,
          event: getAbiItem({ abi: eip3009Abi, name: "AuthorizationCanceled" }),
          args: { authorizer: from, nonce },
          fromBlock,
          toBlock,
        }),
      ]);
      cancel = canceled[0]?.transactionHash ?? undefined;
      use = used[0]?.transactionHash ?? undefined;
      if (fromBlock === 0n) break;
    }
    if (cancel) return { kind: "not-paid", txHash: cancel, canceled: true };
    if (!use) return { kind: "not-found" };
    const receipt = await client.getTransactionReceipt({ hash: use });
    const paid = transferredExactly(receipt.logs, payment);
    return paid
      ? { kind: "paid", txHash: use, blockNumber: receipt.blockNumber }
      : { kind: "not-paid", txHash: use, canceled: false };
  });
}

/**
 * Whether receipt logs hold this payment's transfer: `Transfer(from, payTo, value)` emitted by the asset,
 * together with `AuthorizationUsed(from, nonce)`.
 *
 * @param logs - Logs of one receipt (or of one batch item).
 * @param payment - The payment.
 * @returns `true` when both events are present.
 */
export function transferredExactly(
  logs: readonly Parameters<typeof parseEventLogs>[0]["logs"][number][],
  payment: ExactPayment,
): boolean {
  const asset = payment.asset.toLowerCase();
  const events = parseEventLogs({ abi: eip3009Abi, logs: logs.filter((l) => l.address.toLowerCase() === asset) });
  const { from, nonce, value } = payment.authorization;
  const usedHere = events.some(
    (e) =>
      e.eventName === "AuthorizationUsed" &&
      e.args.authorizer.toLowerCase() === from.toLowerCase() &&
      e.args.nonce.toLowerCase() === nonce.toLowerCase(),
  );
  const transferred = events.some(
    (e) =>
      e.eventName === "Transfer" &&
      e.args.from.toLowerCase() === from.toLowerCase() &&
      e.args.to.toLowerCase() === payment.payTo.toLowerCase() &&
      e.args.value === value,
  );
  return usedHere && transferred;
}
