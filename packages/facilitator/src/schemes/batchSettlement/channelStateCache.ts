/**
 * Channel state for voucher verification, read once per block: every voucher of a channel verified while the chain
 * head is block N shares one read of that channel at block N. A voucher is checked in microseconds; without this the
 * node would answer three `eth_call`s per voucher.
 *
 * The head is learnt with one shared `eth_blockNumber` at most every `headTtlMs`, so an answer may rest on a block up
 * to that long after the next one was mined. Two rules keep that from mattering:
 * - a refusal is never given on a cached state: the caller re-reads at `latest` first ({@link ChannelStateCache.read}
 *   with `fresh`), so a deposit or top-up mined a moment ago is seen at once;
 * - this facilitator's own writes (deposits, claims, refunds) {@link ChannelStateCache.invalidate} the cache when
 *   their answer is known, so its own claims are never verified against.
 * What remains is the window every verifier has between its read and the next block.
 */
import type { Hex, PublicClient } from "viem";
import { type ChannelState, readChannelState } from "./channel.js";

export type ChannelStateCache = {
  /**
   * The channel's state at the current head; `fresh` reads at `latest` now, shares nothing and refreshes the entry.
   *
   * @throws When the node cannot be read.
   */
  read(channelId: Hex, options?: { fresh?: boolean }): Promise<ChannelState>;
  /** Forgets every entry and the head (after a write of this facilitator). */
  invalidate(): void;
};

export type ChannelStateCacheOptions = {
  client: PublicClient;
  /** Longest time a learnt head number is used before it is asked again. */
  headTtlMs: number;
  /** Most channels kept (oldest dropped first). */
  maxEntries?: number;
  now?: () => number;
};

type Entry = { block: bigint; state: ChannelState };

export function createChannelStateCache(options: ChannelStateCacheOptions): ChannelStateCache {
  const { client, headTtlMs } = options;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? (() => performance.now());
  const entries = new Map<Hex, Entry>();
  /** Reads in flight, by channel and block: concurrent vouchers of one channel share one. */
  const reading = new Map<string, Promise<ChannelState>>();
  let head: { block: bigint; at: number } | undefined;
  let headRead: Promise<bigint> | undefined;
  /** Bumped by invalidate(): a read that started before it does not store its answer. */
  let generation = 0;

  const currentHead = (): Promise<bigint> => {
    if (head && now() - head.at < headTtlMs) return Promise.resolve(head.block);
    if (!headRead) {
      const started = generation;
      headRead = client
        .getBlockNumber({ cacheTime: 0 })
        .then((block) => {
          if (started === generation && (!head || block >= head.block)) head = { block, at: now() };
          return block;
        })
        .finally(() => {
          headRead = undefined;
        });
    }
    return headRead;
  };

  const store = (key: Hex, entry: Entry, started: number) => {
    if (started !== generation) return;
    const known = entries.get(key);
    if (known && known.block > entry.block) return;
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as Hex);
  };

  return {
    async read(channelId, readOptions) {
      const key = channelId.toLowerCase() as Hex;
      const started = generation;
      if (readOptions?.fresh) {
        const [state, block] = await Promise.all([readChannelState(client, channelId), currentHead()]);
        // Read at `latest`, which is at or after `block`: kept only as the state of a block no newer than it.
        store(key, { block, state }, started);
        return state;
      }
      const block = await currentHead();
      const entry = entries.get(key);
      if (entry && entry.block === block) return entry.state;
      const inFlight = `${key}:${block}`;
      let read = reading.get(inFlight);
      if (!read) {
        read = readChannelState(client, channelId, block).finally(() => reading.delete(inFlight));
        reading.set(inFlight, read);
      }
      const state = await read;
      store(key, { block, state }, started);
      return state;
    },
    invalidate() {
      generation++;
      entries.clear();
      head = undefined;
    },
  };
}
