import type { ChannelPayer } from "../batch-settlement/createChannelPayer.js";

const channelQueues = new WeakMap<ChannelPayer, Promise<void>>();

/**
 * Waits for a payer's earlier channel requests (payments, refunds) made through `@x402kit/signer/fetch`, so one
 * payer's vouchers reach receivers one at a time, in order.
 *
 * @param channelPayer - The payer.
 * @returns The function that lets the next request go; call it exactly once.
 */
export async function lockChannels(channelPayer: ChannelPayer): Promise<() => void> {
  const previous = channelQueues.get(channelPayer) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  channelQueues.set(
    channelPayer,
    previous.then(() => done),
  );
  await previous;
  return release;
}
