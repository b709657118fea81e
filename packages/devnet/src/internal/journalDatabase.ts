import { startEmbeddedPostgres } from "@x402kit/hardhat-node/postgres";
import pg from "pg";
import { InvalidDevnetOptionError } from "../errors.js";

/**
 * Starts an embedded Postgres for the devnet's facilitators and creates their journal database; the server is
 * stopped (and its files removed) with the devnet's cleanups.
 *
 * @param cleanups - The devnet's cleanups (the server's stop is added).
 * @returns The journal database's URL.
 */
export async function startJournalDatabase(cleanups: (() => Promise<void> | void)[]): Promise<string> {
  const server = await startEmbeddedPostgres();
  cleanups.push(() => server.stop());
  return server.database("x402kit_devnet");
}

/**
 * Refuses a database that already holds a settlement journal: the devnet's chain is new on every start, so an old
 * journal's transactions and nonces belong to another chain.
 *
 * @param url - The database given as `databaseUrl`.
 * @throws {InvalidDevnetOptionError} When it holds a journal (or cannot be reached).
 */
export async function assertEmptyJournal(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('settlements') IS NOT NULL AS taken");
    if (rows[0]?.taken === true) {
      throw new InvalidDevnetOptionError({
        options: ["databaseUrl"],
        problems: ["databaseUrl: the database already holds a settlement journal; give an empty database"],
      });
    }
  } catch (error) {
    if (error instanceof InvalidDevnetOptionError) throw error;
    throw new InvalidDevnetOptionError({
      options: ["databaseUrl"],
      problems: [`databaseUrl: cannot reach the database (${error instanceof Error ? error.message : error})`],
    });
  } finally {
    await client.end().catch(() => {});
  }
}
