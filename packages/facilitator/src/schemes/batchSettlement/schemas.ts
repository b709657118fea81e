/**
 * Wire schemas of the `batch-settlement` payloads (`paymentPayload.payload`), as `@x402/evm` 2.27's client and
 * server scheme send them. Parsing is the trust boundary: the handlers only see values of these types.
 *
 * Parsing is by `type` and is as loose as the official facilitator's guards about extra keys, so a payload
 * the official facilitator accepts is accepted here; a payload that fails the schema of its `type` is answered
 * `invalid_batch_settlement_evm_payload_type`, as the official facilitator answers a payload its guards reject.
 */
import { z } from "zod";

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected an address");
const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 32 bytes");
const Bytes = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "expected hex bytes");
const Uint = z.string().regex(/^(0|[1-9][0-9]{0,77})$/, "expected a decimal integer string");

/** The channel's immutable terms; its EIP-712 hash is the channel id. */
export const ChannelConfig = z.looseObject({
  payer: Address,
  payerAuthorizer: Address,
  receiver: Address,
  receiverAuthorizer: Address,
  token: Address,
  withdrawDelay: z.number().int().nonnegative().max(0xff_ffff_ffff),
  salt: Bytes32,
});
export type ChannelConfig = z.infer<typeof ChannelConfig>;

/** A signed cumulative voucher: the payer allows the receiver to have claimed up to `maxClaimableAmount`. */
export const Voucher = z.looseObject({
  channelId: Bytes32,
  maxClaimableAmount: Uint,
  signature: Bytes,
});
export type Voucher = z.infer<typeof Voucher>;

/** ERC-3009 `receiveWithAuthorization` to the deposit collector; the nonce is derived from channel id and salt. */
export const Erc3009DepositAuthorization = z.looseObject({
  validAfter: Uint,
  validBefore: Uint,
  salt: Uint.or(z.string().regex(/^0x[0-9a-fA-F]{1,64}$/, "expected a uint256")),
  signature: Bytes,
});

/**
 * Permit2 `PermitWitnessTransferFrom` to the Permit2DepositCollector for the deposit amount, its witness the channel
 * id (`DepositWitness(bytes32 channelId)`), as the official client signs it.
 */
export const Permit2DepositAuthorization = z.looseObject({
  from: Address,
  permitted: z.looseObject({ token: Address, amount: Uint }),
  spender: Address,
  nonce: Uint,
  deadline: Uint,
  witness: z.looseObject({ channelId: Bytes32 }),
  signature: Bytes,
});
export type Permit2DepositAuthorization = z.infer<typeof Permit2DepositAuthorization>;

/** `type: "deposit"`: funds the channel and carries the first voucher. */
export const DepositPayload = z.looseObject({
  type: z.literal("deposit"),
  channelConfig: ChannelConfig,
  voucher: Voucher,
  deposit: z.looseObject({
    amount: Uint,
    authorization: z.looseObject({
      erc3009Authorization: Erc3009DepositAuthorization.optional(),
      permit2Authorization: Permit2DepositAuthorization.optional(),
    }),
  }),
});
export type DepositPayload = z.infer<typeof DepositPayload>;

/** `type: "voucher"`: a newer cumulative voucher on a funded channel. */
export const VoucherPayload = z.looseObject({
  type: z.literal("voucher"),
  channelConfig: ChannelConfig,
  voucher: Voucher,
});
export type VoucherPayload = z.infer<typeof VoucherPayload>;

/** One entry of `claimWithSignature`: a voucher and the receiver's new `totalClaimed` for its channel. */
export const VoucherClaim = z.looseObject({
  voucher: z.looseObject({ channel: ChannelConfig, maxClaimableAmount: Uint }),
  signature: Bytes,
  totalClaimed: Uint,
});
export type VoucherClaim = z.infer<typeof VoucherClaim>;

/** `type: "claim"` (settle only): claims many channels' vouchers in one `claimWithSignature`. */
export const ClaimPayload = z.looseObject({
  type: z.literal("claim"),
  claims: z.array(VoucherClaim).min(1),
  claimAuthorizerSignature: Bytes.optional(),
});
export type ClaimPayload = z.infer<typeof ClaimPayload>;

/** `type: "settle"` (settle only): sweeps a receiver's claimed balance of one token to it. */
export const SettlePayload = z.looseObject({
  type: z.literal("settle"),
  receiver: Address,
  token: Address,
});
export type SettlePayload = z.infer<typeof SettlePayload>;

