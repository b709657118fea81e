import { z } from "zod";

const uintString = z.string().regex(/^(0|[1-9][0-9]*)$/, "an unsigned integer in decimal");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 20-byte hex address");
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte hex value");

type Hex = `0x${string}`;

/** A channel's `ChannelConfig` as the official `@x402/evm` batch-settlement scheme keeps it (its EIP-712 struct). */
export type ChannelConfigRecord = {
  payer: Hex;
  payerAuthorizer: Hex;
  receiver: Hex;
  receiverAuthorizer: Hex;
  token: Hex;
  withdrawDelay: number;
  salt: Hex;
};

/**
 * A resource server's record of one `batch-settlement` channel, field for field the official `Channel` of
 * `@x402/evm/batch-settlement/server`: amounts as decimal strings, `withdrawRequestedAt` and `lastRequestTimestamp`
 * as it keeps them, the latest voucher's `signedMaxClaimable` and `signature`, a reservation in `pendingRequest`.
 */
export type ChannelRecord = {
  channelId: string;
  channelConfig: ChannelConfigRecord;
  chargedCumulativeAmount: string;
  signedMaxClaimable: string;
  signature: string;
  balance: string;
  totalClaimed: string;
  withdrawRequestedAt: number;
  refundNonce: number;
  onchainSyncedAt?: number;
  lastRequestTimestamp: number;
  pendingRequest?: { pendingId: string; signedMaxClaimable: string; expiresAt: number };
};

const channelConfigSchema = z.looseObject({
  payer: address,
  payerAuthorizer: address,
  receiver: address,
  receiverAuthorizer: address,
  token: address,
  withdrawDelay: z.number().int().nonnegative(),
  salt: bytes32,
});

/** Validates a {@link ChannelRecord}. Unknown fields are kept, so a newer official server can share the store. */
export const channelRecordSchema = z.looseObject({
  channelId: bytes32,
  channelConfig: channelConfigSchema,
  chargedCumulativeAmount: uintString,
  signedMaxClaimable: uintString,
  signature: z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "hex bytes"),
  balance: uintString,
  totalClaimed: uintString,
  withdrawRequestedAt: z.number().nonnegative(),
  refundNonce: z.number().int().nonnegative(),
  onchainSyncedAt: z.number().nonnegative().optional(),
  lastRequestTimestamp: z.number().nonnegative(),
  pendingRequest: z
    .looseObject({ pendingId: z.string(), signedMaxClaimable: uintString, expiresAt: z.number() })
    .optional(),
});

/** What {@link ChannelStore.updateChannel} did: as the official `ChannelUpdateResult`. */
export type ChannelUpdateResult = {
  channel: ChannelRecord | undefined;
  status: "updated" | "unchanged" | "deleted";
};

/**
 * The official `ChannelStorage` contract of `@x402/evm/batch-settlement/server`: `updateChannel` inspects and
 * mutates one record atomically for every process sharing the backend; the callback returns the next record,
 * `current` to leave it, or `undefined` to delete it.
 */
export interface ChannelStore {
  get(channelId: string): Promise<ChannelRecord | undefined>;
  list(): Promise<ChannelRecord[]>;
  updateChannel(
    channelId: string,
    update: (current: ChannelRecord | undefined) => ChannelRecord | undefined,
  ): Promise<ChannelUpdateResult>;
}

/** The storage key of a channel id: lowercase, as the official storages normalise it. Throws on a malformed id. */
export function normalizeChannelId(channelId: string): string {
  const parsed = bytes32.safeParse(channelId);
  if (!parsed.success) throw new TypeError(`channel id must be a 32-byte hex value, got ${JSON.stringify(channelId)}`);
  return channelId.toLowerCase();
}
