/**
 * `@x402kit/dashboard/protocol`: the zod schemas (and inferred types) of what the dashboard server sends:
 * the SSE snapshot and deltas, and the transaction view. Runs in Node.js and browsers.
 *
 * @packageDocumentation
 */

export {
  AgentRow,
  AuthorizationOutcome,
  BalanceRow,
  BatchRow,
  ChainInfo,
  DashboardDelta,
  DashboardSnapshot,
  DecodedLog,
  FeedbackRow,
  LaneRow,
  PaymentRow,
  PaymentState,
  TransactionView,
} from "./messages.js";
