import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SchemaValidationError } from "../../errors/wire.js";
import { createFileChannelStore } from "./createFileChannelStore.js";

const channelId = `0x${"ab".repeat(32)}` as const;

describe("createFileChannelStore", () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "x402kit-file-store-"));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test("default: records round-trip, one JSON file per channel, lower-case ids", async () => {
    const store = createFileChannelStore({ directory: join(directory, "a") });
    assert.equal(await store.get(channelId), undefined);
    await store.set(channelId, { signedMaxClaimable: "1000", balance: "5000" });
    await store.set(channelId, { signedMaxClaimable: "2000", balance: "5000" });
    assert.deepEqual(await store.get(channelId.toUpperCase().replace("0X", "0x") as `0x${string}`), {
      signedMaxClaimable: "2000",
      balance: "5000",
    });
    assert.deepEqual(await readdir(join(directory, "a")), [`${channelId}.json`]);
    await store.delete(channelId);
    assert.equal(await store.get(channelId), undefined);
  });

  test("behavior: temporary files a crash left behind are removed, the record kept", async () => {
    const dir = join(directory, "b");
    await createFileChannelStore({ directory: dir }).set(channelId, { signedMaxClaimable: "3000" });
    await writeFile(join(dir, `${channelId}.json.0123456789ab.tmp`), '{"signedMaxClaimable":"9');
    const restarted = createFileChannelStore({ directory: dir });
    assert.deepEqual(await restarted.get(channelId), { signedMaxClaimable: "3000" });
    assert.deepEqual(await readdir(dir), [`${channelId}.json`]);
  });

  test("behavior: a file that is not a channel record is an error, never read as no channel", async () => {
    const dir = join(directory, "c");
    const store = createFileChannelStore({ directory: dir });
    await store.set(channelId, { signedMaxClaimable: "1" });
    for (const text of ["", "{", "null", '{"signedMaxClaimable":-1}', '{"signedMaxClaimable":"1","salt":"0x1"}']) {
      await writeFile(join(dir, `${channelId}.json`), text);
      await assert.rejects(store.get(channelId), SchemaValidationError, text);
    }
    assert.ok((await readFile(join(dir, `${channelId}.json`), "utf8")).length > 0);
  });

  test("behavior: refuses an id that is not bytes32", async () => {
    const store = createFileChannelStore({ directory: join(directory, "d") });
    await assert.rejects(store.set("0x../../etc" as `0x${string}`, { signedMaxClaimable: "1" }), /not a channel id/);
  });
});
