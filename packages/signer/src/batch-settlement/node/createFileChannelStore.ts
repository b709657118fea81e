import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";
import { InvalidChannelConfigError } from "../../errors/batchSettlement.js";
import { SchemaValidationError } from "../../errors/wire.js";
import type { ChannelRecord, ChannelStore } from "../channelStore.js";

export type CreateFileChannelStoreParameters = {
  /** The directory of the records, created if missing. Use one directory per live process. */
  directory: string;
};
export type CreateFileChannelStoreReturnType = ChannelStore;

/**
 * A {@link ChannelStore} in a directory, one JSON file per channel. `set` is atomic and durable: it writes a
 * temporary file, fsyncs it, renames it over the record and fsyncs the directory, so after a crash (SIGKILL,
 * power loss) a record is either the old one or the new one, never torn. Temporary files a crash left behind are
 * removed on first use. A record that is not a channel record is an error, never read as "no channel". One live
 * process per directory.
 *
 * @param parameters - {@link CreateFileChannelStoreParameters}
 * @returns The store.
 *
 * @example
 * ```ts
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createChannelPayer } from "@x402kit/signer/batch-settlement";
 * import { createFileChannelStore } from "@x402kit/signer/batch-settlement/node";
 * const payer = createChannelPayer({
 *   signer: privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`),
 *   store: createFileChannelStore({ directory: ".x402-channels" }),
 * });
 * ```
 */
export function createFileChannelStore(parameters: CreateFileChannelStoreParameters): CreateFileChannelStoreReturnType {
  const { directory } = parameters;
  let ready: Promise<unknown> | undefined;
  const ensure = () => {
    ready ??= (async () => {
      await mkdir(directory, { recursive: true });
      // Only this process uses the directory: a temporary file is a write a crash interrupted before its rename.
      for (const name of await readdir(directory)) {
        if (/^0x[0-9a-f]{64}\.json\.[0-9a-f]{12}\.tmp$/.test(name)) await rm(join(directory, name), { force: true });
      }
    })();
    return ready;
  };
  const fileOf = (channelId: Hex) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(channelId)) {
      throw new InvalidChannelConfigError({ reason: `${channelId} is not a channel id (bytes32)` });
    }
    return join(directory, `${channelId.toLowerCase()}.json`);
  };
  const parse = (text: string, channelId: Hex): ChannelRecord => {
    const invalid = (message: string) =>
      new SchemaValidationError({ schema: `channel record ${channelId}`, issues: [{ path: "", message }] });
    let record: Partial<ChannelRecord> | null;
    try {
      record = JSON.parse(text) as Partial<ChannelRecord> | null;
    } catch {
      throw invalid("not JSON");
    }
    const uint = (value: unknown) => value === undefined || (typeof value === "string" && /^\d+$/.test(value));
    const salt = (value: unknown) =>
      value === undefined || (typeof value === "string" && /^0x[0-9a-fA-F]{64}$/.test(value));
    if (
      typeof record !== "object" ||
      record === null ||
      typeof record.signedMaxClaimable !== "string" ||
      !uint(record.signedMaxClaimable) ||
      !uint(record.chargedCumulativeAmount) ||
      !uint(record.balance) ||
      !salt(record.salt) ||
      !salt(record.successorSalt)
    ) {
      throw invalid("not a channel record");
    }
    return record as ChannelRecord;
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
      await ensure();
      let text: string;
      try {
        text = await readFile(fileOf(channelId), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      return parse(text, channelId);
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
