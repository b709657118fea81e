/**
 * The dashboard's wire protocol: what the server sends over Server-Sent Events (`GET /api/events`) and the
 * transaction view (`GET /api/tx/:hash`). One zod schema per shape, with the inferred type of the same name;
 * the browser validates every message against them (with `zod/mini`, to keep the page small). Amounts and gas are decimal strings (JSON has no bigint).
 */
import { z } from "zod/mini";

const Hex = z.string().check(z.regex(/^0x[0-9a-fA-F]*$/));
const Hash = z.string().check(z.regex(/^0x[0-9a-fA-F]{64}$/));
const Address = z.string().check(z.regex(/^0x[0-9a-fA-F]{40}$/));
const Decimal = z.string().check(z.regex(/^\d+$/));

/** Where a payment stands: `verified` by `/verify`, `pending` in the journal, or final. */
export const PaymentState = z.enum(["verified", "pending", "settled", "failed"]);
export type PaymentState = z.infer<typeof PaymentState>;

/** One payment, from its first `/verify` to its final journal state. */
export const PaymentRow = z.object({
  /** `payer:nonce` (lower case) when the nonce is known, else an opaque id. */
  id: z.string().check(z.minLength(1)),
  /** First seen (Unix ms). */
  at: z.number(),
  updatedAt: z.number(),
  network: z.string(),
  scheme: z.string(),
  payer: z.string(),
  payee: z.string(),
  asset: z.string(),
  /** Atomic units, as required. */
  amount: z.string(),
  state: PaymentState,
  /** The journal state (`received`, `queued`, `submitted`, `unknown`, `confirmed`, `failed`), once journaled. */
  journalState: z.optional(z.string()),
  /** The wire reason code of a failure (or of a `settlement_pending` answer). */
  reason: z.optional(z.string()),
  message: z.optional(z.string()),
  /** First seen to settled, in ms. */
  latencyMs: z.optional(z.number()),
  transaction: z.optional(Hash),
  blockNumber: z.optional(Decimal),
  signer: z.optional(Address),
});
export type PaymentRow = z.infer<typeof PaymentRow>;

/** One mined settlement transaction of the facilitator. */
export const BatchRow = z.object({
  hash: Hash,
  at: z.number(),
  kind: z.enum(["direct", "batch"]),
  status: z.enum(["success", "reverted"]),
  /** Payments the facilitator put in it. */
  size: z.int().check(z.nonnegative()),
  gasUsed: Decimal,
  gasPerPayment: Decimal,
  /** Length of the transaction's input, in bytes. */
  calldataBytes: z.int().check(z.nonnegative()),
  blockNumber: Decimal,
  from: Address,
});
export type BatchRow = z.infer<typeof BatchRow>;

/** One signer of the facilitator. */
export const LaneRow = z.object({
  address: Address,
  /** The account's next nonce on chain (latest block). */
  nonce: z.int().check(z.nonnegative()),
  /** Its pending nonce minus its latest: transactions sent and not yet mined. */
  inFlight: z.int().check(z.nonnegative()),
  /** The hash of its newest transaction not yet final, from the journal. */
  inFlightTransaction: z.optional(Hash),
  /** Jobs waiting plus transactions not yet resolved (the lane's own count). */
  queueDepth: z.int().check(z.nonnegative()),
  /** ETH balance, wei. */
  gasBalance: Decimal,
});
export type LaneRow = z.infer<typeof LaneRow>;

/** Token and ETH balance of one watched account. */
export const BalanceRow = z.object({
  label: z.string(),
  address: Address,
  /** Token atomic units. */
  token: Decimal,
  /** Wei. */
  eth: Decimal,
});
export type BalanceRow = z.infer<typeof BalanceRow>;

/** One ERC-8004 feedback entry. */
export const FeedbackRow = z.object({
  client: Address,
  index: Decimal,
  value: z.string(),
  valueDecimals: z.int(),
  tag1: z.string(),
  tag2: z.string(),
  endpoint: z.string(),
  transaction: Hash,
});
export type FeedbackRow = z.infer<typeof FeedbackRow>;

