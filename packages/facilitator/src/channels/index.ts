/**
 * `@x402kit/facilitator/channels`: what a `batch-settlement` resource server needs beside the official server
 * scheme — a durable, transactional `ChannelStorage` on SQLite and a claim scheduler that cannot lose money.
 *
 * @packageDocumentation
 */

export {
  type ChannelConfigRecord,
  type ChannelRecord,
  type ChannelStore,
  type ChannelUpdateResult,
  channelRecordSchema,
  normalizeChannelId,
} from "./channelRecord.js";
export {
  type ChannelClaimer,
  type ChannelScheduler,
  type ChannelTick,
  type CreateChannelSchedulerParameters,
  createChannelScheduler,
} from "./createChannelScheduler.js";
export {
  ChannelRecordCorruptError,
  type CreateSqliteChannelStorageParameters,
  createSqliteChannelStorage,
  InvalidChannelRecordError,
  type SqliteChannelStorage,
} from "./createSqliteChannelStorage.js";
export {
  type ChannelClaimPolicy,
  type ClaimPlan,
  type ClaimReason,
  type PlannedClaim,
  planClaims,
  unclaimedValue,
} from "./planClaims.js";
