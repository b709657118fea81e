/**
 * `@x402kit/signer/batch-settlement/node`: Node-only parts of the batch-settlement client (a durable file store).
 *
 * @packageDocumentation
 */

import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";
import type { ChannelRecord, ChannelStore } from "../channelStore.js";

/**
 * A {@link ChannelStore} in a directory, one JSON file per channel. `set` is atomic and durable: it writes a
 * temporary file, fsyncs it, renames it over the record and fsyncs the directory, so after a crash (SIGKILL,
 * power loss) a record is either the old one or the new one, never torn. One live process per directory.
 *
 * @param parameters - The directory (created if missing).
 * @returns The store.
 */
export function createFileChannelStore(parameters: { directory: string }): ChannelStore {
  const { directory } = parameters;
  let ready: Promise<unknown> | undefined;
  const ensure = () => {
    ready ??= mkdir(directory, { recursive: true });
    return ready;
  };
  const fileOf = (channelId: Hex) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(channelId)) throw new Error(`not a channel id: ${channelId}`);
    return join(directory, `${channelId.toLowerCase()}.json`);
  };
  const fsyncDirectory = async () => {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  return {
    async get(channelId) {
      try {
        return JSON.parse(await readFile(fileOf(channelId), "utf8")) as ChannelRecord;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async set(channelId, record) {
      await ensure();
      const file = fileOf(channelId);
      const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      const handle = await open(temporary, "wx");
      try {
        await handle.writeFile(JSON.stringify(record));
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      await fsyncDirectory();
    },
    async delete(channelId) {
      await rm(fileOf(channelId), { force: true });
      await ensure();
      await fsyncDirectory();
    },
  };
}
