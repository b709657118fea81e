import type { Hex } from "viem";

/**
 * What a payer remembers about one channel. Amounts are decimal strings so a record is plain JSON.
 * `signedMaxClaimable` only ever grows: it is written before the voucher is signed.
 */
export type ChannelRecord = {
  /** Highest cumulative ceiling ever signed (or reserved for signing) on this channel. */
  signedMaxClaimable: string;
  /** What the receiver reported as charged in total, from the last settle response. */
  chargedCumulativeAmount?: string | undefined;
  /** The channel's balance as last reported (deposits confirmed by the receiver). */
  balance?: string | undefined;
  /** The channel's salt (bytes32), so a refund can rebuild its configuration. */
  salt?: Hex | undefined;
  /**
   * Set when the channel was retired (its receiver expects a voucher the payer will not sign again): the salt of
   * the channel that replaces it for the same payee, token and receiver authorizer.
   */
  successorSalt?: Hex | undefined;
};

/**
 * Durable storage of {@link ChannelRecord}s keyed by lower-case channel id. `set` must not resolve before the
 * record would survive a crash of the process; the payer relies on it to never sign a lower or repeated voucher.
 */
export interface ChannelStore {
  get(channelId: Hex): Promise<ChannelRecord | undefined>;
  set(channelId: Hex, record: ChannelRecord): Promise<void>;
  delete(channelId: Hex): Promise<void>;
}

/**
 * A {@link ChannelStore} in memory: lost with the process (tests, short-lived scripts, browsers with their own
 * persistence on top). Records are copied in and out.
 *
 * @returns The store.
 */
export function createMemoryChannelStore(): ChannelStore {
  const records = new Map<string, ChannelRecord>();
  return {
    async get(channelId) {
      const record = records.get(channelId.toLowerCase());
      return record ? { ...record } : undefined;
    },
    async set(channelId, record) {
      records.set(channelId.toLowerCase(), { ...record });
    },
    async delete(channelId) {
      records.delete(channelId.toLowerCase());
    },
  };
}
