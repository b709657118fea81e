/**
 * The dashboard's wire protocol: what the server sends over Server-Sent Events (`GET /api/events`) and the
 * transaction view (`GET /api/tx/:hash`). One zod schema per shape, with the inferred type of the same name;
 * the browser validates every message against them. Amounts and gas are decimal strings (JSON has no bigint).
 */
import { z } from "zod";

const Hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const Hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Decimal = z.string().regex(/^\d+$/);

/** Where a payment stands: `verified` by `/verify`, `pending` in the journal, or final. */
export const PaymentState = z.enum(["verified", "pending", "settled", "failed"]);
export type PaymentState = z.infer<typeof PaymentState>;

/** One payment, from its first `/verify` to its final journal state. */
export const PaymentRow = z.object({
  /** `payer:nonce` (lower case) when the nonce is known, else an opaque id. */
  id: z.string().min(1),
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
  journalState: z.string().optional(),
  /** The wire reason code of a failure (or of a `settlement_pending` answer). */
  reason: z.string().optional(),
  message: z.string().optional(),
  /** First seen to settled, in ms. */
  latencyMs: z.number().optional(),
  transaction: Hash.optional(),
  blockNumber: Decimal.optional(),
  signer: Address.optional(),
});
export type PaymentRow = z.infer<typeof PaymentRow>;

/** One mined settlement transaction of the facilitator. */
export const BatchRow = z.object({
  hash: Hash,
  at: z.number(),
  kind: z.enum(["direct", "batch"]),
  status: z.enum(["success", "reverted"]),
  /** Payments the facilitator put in it. */
  size: z.number().int().nonnegative(),
  gasUsed: Decimal,
  gasPerPayment: Decimal,
  /** Length of the transaction's input, in bytes. */
  calldataBytes: z.number().int().nonnegative(),
  blockNumber: Decimal,
  from: Address,
});
export type BatchRow = z.infer<typeof BatchRow>;

/** One signer of the facilitator. */
export const LaneRow = z.object({
  address: Address,
  /** The account's next nonce on chain (latest block). */
  nonce: z.number().int().nonnegative(),
  /** Its pending nonce minus its latest: transactions sent and not yet mined. */
  inFlight: z.number().int().nonnegative(),
  /** The hash of its newest transaction not yet final, from the journal. */
  inFlightTransaction: Hash.optional(),
  /** Jobs waiting plus transactions not yet resolved (the lane's own count). */
  queueDepth: z.number().int().nonnegative(),
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
  valueDecimals: z.number().int(),
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
  wallet: Address.optional(),
  agentURI: z.string(),
  /** The registration file ("card"), when its URI is a `data:` JSON URI. */
  card: z
    .object({
      name: z.string().optional(),
      description: z.string().optional(),
      services: z.array(z.object({ name: z.string(), endpoint: z.string() })).optional(),
      x402Support: z.boolean().optional(),
    })
    .optional(),
  feedback: z.array(FeedbackRow),
  /** `getSummary(agentId, clients, "", "")`. */
  summary: z.object({ count: Decimal, value: z.string(), decimals: z.number().int() }),
});
export type AgentRow = z.infer<typeof AgentRow>;

/** What the dashboard shows about the chain and the token. */
export const ChainInfo = z.object({
  chainId: z.number().int(),
  network: z.string(),
  rpcUrl: z.string(),
  blockNumber: Decimal,
  token: z.object({ address: Address, symbol: z.string(), decimals: z.number().int() }),
  router: Address.optional(),
  facilitatorUrl: z.string().optional(),
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
  chain: ChainInfo.optional(),
  payments: z.array(PaymentRow).optional(),
  batches: z.array(BatchRow).optional(),
  lanes: z.array(LaneRow).optional(),
  balances: z.array(BalanceRow).optional(),
  agents: z.array(AgentRow).optional(),
});
export type DashboardDelta = z.infer<typeof DashboardDelta>;

/** One decoded log of a transaction. */
export const DecodedLog = z.object({
  index: z.number().int(),
  address: Address,
  /** `Contract.Event`, or `unknown`. */
  name: z.string(),
  /** Arguments as strings. */
  args: z.record(z.string(), z.string()),
});
export type DecodedLog = z.infer<typeof DecodedLog>;

/** One authorization carried by a settlement transaction, with what the chain says happened to it. */
export const AuthorizationOutcome = z.object({
  index: z.number().int().nonnegative(),
  status: z.enum(["settled", "failed"]),
  from: Address,
  to: Address.optional(),
  value: Decimal.optional(),
  nonce: Hex,
  /** The router's `FailureReason` name, for a failed item. */
  reason: z.string().optional(),
});
export type AuthorizationOutcome = z.infer<typeof AuthorizationOutcome>;

/** `GET /api/tx/:hash`: a transaction read from the chain and decoded. */
export const TransactionView = z.object({
  hash: Hash,
  status: z.enum(["success", "reverted"]),
  blockNumber: Decimal,
  timestamp: z.number().int(),
  from: Address,
  to: Address.nullable(),
  /** `router` (BatchSettlementRouter), `token` (a direct EIP-3009 call) or `other`. */
  target: z.enum(["router", "token", "other"]),
  /** The decoded call: `settle(batch, itemGasLimit)`, `transferWithAuthorization(...)`, …; absent if unknown. */
  call: z.object({ functionName: z.string(), args: z.record(z.string(), z.string()) }).optional(),
  authorizations: z.array(AuthorizationOutcome),
  logs: z.array(DecodedLog),
  gas: z.object({
    used: Decimal,
    limit: Decimal,
    effectiveGasPrice: Decimal,
    /** gasUsed × effectiveGasPrice, wei. */
    fee: Decimal,
    perAuthorization: Decimal.optional(),
  }),
  calldataBytes: z.number().int().nonnegative(),
});
export type TransactionView = z.infer<typeof TransactionView>;
