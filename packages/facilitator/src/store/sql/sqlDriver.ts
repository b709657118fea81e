/** A value bound to a named parameter (`:name`) of a statement. */
export type SqlValue = string | number | null;
/** Named parameters of a statement: `:name` in the SQL, `name` here. */
export type SqlParams = Readonly<Record<string, SqlValue>>;
/** A result row, by column name. Postgres returns BIGINT columns as strings: read them with `Number`/`BigInt`. */
export type SqlRow = Record<string, unknown>;

/** Runs statements (outside a transaction: each one alone; inside: on the transaction's connection). */
export interface SqlExecutor {
  /** Every row of a query. */
  all(sql: string, params?: SqlParams): Promise<SqlRow[]>;
  /** The first row of a query, if any. */
  get(sql: string, params?: SqlParams): Promise<SqlRow | undefined>;
  /** Runs a write; resolves with the number of rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
}

/**
 * What `createSqlStore` needs of a database: one SQL text for both dialects (SQLite's, which Postgres reads too
 * for the statements the store uses), named parameters, and transactions.
 */
export interface SqlDriver extends SqlExecutor {
  readonly dialect: "sqlite" | "postgres";
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Nothing else of this
   * driver runs inside it. `work` must only use `tx` (never a chain call: a transaction is never held open across
   * the network).
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
