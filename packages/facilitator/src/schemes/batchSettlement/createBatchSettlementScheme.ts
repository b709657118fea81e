/**
 * The `batch-settlement` scheme of this facilitator: payment channels on X402BatchSettlement, answered as
 * `@x402/evm` 2.27's batch-settlement facilitator answers (same reasons, same `extra`), with every on-chain write
 * journaled and sent once per idempotency key (`sendIntent.ts`).
 *
 * A voucher's life, file by file: `verifyDeposit.ts` (ERC-3009: `depositAuthorization.ts`; Permit2:
 * `depositPermit2.ts`) → `settleDeposit.ts` (funds the channel), `verifyVoucher.ts`
 * (each request), `settleClaim.ts` (many channels' vouchers in one `claimWithSignature`), `settleSweep.ts`
 * (`settle(receiver, token)`), `settleRefund.ts` (`refundWithSignature`, after claims when given).
 */
import type { Logger } from "pino";
import type { LocalAccount } from "viem";
import type { NetworkRuntime } from "../../chain/networkRuntime.js";
import type { BatchSettlementStore } from "../../domain/batchSettlementStore.js";
import type { Clock } from "../../domain/clock.js";
import { createIntentSender, type IntentSender, rebroadcastSubmitted } from "../shared/sendIntent.js";
import { type ChannelStateCache, createChannelStateCache } from "./channelStateCache.js";
import { batchSettlementReasons as R } from "./reasons.js";
import {
  ClaimPayload,
  DepositPayload,
  EnrichedRefundPayload,
  parseRequirements,
  RefundPayload,
  SettlePayload,
  VoucherPayload,
} from "./schemas.js";
import { settleClaim } from "./settleClaim.js";
import { settleDeposit } from "./settleDeposit.js";
import { settleRefund } from "./settleRefund.js";
import { settleSweep } from "./settleSweep.js";
import type { BatchSettlementSettleResponse, BatchSettlementVerifyResponse } from "./types.js";
import { verifyDeposit } from "./verifyDeposit.js";
import { verifyVoucher } from "./verifyVoucher.js";

export const BATCH_SETTLEMENT_SCHEME = "batch-settlement";

/** Options of the scheme (`CreateFacilitatorOptions.batchSettlement`). */
export type BatchSettlementOptions = {
  /**
   * The account that sends deposits, claims, sweeps and refunds. It must not be one of `privateKeys` (the engine's
   * signer lanes): one account, one writer (I4).
   */
  account: LocalAccount;
  /**
   * The receiver authorizer this facilitator offers: advertised as `extra.receiverAuthorizer` in `/supported` and
   * used to sign claims and refunds a server sends unsigned. Omit it when servers sign their own.
   */
  receiverAuthorizer?: LocalAccount;
};

export type BatchSettlementScheme = {
  verify(body: { paymentPayload: unknown; paymentRequirements: unknown }): Promise<BatchSettlementVerifyResponse>;
  settle(body: { paymentPayload: unknown; paymentRequirements: unknown }): Promise<BatchSettlementSettleResponse>;
  /** `/supported` kinds (one per network, with `extra.receiverAuthorizer` when one is configured). */
  kinds(): { x402Version: 2; scheme: string; network: string; extra?: Record<string, unknown> }[];
  /** Addresses that send this scheme's transactions. */
  signers(): string[];
  /** Rebroadcasts the signed bytes of writes journaled but maybe not sent before a restart. */
  start(): Promise<void>;
};

/**
 * Creates the scheme over the facilitator's networks and journal. `sender` sends as `options.account` (shared with
 * the Permit2 schemes when they use the same account: one lock per account); default: a sender of its own.
 */
