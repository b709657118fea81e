/**
 * `@x402kit/signer/batch-settlement/node`: Node-only parts of the batch-settlement client (a durable file store).
 *
 * @packageDocumentation
 */

export {
  type CreateFileChannelStoreParameters,
  type CreateFileChannelStoreReturnType,
  createFileChannelStore,
} from "./createFileChannelStore.js";
