import { FacilitatorError } from "../../domain/errors.js";

/**
 * Constructs of SQLite DDL that have no faithful Postgres reading: a migration using one fails the translation
 * (and the test that translates every migration) instead of giving Postgres a different schema.
 */
const refused: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /\bPRAGMA\b/i, why: "PRAGMA is SQLite-only" },
  { pattern: /\bAUTOINCREMENT\b/i, why: "AUTOINCREMENT: order rows by the implicit rowid instead" },
  { pattern: /\bWITHOUT\s+ROWID\b/i, why: "WITHOUT ROWID: the store orders rows by rowid" },
  { pattern: /\bINTEGER\s+PRIMARY\s+KEY\b/i, why: "INTEGER PRIMARY KEY aliases SQLite's rowid" },
  { pattern: /\b(?:datetime|strftime|julianday|unixepoch)\s*\(/i, why: "SQLite date functions" },
  { pattern: /\bINSERT\s+OR\b|\bREPLACE\s+INTO\b/i, why: "INSERT OR …: use ON CONFLICT" },
  { pattern: /\bANY\b/, why: "the ANY column type" },
  { pattern: /\bCREATE\s+(?:TEMP|TEMPORARY|VIRTUAL)\b/i, why: "temporary or virtual tables" },
  { pattern: /\bCREATE\s+TRIGGER\b/i, why: "triggers are written differently" },
];

/**
 * Translates one migration from the journal's schema language (SQLite DDL, as in `store/sqlite/migrations`: the
 * single source of the schema) to Postgres, by fixed rules:
 *
 * - `INTEGER` → `BIGINT` (SQLite integers are 64-bit; millisecond timestamps do not fit a Postgres `INTEGER`),
 *   `REAL` → `DOUBLE PRECISION`, `BLOB` → `BYTEA`; `TEXT` and `CHECK`, `DEFAULT`, `UNIQUE`, indexes as written;
 * - `STRICT` is dropped (Postgres columns are always typed);
 * - every `CREATE TABLE` gets `rowid BIGINT GENERATED ALWAYS AS IDENTITY` first: SQLite's implicit insertion order,
 *   which the store's `ORDER BY created_at, rowid` relies on, made explicit.
 *
 * @param sql - One migration's SQL.
 * @param name - The migration, for the error.
 * @returns The Postgres SQL.
 * @throws {FacilitatorError} When the migration uses a construct in {@link refused}.
 */
export function toPostgres(sql: string, name: string): string {
  const code = sql.replace(/--[^\n]*/g, "");
  for (const { pattern, why } of refused) {
    if (pattern.test(code)) throw new FacilitatorError(`Migration ${name} cannot be translated to Postgres: ${why}`);
  }
  return sql
    .replace(/\)\s*STRICT\s*;/gi, ");")
    .replace(/\bINTEGER\b/g, "BIGINT")
    .replace(/\bREAL\b/g, "DOUBLE PRECISION")
    .replace(/\bBLOB\b/g, "BYTEA")
    .replace(
      /(\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s*\()/gi,
      "$1\n  rowid BIGINT GENERATED ALWAYS AS IDENTITY,",
    );
}