export function createBatchSettlementScheme(parameters: {
  options: BatchSettlementOptions;
  networks: readonly NetworkRuntime[];
  store: BatchSettlementStore;
  clock: Clock;
  logger: Logger;
  settleTimeoutMs: number;
  /** Longest use of a learnt chain head by voucher verification (`blockPollIntervalMs`); default 100 ms. */
  headTtlMs?: number;
  sender?: IntentSender;
}): BatchSettlementScheme {
  const { options, networks, clock } = parameters;
  const authorizer = options.receiverAuthorizer;
  const sender =
    parameters.sender ??
    createIntentSender({
      account: options.account,
      store: parameters.store,
      settleTimeoutMs: parameters.settleTimeoutMs,
      logger: parameters.logger.child({ scheme: BATCH_SETTLEMENT_SCHEME }),
    });
  const byCaip2 = new Map<string, NetworkRuntime>(networks.map((n) => [n.caip2, n]));
  const channelStates = new Map<string, ChannelStateCache>(
    networks.map((n) => [
      n.caip2,
      createChannelStateCache({ client: n.client, headTtlMs: parameters.headTtlMs ?? 100 }),
    ]),
  );

  /** The checks the official facilitator makes before it looks at the payload's type. */
  const envelope = (body: { paymentPayload: unknown; paymentRequirements: unknown }) => {
    const payment = body.paymentPayload as {
      accepted?: { scheme?: unknown; network?: unknown };
      payload?: unknown;
      extensions?: unknown;
    };
    const requirements = parseRequirements(body);
    if (!requirements) return { refusal: R.payloadType } as const;
    if (payment.accepted?.scheme !== BATCH_SETTLEMENT_SCHEME || requirements.scheme !== BATCH_SETTLEMENT_SCHEME) {
      return { refusal: R.scheme } as const;
    }
    if (payment.accepted?.network !== requirements.network) return { refusal: R.networkMismatch } as const;
    const network = byCaip2.get(requirements.network);
    if (!network) return { refusal: R.networkMismatch } as const;
    return { requirements, network, raw: payment.payload, extensions: payment.extensions } as const;
  };

  /** Dispatches a settle by payload type. */
  const settleOnce = async (body: {
    paymentPayload: unknown;
    paymentRequirements: unknown;
  }): Promise<BatchSettlementSettleResponse> => {
    const checked = envelope(body);
    const fallbackNetwork = (body.paymentRequirements as { network?: unknown } | null)?.network;
    if ("refusal" in checked) {
      return {
        success: false,
        errorReason: checked.refusal,
        transaction: "",
        network: typeof fallbackNetwork === "string" ? fallbackNetwork : "",
      };
    }
    const { requirements, network, raw, extensions } = checked;
    const common = { client: network.client, chainId: network.chainId, network: network.caip2 };
    const type = (raw as { type?: unknown } | null)?.type;
    if (type === "deposit") {
      const payload = DepositPayload.safeParse(raw);
      if (payload.success) {
        return settleDeposit(sender, {
          ...common,
          payload: payload.data,
          requirements,
          sender: sender.account.address,
          walletFactories: network.walletFactories ?? new Set(),
          extensions,
          now: () => clock.now(),
        });
      }
    }
    if (type === "claim") {
      const payload = ClaimPayload.safeParse(raw);
      if (payload.success) return settleClaim(sender, { ...common, payload: payload.data, authorizer });
    }
    if (type === "refund") {
      const payload = EnrichedRefundPayload.safeParse(raw);
      if (payload.success) return settleRefund(sender, { ...common, payload: payload.data, authorizer });
    }
    if (type === "settle") {
      const payload = SettlePayload.safeParse(raw);
      if (payload.success) return settleSweep(sender, { ...common, payload: payload.data });
    }
    return { success: false, errorReason: R.payloadType, transaction: "", network: requirements.network };
  };

  return {
    async verify(body) {
      const checked = envelope(body);
      if ("refusal" in checked) return { isValid: false, invalidReason: checked.refusal };
      const { requirements, network, raw, extensions } = checked;
      const client = network.client;
      const type = (raw as { type?: unknown } | null)?.type;
      if (type === "deposit") {
        const payload = DepositPayload.safeParse(raw);
        if (payload.success) {
          return verifyDeposit({
            client,
            payload: payload.data,
            requirements,
            chainId: network.chainId,
            sender: sender.account.address,
            walletFactories: network.walletFactories ?? new Set(),
            extensions,
            now: () => clock.now(),
          });
        }
      }
      if (type === "voucher" || type === "refund") {
        const payload = (type === "voucher" ? VoucherPayload : RefundPayload).safeParse(raw);
        if (payload.success) {
          const channels = channelStates.get(network.caip2) as ChannelStateCache;
          return verifyVoucher(client, channels, payload.data, requirements, network.chainId);
        }
      }
      return { isValid: false, invalidReason: R.payloadType };
    },

    async settle(body) {
      const response = await settleOnce(body);
      // A write of this facilitator may have changed channels: vouchers are verified afresh from here on.
      const network = (body.paymentRequirements as { network?: unknown } | null)?.network;
      if (typeof network === "string") channelStates.get(network)?.invalidate();
      return response;
    },

    kinds() {
      return networks.map((n) => ({
        x402Version: 2 as const,
        scheme: BATCH_SETTLEMENT_SCHEME,
        network: n.caip2,
        ...(authorizer ? { extra: { receiverAuthorizer: authorizer.address } } : {}),
      }));
    },

    signers: () => [sender.account.address],

    async start() {
      await rebroadcastSubmitted(sender, (chainId) => networks.find((n) => n.chainId === chainId)?.client);
    },
  };
}