/** `type: "refund"` as verified: a voucher on the channel to refund. */
export const RefundPayload = z.looseObject({
  type: z.literal("refund"),
  channelConfig: ChannelConfig,
  voucher: Voucher,
});
export type RefundPayload = z.infer<typeof RefundPayload>;

/** `type: "refund"` as settled: enriched by the server with the amount, the refund nonce and claims to land first. */
export const EnrichedRefundPayload = RefundPayload.extend({
  amount: Uint,
  refundNonce: Uint,
  claims: z.array(VoucherClaim),
  refundAuthorizerSignature: Bytes.optional(),
  claimAuthorizerSignature: Bytes.optional(),
});
export type EnrichedRefundPayload = z.infer<typeof EnrichedRefundPayload>;

/**
 * The requirement fields the HTTP layer's envelope parse ({@link BatchSettlementRequest}) does not read. Other keys
 * are dropped, not copied: the envelope keeps them.
 */
export const BatchSettlementTerms = z.object({
  amount: z.string().optional(),
  extra: z
    .looseObject({
      name: z.string().optional(),
      version: z.string().optional(),
      receiverAuthorizer: z.string().optional(),
      withdrawDelay: z.union([z.number(), z.string()]).optional(),
      assetTransferMethod: z.string().optional(),
    })
    .nullish(),
});

/** The requirement fields the scheme reads (`extra` carries the channel terms the server announced). */
export const BatchSettlementRequirements = z.looseObject({
  scheme: z.string(),
  network: z.string(),
  asset: z.string(),
  payTo: z.string(),
  ...BatchSettlementTerms.shape,
});
export type BatchSettlementRequirements = z.infer<typeof BatchSettlementRequirements>;

/**
 * A `/verify` or `/settle` body for `batch-settlement` (x402 v2). Looser than the `exact` bodies: the official
 * channel manager sends claim, settle and refund requests with `maxTimeoutSeconds: 0`. The scheme itself checks
 * the envelope (`scheme`, `network`), the requirements' terms and the payload.
 */
export const BatchSettlementRequest = z.looseObject({
  x402Version: z.number().int().optional(),
  paymentPayload: z.looseObject({
    x402Version: z.literal(2),
    accepted: z.looseObject({ scheme: z.string(), network: z.string() }),
    payload: z.unknown(),
  }),
  paymentRequirements: z.looseObject({
    scheme: z.literal("batch-settlement"),
    network: z.string(),
    asset: z.string(),
    payTo: z.string(),
  }),
});
export type BatchSettlementRequest = z.infer<typeof BatchSettlementRequest>;

/**
 * The bodies {@link parseBatchSettlementRequest} returned. A body reaches the scheme as the same object, so the
 * scheme knows which fields were parsed already; a caller cannot forge membership, so a body it builds itself is
 * parsed whole by the scheme.
 */
const parsedRequests = new WeakSet<object>();

/**
 * Parses a `batch-settlement` request body at the HTTP boundary and marks the result as parsed, so that the scheme
 * parses only what this did not (the requirements' terms, the payload): each field once on the hot path.
 *
 * @param json - The request body, decoded.
 * @returns zod's result; on success its `data` is marked.
 */
export function parseBatchSettlementRequest(json: unknown): z.ZodSafeParseResult<BatchSettlementRequest> {
  const result = BatchSettlementRequest.safeParse(json);
  if (result.success) parsedRequests.add(result.data);
  return result;
}

/**
 * The requirements of a `/verify` or `/settle` body, parsed: only their terms when the body came from
 * {@link parseBatchSettlementRequest} (the rest is parsed already), all of them otherwise.
 *
 * @param body - The body the scheme was given.
 * @returns The requirements, or `undefined` when they do not parse.
 */
export function parseRequirements(body: { paymentRequirements: unknown }): BatchSettlementRequirements | undefined {
  if (parsedRequests.has(body)) {
    const checked = (body as BatchSettlementRequest).paymentRequirements;
    const terms = BatchSettlementTerms.safeParse(checked);
    return terms.success ? { ...checked, ...terms.data } : undefined;
  }
  const parsed = BatchSettlementRequirements.safeParse(body.paymentRequirements);
  return parsed.success ? parsed.data : undefined;
}