/** An agent registered in the ERC-8004 Identity Registry. */
export const AgentRow = z.object({
  agentId: Decimal,
  owner: Address,
  wallet: z.optional(Address),
  agentURI: z.string(),
  /** The registration file ("card"), when its URI is a `data:` JSON URI. */
  card: z.optional(
    z.object({
      name: z.optional(z.string()),
      description: z.optional(z.string()),
      services: z.optional(z.array(z.object({ name: z.string(), endpoint: z.string() }))),
      x402Support: z.optional(z.boolean()),
    }),
  ),
  feedback: z.array(FeedbackRow),
  /** `getSummary(agentId, clients, "", "")`. */
  summary: z.object({ count: Decimal, value: z.string(), decimals: z.int() }),
});
export type AgentRow = z.infer<typeof AgentRow>;

/** What the dashboard shows about the chain and the token. */
export const ChainInfo = z.object({
  chainId: z.int(),
  network: z.string(),
  rpcUrl: z.string(),
  blockNumber: Decimal,
  token: z.object({ address: Address, symbol: z.string(), decimals: z.int() }),
  router: z.optional(Address),
  facilitatorUrl: z.optional(z.string()),
});
export type ChainInfo = z.infer<typeof ChainInfo>;

/** Everything at once: the first message of every stream, and `GET /api/snapshot`. */
export const DashboardSnapshot = z.object({
  chain: ChainInfo,
  payments: z.array(PaymentRow),
  batches: z.array(BatchRow),
  lanes: z.array(LaneRow),
  balances: z.array(BalanceRow),
  agents: z.array(AgentRow),
});
export type DashboardSnapshot = z.infer<typeof DashboardSnapshot>;

/** Changes since the last message: rows are upserts by key; lists that are present replace the old list. */
export const DashboardDelta = z.object({
  chain: z.optional(ChainInfo),
  payments: z.optional(z.array(PaymentRow)),
  batches: z.optional(z.array(BatchRow)),
  lanes: z.optional(z.array(LaneRow)),
  balances: z.optional(z.array(BalanceRow)),
  agents: z.optional(z.array(AgentRow)),
});
export type DashboardDelta = z.infer<typeof DashboardDelta>;

/** One decoded log of a transaction. */
export const DecodedLog = z.object({
  index: z.int(),
  address: Address,
  /** `Contract.Event`, or `unknown`. */
  name: z.string(),
  /** Arguments as strings. */
  args: z.record(z.string(), z.string()),
});
export type DecodedLog = z.infer<typeof DecodedLog>;

/** One authorization carried by a settlement transaction, with what the chain says happened to it. */
export const AuthorizationOutcome = z.object({
  index: z.int().check(z.nonnegative()),
  status: z.enum(["settled", "failed"]),
  from: Address,
  to: z.optional(Address),
  value: z.optional(Decimal),
  nonce: Hex,
  /** The router's `FailureReason` name, for a failed item. */
  reason: z.optional(z.string()),
});
export type AuthorizationOutcome = z.infer<typeof AuthorizationOutcome>;

/** `GET /api/tx/:hash`: a transaction read from the chain and decoded. */
export const TransactionView = z.object({
  hash: Hash,
  status: z.enum(["success", "reverted"]),
  blockNumber: Decimal,
  timestamp: z.int(),
  from: Address,
  to: z.nullable(Address),
  /** `router` (BatchSettlementRouter), `token` (a direct EIP-3009 call) or `other`. */
  target: z.enum(["router", "token", "other"]),
  /** The decoded call: `settle(batch, itemGasLimit)`, `transferWithAuthorization(...)`, …; absent if unknown. */
  call: z.optional(z.object({ functionName: z.string(), args: z.record(z.string(), z.string()) })),
  authorizations: z.array(AuthorizationOutcome),
  logs: z.array(DecodedLog),
  gas: z.object({
    used: Decimal,
    limit: Decimal,
    effectiveGasPrice: Decimal,
    /** gasUsed × effectiveGasPrice, wei. */
    fee: Decimal,
    perAuthorization: z.optional(Decimal),
  }),
  calldataBytes: z.int().check(z.nonnegative()),
});
export type TransactionView = z.infer<typeof TransactionView>;
