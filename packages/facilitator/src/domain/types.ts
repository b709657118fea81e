import type { Address, Hex } from "viem";
import type { Reason, X402Version } from "./reasons.js";

/** An EIP-3009 `TransferWithAuthorization` message, with numbers as bigints. */
export type Authorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

/**
 * One `exact` EIP-3009 payment as the engine sees it, whatever the x402 version it arrived in.
 * Built from a wire request by `http/` (v1 or v2); fields the checks compare are kept side by side.
 */
export type PaymentRequest = {
  /** `paymentPayload.x402Version`: the version the answer is rendered in. */
  x402Version: X402Version;
  /** Scheme named by the payload (`payload.scheme` in v1, `payload.accepted.scheme` in v2). */
  payloadScheme: string;
  /** Network named by the payload, in the request's own form (v1 name or CAIP-2). */
  payloadNetwork: string;
  /** Scheme of the matched requirements. */
  scheme: string;
  /** Network of the matched requirements, in the request's own form. This is echoed in answers. */
  network: string;
  /** Required amount in atomic units (`amount` in v2, `maxAmountRequired` in v1), as sent. */
  amount: string;
  /** ERC-20 asset address, as sent. */
  asset: string;
  /** Payee address, as sent. */
  payTo: string;
  /** EIP-712 domain name and version from `requirements.extra`, when present. */
  extra: { name?: unknown; version?: unknown } | undefined;
  /** The scheme payload, still untrusted: `{ signature, authorization }`. */
  payload: unknown;
};

/** A payment that passed the shape checks: addresses, numbers and chain resolved. */
export type ExactPayment = {
  x402Version: X402Version;
  /** Network string as the request spelled it (echoed back). */
  network: string;
  /** CAIP-2 form of the network. */
  caip2: `eip155:${number}`;
  chainId: number;
  asset: Address;
  payTo: Address;
  amount: bigint;
  /** EIP-712 domain of the token. */
  domain: { name: string; version: string };
  authorization: Authorization;
  signature: Hex;
};

/** Idempotency key of a settlement: exactly what the token enforces. */
export type SettlementKey = {
  chainId: number;
  asset: Address;
  from: Address;
  nonce: Hex;
};

/**
 * Journal states.
 * - `received`: persisted, nothing sent.
 * - `queued`: handed to a signer lane or a batch; nothing sent.
 * - `submitted`: a signed transaction carrying it is persisted (hash, raw bytes, signer, nonce) and was
 *   or is about to be broadcast.
 * - `unknown`: its broadcast or receipt could not be established (RPC fault); resolved by reconciliation.
 * - `confirmed`: a mined receipt shows the transfer. Terminal.
 * - `failed`: it can no longer be settled by us (invalid, expired, reverted, or its nonce was used by a
 *   transaction that did not pay it). Terminal.
 */
export type SettlementState = "received" | "queued" | "submitted" | "unknown" | "confirmed" | "failed";

/** One row of the settlement journal. */
export type SettlementRecord = {
  /** Opaque id (used by `GET /settlements/:id`). */
  id: string;
  key: SettlementKey;
  /** Hash of the authorization and signature: same key + different fingerprint is refused. */
  fingerprint: Hex;
  state: SettlementState;
  x402Version: X402Version;
  payTo: Address;
  amount: bigint;
  validBefore: bigint;
  /** The payment as received, enough to rebuild the transaction after a restart. */
  payment: ExactPayment;
  /** Signer and account nonce of the transaction slot carrying it, once submitted. */
  signer: Address | undefined;
  signerNonce: number | undefined;
  /** Position in a batch transaction (batched mode). */
  batchIndex: number | undefined;
  /** Hash of the latest (or the mined) transaction carrying it. */
  txHash: Hex | undefined;
  blockNumber: bigint | undefined;
  reason: Reason | undefined;
  message: string | undefined;
  createdAt: number;
  updatedAt: number;
};

/** A signed transaction as persisted before broadcast. */
export type TxAttempt = {
  chainId: number;
  signer: Address;
  nonce: number;
  hash: Hex;
  /** The signed serialized transaction: re-sending exactly these bytes is always safe. */
  raw: Hex;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** `direct` (one payment) or `batch` (router call). */
  kind: "direct" | "batch";
  createdAt: number;
};

/** What a settle answers. `pending` is not a failure: ask again later. */
export type SettleOutcome =
  /** `id` is absent when another party's transaction settled this exact authorization (not journaled). */
  | { status: "confirmed"; payer: Address; txHash: Hex; blockNumber: bigint | undefined; id?: string }
  | {
      status: "failed";
      payer: Address;
      reason: Reason;
      message: string | undefined;
      txHash: Hex | undefined;
      id?: string;
    }
  | { status: "pending"; payer: Address; txHash: Hex | undefined; id: string };

/** What a verify answers. */
export type VerifyOutcome =
  | { isValid: true; payer: Address }
  | { isValid: false; payer: Address | undefined; reason: Reason; message: string };
