/** The facilitator suites' Postgres: a throw-away embedded server per test file (`@x402kit/hardhat-node/postgres`). */
export {
  type EmbeddedPostgresServer as TestPostgres,
  startEmbeddedPostgres as startPostgres,
} from "@x402kit/hardhat-node/postgres";
