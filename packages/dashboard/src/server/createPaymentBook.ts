import type { FacilitatorEvent } from "@x402kit/facilitator";
import type { PaymentRow, PaymentState } from "../protocol/messages.js";

/** Parameters of {@link createPaymentBook}. */
export type CreatePaymentBookParameters = {
  /** Rows kept; the oldest go first. Default 2,000. */
  limit?: number | undefined;
};

/** The dashboard's payments, folded from facilitator events. */
export type PaymentBook = {
  /**
   * Applies one facilitator event.
   *
   * @returns The rows it created or changed (none for events that are not about a payment).
   */
  apply(event: FacilitatorEvent): PaymentRow[];
  /** Every row, oldest first. */
  rows(): PaymentRow[];
};

const RANK: Record<PaymentState, number> = { verified: 0, pending: 1, settled: 2, failed: 2 };

const keyOf = (payer: string | undefined, nonce: string | undefined): string | undefined =>
  payer && nonce ? `${payer.toLowerCase()}:${nonce.toLowerCase()}` : undefined;

/**
 * Creates the payment book: one row per payment, keyed by `payer:nonce`, so a `/verify`, the journal's state
 * changes and the `/settle` answer of the same authorization land on the same row. A final state (`settled`,
 * `failed`) is never moved back to `pending` by a late event; a journal row is trusted over a `/settle`
 * answer. A verification that fails is a `failed` row with its reason (it never reaches the journal).
 *
 * @param parameters - {@link CreatePaymentBookParameters}
 * @returns The book.
 */
export function createPaymentBook(parameters: CreatePaymentBookParameters = {}): PaymentBook {
  const limit = parameters.limit ?? 2_000;
  const rows = new Map<string, PaymentRow>();
  let anonymous = 0;

  const put = (id: string, next: PaymentRow): PaymentRow => {
    rows.delete(id); // re-insert: Map order is "last changed", which keeps eviction fair to live rows
    rows.set(id, next);
    while (rows.size > limit) {
      const oldest = rows.keys().next().value as string;
      rows.delete(oldest);
    }
    return next;
  };
  const may = (row: PaymentRow | undefined, state: PaymentState) =>
    !row || RANK[state] > RANK[row.state] || (RANK[state] === RANK[row.state] && state === row.state);

  return {
    apply(event) {
      switch (event.type) {
        case "verified": {
          const id = keyOf(event.payer, event.nonce) ?? `verify-${++anonymous}`;
          const row = rows.get(id);
          const state: PaymentState = event.isValid ? "verified" : "failed";
          if (row && !may(row, state)) return [];
          const base: PaymentRow = row ?? {
            id,
            at: event.at,
            updatedAt: event.at,
            network: event.network,
            scheme: event.scheme,
            payer: event.payer ?? "",
            payee: event.payTo,
            asset: event.asset,
            amount: event.amount,
            state,
          };
          return [
            put(id, {
              ...base,
              updatedAt: event.at,
              state,
              ...(event.isValid ? {} : { reason: event.reason, message: event.message }),
            }),
          ];
        }
        case "settlement": {
          const s = event.settlement;
          const id = keyOf(s.payer, s.nonce) ?? s.id;
          const row = rows.get(id);
          const state: PaymentState =
            s.status === "confirmed" ? "settled" : s.status === "failed" ? "failed" : "pending";
          if (row && (row.state === "settled" || row.state === "failed") && state === "pending") return [];
          const at = row?.at ?? Date.parse(s.createdAt);
          const transaction = /^0x[0-9a-fA-F]{64}$/.test(s.transaction) ? s.transaction : row?.transaction;
          return [
            put(id, {
              id,
              at,
              updatedAt: event.at,
              network: s.network,
              scheme: row?.scheme ?? "exact",
              payer: s.payer,
              payee: s.payTo,
              asset: s.asset,
              amount: s.amount,
              state,
              journalState: s.status,
              ...(s.errorReason ? { reason: s.errorReason } : {}),
              ...(s.errorMessage ? { message: s.errorMessage } : {}),
              ...(state === "settled" ? { latencyMs: Math.max(0, event.at - at) } : {}),
              ...(transaction ? { transaction } : {}),
              ...(s.blockNumber ? { blockNumber: s.blockNumber } : {}),
              ...(s.signer ? { signer: s.signer } : {}),
            }),
          ];
        }
        case "settleAnswered": {
          const id = keyOf(event.payer, event.nonce) ?? `settle-${++anonymous}`;
          const row = rows.get(id);
          if (row?.journalState) return []; // the journal's events say more, and say it first
          if (event.success || event.reason === "settlement_pending") return [];
          return [
            put(id, {
              id,
              at: row?.at ?? event.at,
              updatedAt: event.at,
              network: event.network,
              scheme: row?.scheme ?? "exact",
              payer: event.payer,
              payee: event.payTo,
              asset: event.asset,
              amount: event.amount,
              state: "failed",
              ...(event.reason ? { reason: event.reason } : {}),
              ...(event.message ? { message: event.message } : {}),
            }),
          ];
        }
        default:
          return [];
      }
    },
    rows: () => [...rows.values()].sort((a, b) => a.at - b.at),
  };
}
