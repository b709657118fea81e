import { CUMULATIVE_AMOUNT_MISMATCH } from "../batch-settlement/constants.js";
import type { ChannelPayer, ChannelPayment } from "../batch-settlement/createChannelPayer.js";
import { createNonce } from "../eip3009/createNonce.js";
import type { TransferAuthorization } from "../eip3009/types.js";
import type { BaseError } from "../errors/base.js";
import { type ChannelStoreErrorType, DepositLimitExceededError } from "../errors/batchSettlement.js";
import {
  type InvalidPaymentRequiredErrorType,
  type InvalidPolicyErrorType,
  PaymentAlreadyAttemptedError,
  type PaymentAlreadyAttemptedErrorType,
  PaymentTransportError,
  type PaymentTransportErrorType,
} from "../errors/fetch.js";
import { PaymentRefusedError, type PaymentRefusedErrorType, type Rejection } from "../errors/payment.js";
import type { Eip2612NonceReadErrorType } from "../errors/permit2.js";
import type { AccountNotFoundErrorType } from "../errors/signer.js";
import { lockChannels } from "../internal/lockChannels.js";
import { mergeExtensions } from "../internal/mergeExtensions.js";
import { type NormalizedPolicy, normalizePolicy } from "../internal/normalizePolicy.js";
import {
  type BatchSettlementPaymentPayload,
  type Permit2PaymentPayload,
  paymentResults,
} from "../internal/paymentResults.js";
import { discardBody, readPaymentRequired } from "../internal/readPaymentRequired.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import { createPaymentPayload } from "../payload/createPaymentPayload.js";
import { selectPaymentRequirements } from "../payload/selectPaymentRequirements.js";
import type { PaymentOption } from "../payload/types.js";
import { readPermit2Allowance } from "../permit2/approval.js";
import { EIP2612_GAS_SPONSORING_KEY } from "../permit2/constants.js";
import {
  type ContractReader,
  createEip2612GasSponsoringExtension,
} from "../permit2/createEip2612GasSponsoringExtension.js";
import { createPermit2Payload } from "../permit2/createPermit2Payload.js";
import type { TypedDataSigner } from "../signer/types.js";
import { decodePaymentRequiredHeader } from "../wire/decodePaymentRequiredHeader.js";
import { decodePaymentResponseHeader } from "../wire/decodePaymentResponseHeader.js";
import { encodePaymentSignatureHeader } from "../wire/encodePaymentSignatureHeader.js";
import type { SettleResponse } from "../wire/facilitator.js";
import {
  PAYMENT_REQUIRED_HEADER,
  PAYMENT_RESPONSE_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  X_PAYMENT_HEADER,
  X_PAYMENT_RESPONSE_HEADER,
} from "../wire/headers.js";
import type { CustomV1Networks } from "../wire/networks.js";
import type { ExactEvmPaymentPayloadV1, ExactEvmPaymentPayloadV2 } from "../wire/paymentPayload.js";
import type { PaymentRequired } from "../wire/paymentRequired.js";
import type { PaymentRequirementsV2 } from "../wire/paymentRequirements.js";
import { createSpendLedger, type SpendLedger } from "./createSpendLedger.js";
import type { PaymentResult, PaymentStatus } from "./getPaymentResult.js";
import type { SpendingPolicy } from "./types.js";

/**
 * Without an asset's `maxDeposit`, a `batch-settlement` deposit is at most this many times its `maxAmountPerRequest`
 * (the official client's `depositMultiplier × maxAmountPerPayment`).
 */
export const DEFAULT_DEPOSIT_MULTIPLIER = 5;

/** Default number of times the paid request is re-sent, with the same authorization, after a transport failure. */
export const DEFAULT_MAX_RESENDS = 1;

export type WrapFetchWithPaymentParameters = {
  /** The payer: a viem account or a wallet client with an account. Never a raw key. */
  signer: TypedDataSigner;
  /** What may be paid. */
  policy: SpendingPolicy;
  /** Where spending is recorded for time-window budgets. Defaults to a new in-memory ledger. */
  ledger?: SpendLedger | undefined;
  /**
   * Re-sends of the paid request after a transport failure, each with the same authorization.
   * Defaults to {@link DEFAULT_MAX_RESENDS}.
   */
  maxResends?: number | undefined;
  /** Extra v1 network names, e.g. `{ localhost: 31337 }`. */
  customV1Networks?: CustomV1Networks | undefined;
  /**
   * Pays v2 `batch-settlement` requirements with this payer (`createChannelPayer` from
   * `@x402kit/signer/batch-settlement`; its `signer` should be this `signer`): the first payment opens the channel
   * with a deposit, later ones send vouchers. Without it those requirements are refused as `unsupported_scheme`.
   */
  channelPayer?: ChannelPayer | undefined;
  /**
   * Also pay through Permit2, for any ERC-20: `exact` with `extra.assetTransferMethod: "permit2"` and the `upto`
   * scheme (`@x402kit/signer/permit2` signs them as the official clients do). The policy counts an `upto` payment at
   * its maximum, the amount signed. The payer must have approved Permit2 for the token once
   * (`buildPermit2ApprovalTransaction`), or, for a token with EIP-2612 `permit`, pays gaslessly with
   * `eip2612GasSponsoring`. Default `false`: such requirements are refused as
   * `unsupported_transfer_method` / `unsupported_scheme`.
   */
  permit2?: boolean | undefined;
  /**
   * The gasless path for a payer that has not approved Permit2 (with `permit2: true`, for tokens with EIP-2612
   * `permit`). When a Permit2 requirement carries the token's `extra.name` and `extra.version`, the 402 declares the
   * `eip2612GasSponsoring` extension, and the payer's Permit2 allowance read with `client` is below the amount (for
   * `upto` the maximum), the payment also carries the payer's signed `permit(owner, Permit2, amount, nonce, deadline)`
   * in `extensions.eip2612GasSponsoring` (`createEip2612GasSponsoringExtension`, as the official clients do). The
   * facilitator spends it first, so the payer sends no approval transaction. An allowance that cannot be read counts
   * as short, as in the official clients. Otherwise payments are as without it.
   *
   * `client` reads the chain: a viem `PublicClient` (any `{ readContract }`) on the network paid, or a function from a
   * CAIP-2 network to one (`undefined`: no gasless path on that network).
   */
  eip2612GasSponsoring?:
    | { client: ContractReader | ((network: `eip155:${number}`) => ContractReader | undefined) }
    | undefined;
  /** Clock in unix milliseconds (for tests). Defaults to `Date.now`. */
  now?: (() => number) | undefined;
};

/** A `fetch` that pays x402 402 responses. */
export type FetchWithPayment = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export type WrapFetchWithPaymentReturnType = FetchWithPayment;
export type WrapFetchWithPaymentErrorType =
  | InvalidPolicyErrorType
  | InvalidPaymentRequiredErrorType
  | PaymentAlreadyAttemptedErrorType
  | PaymentRefusedErrorType
  | PaymentTransportErrorType
  | AccountNotFoundErrorType
  | ChannelStoreErrorType
  | Eip2612NonceReadErrorType;

/**
 * Wraps `fetch` so that x402 402 responses are paid within a spending policy, once.
 *
 * On a 402 it reads the requirements (v2 `PAYMENT-REQUIRED` header, or the v1 JSON body), picks the
 * first one the policy allows — allowed network, listed asset, allowed payee, within the
 * per-request cap and within every time-window budget — records the spend, signs an EIP-3009
 * authorization and retries the request once with it (`PAYMENT-SIGNATURE` for v2, `X-PAYMENT` for
 * v1). If nothing fits it throws {@link PaymentRefusedError} saying why for each requirement.
 *
 * If the paid request fails in transport, it is re-sent with the **same** authorization (never a
 * new one), so a lost response cannot make the agent pay twice, and the budget counts it once.
 * After `maxResends` it throws {@link PaymentTransportError} carrying the headers to re-send.
 *
 * Read the decoded settlement of a response with `getPaymentResult({ response })`.
 *
 * With a `channelPayer`, `batch-settlement` requirements are paid too: a deposit (ERC-3009 into the channel) with
 * the first voucher, then vouchers whose cumulative ceiling grows by each request's `amount`. The policy counts
 * each voucher's increment as spent (per-request cap, budgets); a deposit is funds committed to the payee's
 * channel, so it is kept within the asset's `maxDeposit` (default {@link DEFAULT_DEPOSIT_MULTIPLIER} ×
 * `maxAmountPerRequest`) and what every budget still allows — lowered to that, or refused with
 * `deposit_exceeds_limit` when the voucher needs more. The settle response's channel state is recorded in the payer's store. On the
 * receiver's corrective 402 (its charged total is not the voucher's base) the response is returned as is, and the
 * channel is re-synced from the receiver's proven state or retired so the next payment opens a new one
 * (`channelRecovery` in the payment result); no lower or repeated voucher is ever signed.
 *
 * With `permit2: true`, Permit2 requirements (`exact` with `extra.assetTransferMethod: "permit2"`, and `upto`, counted
 * at its maximum) are paid with a Permit2 witness transfer; with `eip2612GasSponsoring` a payer without a Permit2
 * allowance also sends its EIP-2612 `permit` of Permit2 when the 402 declares that extension.
 *
 * Budgets count an authorization from the moment it is signed, even if the server later refuses it:
 * a signed authorization can be settled by whoever holds it until `validBefore`.
 *
 * @param fetch - The `fetch` to wrap (e.g. `globalThis.fetch`).
 * @param parameters - {@link WrapFetchWithPaymentParameters}
 * @returns A `fetch` with the same signature.
 * @throws {InvalidPolicyError} At wrap time, when the policy is malformed.
 *
 * @example
 * ```ts
 * import { privateKeyToAccount } from "viem/accounts";
 * import { getPaymentResult, wrapFetchWithPayment } from "@x402kit/signer/fetch";
 * const pay = wrapFetchWithPayment(fetch, {
 *   signer: privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`),
 *   policy: {
 *     assets: [{ network: "eip155:8453", asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
 *       maxAmountPerRequest: 100_000n, budgets: [{ amount: 5_000_000n, windowSeconds: 86_400 }] }],
 *     payees: ["0x209693Bc6afc0C5328bA36FaF03C514EF312287C"],
 *   },
 * });
 * const response = await pay("https://api.example.com/report");
 * console.log(getPaymentResult({ response })?.settlement?.transaction);
 * ```
 */
export function wrapFetchWithPayment(
  fetch: typeof globalThis.fetch,
  parameters: WrapFetchWithPaymentParameters,
): WrapFetchWithPaymentReturnType {
  const policy = normalizePolicy(parameters.policy, parameters.customV1Networks);
  const ledger = parameters.ledger ?? createSpendLedger();
  const maxResends = Math.max(0, Math.floor(parameters.maxResends ?? DEFAULT_MAX_RESENDS));
  const now = parameters.now ?? Date.now;
  const signer = parameters.signer;

  return async function fetchWithPayment(input, init) {
    const request = new Request(input, init);
    const template = request.clone();
    const response = await fetch(request);
    if (response.status !== 402) return response;
    if (template.headers.has(PAYMENT_SIGNATURE_HEADER) || template.headers.has(X_PAYMENT_HEADER)) {
      await discardBody(response);
      throw new PaymentAlreadyAttemptedError({ url: request.url });
    }
    const paymentRequired = await readPaymentRequired(response, request.url);

    const from = resolveSigner(signer).address;
    const nonce = createNonce();
    const reservationId = `${from.toLowerCase()}:${nonce}`;
    const option = selectPaymentRequirements({
      paymentRequired,
      customV1Networks: parameters.customV1Networks,
      schemes: [
        "exact",
        ...(parameters.permit2 ? ["upto" as const] : []),
        ...(parameters.channelPayer ? ["batch-settlement" as const] : []),
      ],
      assetTransferMethods: parameters.permit2 ? ["eip3009", "permit2"] : undefined,
      check: (candidate) => checkOption(candidate, policy, ledger, reservationId, now()),
    });

    // Channel payments of one payer go one at a time, from signing to recording the answer, so the receiver gets
    // vouchers in order (it refuses a voucher whose base is not its charged total).
    const release =
      option.scheme === "batch-settlement" && parameters.channelPayer
        ? await lockChannels(parameters.channelPayer)
        : undefined;
    try {
      let paymentPayload:
        | ExactEvmPaymentPayloadV1
        | ExactEvmPaymentPayloadV2
        | BatchSettlementPaymentPayload
        | Permit2PaymentPayload;
      let authorization: TransferAuthorization | undefined;
      let channel: ChannelPayment | undefined;
      try {
        if (option.scheme === "batch-settlement" && parameters.channelPayer) {
          channel = await parameters.channelPayer.pay({
            requirements: option.requirements,
            maxDepositAmount: depositLimit(option, policy, ledger, now()),
            now: Math.floor(now() / 1000),
          });
          paymentPayload = toChannelPaymentPayload(
            paymentRequired,
            option.requirements as PaymentRequirementsV2,
            channel,
          );
        } else if (option.assetTransferMethod === "permit2") {
          const { payload } = await createPermit2Payload({
            signer,
            requirements: option.requirements,
            now: Math.floor(now() / 1000),
          });
          const extensions = await sponsorApproval({
            sponsoring: parameters.eip2612GasSponsoring,
            paymentRequired,
            option,
            signer,
            deadline: payload.permit2Authorization.deadline,
          });
          paymentPayload = toPermit2PaymentPayload(
            paymentRequired,
            option.requirements as PaymentRequirementsV2,
            payload,
            extensions,
          );
        } else {
          const payment = await createPaymentPayload({
            signer,
            paymentRequired,
            requirements: option.requirements,
            nonce,
            now: Math.floor(now() / 1000),
            customV1Networks: parameters.customV1Networks,
          });
          paymentPayload = payment.paymentPayload;
          authorization = payment.authorization;
        }
      } catch (error) {
        ledger.release(reservationId); // nothing was signed
        if (error instanceof DepositLimitExceededError) {
          throw new PaymentRefusedError({
            rejections: [{ index: option.index, reason: "deposit_exceeds_limit", message: error.shortMessage }],
          });
        }
        throw error;
      }

      const headerName = paymentPayload.x402Version === 2 ? PAYMENT_SIGNATURE_HEADER : X_PAYMENT_HEADER;
      const headers = { [headerName]: encodePaymentSignatureHeader({ paymentPayload }) };
      let resends = 0;
      let paidResponse: Response;
      for (;;) {
        const paid = template.clone();
        paid.headers.set(headerName, headers[headerName] as string);
        paid.headers.set("Access-Control-Expose-Headers", `${PAYMENT_RESPONSE_HEADER},${X_PAYMENT_RESPONSE_HEADER}`);
        try {
          paidResponse = await fetch(paid);
          break;
        } catch (cause) {
          if (paid.signal.aborted || resends >= maxResends) {
            throw new PaymentTransportError({ headers, attempts: resends + 1, cause });
          }
          resends += 1;
        }
      }

      const { settlement, settlementError } = readSettlement(paidResponse);
      let channelRecovery: PaymentResult["channelRecovery"];
      if (channel && parameters.channelPayer) {
        if (settlement?.success) {
          await parameters.channelPayer.recordSettlement(channelSettlement(channel, settlement));
        } else if (paidResponse.status === 402) {
          channelRecovery = await recoverChannel(parameters.channelPayer, option, channel, paidResponse);
        }
      }
      const result: PaymentResult = {
        status: statusOf(paidResponse, settlement),
        settlement,
        settlementError,
        paymentPayload,
        authorization,
        channel,
        channelRecovery,
        option,
        resends,
      };
      paymentResults.set(paidResponse, result);
      return paidResponse;
    } finally {
      release?.();
    }
  };
}

function checkOption(
  option: PaymentOption,
  policy: NormalizedPolicy,
  ledger: SpendLedger,
  reservationId: string,
  at: number,
): Omit<Rejection, "index"> | undefined {
  if (policy.networks && !policy.networks.has(option.network)) {
    return { reason: "network_not_allowed", message: `network ${option.network} is not allowed` };
  }
  const key = `${option.network}:${option.asset.toLowerCase()}`;
  const asset = policy.assets.get(key);
  if (!asset)
    return { reason: "asset_not_allowed", message: `asset ${option.asset} on ${option.network} is not allowed` };
  if (policy.payees && !policy.payees.has(option.payTo.toLowerCase())) {
    return { reason: "payee_not_allowed", message: `payee ${option.payTo} is not allowed` };
  }
  if (asset.maxAmountPerRequest !== undefined && option.amount > asset.maxAmountPerRequest) {
    return {
      reason: "amount_exceeds_limit",
      message: `amount ${option.amount} exceeds maxAmountPerRequest ${asset.maxAmountPerRequest}`,
    };
  }
  const exceeded = ledger.reserve({ id: reservationId, key, amount: option.amount, at }, asset.budgets ?? []);
  if (exceeded) {
    return {
      reason: "budget_exceeded",
      message: `amount ${option.amount} plus ${exceeded.spent} already spent exceeds the budget of ${exceeded.budget.amount} per ${exceeded.budget.windowSeconds}s`,
    };
  }
  return undefined;
}

/**
 * The largest deposit a `batch-settlement` payment may make: the asset's `maxDeposit` (by default
 * {@link DEFAULT_DEPOSIT_MULTIPLIER} × `maxAmountPerRequest`, as the official client's spend cap), and for each budget
 * what it still allows before this payment (the deposit covers this payment's increment, already reserved).
 */
function depositLimit(option: PaymentOption, policy: NormalizedPolicy, ledger: SpendLedger, at: number) {
  const key = `${option.network}:${option.asset.toLowerCase()}`;
  const asset = policy.assets.get(key);
  let limit =
    asset?.maxDeposit ??
    (asset?.maxAmountPerRequest === undefined
      ? undefined
      : BigInt(DEFAULT_DEPOSIT_MULTIPLIER) * asset.maxAmountPerRequest);
  for (const budget of asset?.budgets ?? []) {
    const before = ledger.spent(key, budget.windowSeconds, at) - option.amount;
    const left = budget.amount > before ? budget.amount - before : 0n;
    if (limit === undefined || left < limit) limit = left;
  }
  return limit;
}

/**
 * The `eip2612GasSponsoring` extension for a Permit2 payment, when the gasless path applies (see
 * `WrapFetchWithPaymentParameters.eip2612GasSponsoring`); `undefined` otherwise.
 */
async function sponsorApproval(parameters: {
  sponsoring: WrapFetchWithPaymentParameters["eip2612GasSponsoring"];
  paymentRequired: PaymentRequired;
  option: PaymentOption;
  signer: TypedDataSigner;
  deadline: string;
}): Promise<Record<string, unknown> | undefined> {
  const { sponsoring, paymentRequired, option, signer } = parameters;
  if (!sponsoring || paymentRequired.x402Version !== 2) return undefined;
  if (!paymentRequired.extensions?.[EIP2612_GAS_SPONSORING_KEY]) return undefined;
  const extra = (option.requirements as PaymentRequirementsV2).extra;
  if (!extra?.name || !extra.version) return undefined;
  const client = typeof sponsoring.client === "function" ? sponsoring.client(option.network) : sponsoring.client;
  if (!client) return undefined;
  const owner = resolveSigner(signer).address;
  try {
    const allowance = await readPermit2Allowance({ client, token: option.asset, owner });
    if (allowance >= option.amount) return undefined;
  } catch {
    // Unreadable counts as short, as in the official clients: the permit then covers the payment.
  }
  return createEip2612GasSponsoringExtension({
    signer,
    requirements: option.requirements,
    client,
    deadline: parameters.deadline,
  });
}

function toPermit2PaymentPayload(
  paymentRequired: PaymentRequired,
  accepted: PaymentRequirementsV2,
  payload: Permit2PaymentPayload["payload"],
  extensions: Record<string, unknown> | undefined,
): Permit2PaymentPayload {
  const paymentPayload: Permit2PaymentPayload = {
    x402Version: 2,
    resource: paymentRequired.x402Version === 2 ? paymentRequired.resource : undefined,
    accepted,
    payload,
  };
  const merged = mergeExtensions(
    paymentRequired.x402Version === 2 ? (paymentRequired.extensions ?? undefined) : undefined,
    extensions,
  );
  if (merged !== undefined) paymentPayload.extensions = merged;
  return paymentPayload;
}

function toChannelPaymentPayload(
  paymentRequired: PaymentRequired,
  accepted: PaymentRequirementsV2,
  channel: ChannelPayment,
): BatchSettlementPaymentPayload {
  const paymentPayload: BatchSettlementPaymentPayload = {
    x402Version: 2,
    resource: paymentRequired.x402Version === 2 ? paymentRequired.resource : undefined,
    accepted,
    payload: channel.payload,
  };
  if (paymentRequired.x402Version === 2 && paymentRequired.extensions != null) {
    paymentPayload.extensions = paymentRequired.extensions;
  }
  return paymentPayload;
}

/**
 * What a successful settle response says about the channel: the charged total (`extra.channelState`, as the official
 * server reports it; the voucher's ceiling when absent) and the balance (reported, or the confirmed deposit added).
 * A charged total above the voucher just sent is ignored.
 */
function channelSettlement(channel: ChannelPayment, settlement: SettleResponse) {
  const state = settlement.extra?.channelState;
  const field = (name: string) => {
    const value = state && typeof state === "object" ? (state as Record<string, unknown>)[name] : undefined;
    return typeof value === "string" && /^\d+$/.test(value) ? BigInt(value) : undefined;
  };
  const charged = field("chargedCumulativeAmount");
  const balance = field("balance");
  return {
    channelId: channel.channelId,
    chargedCumulativeAmount:
      charged !== undefined && charged <= channel.maxClaimableAmount ? charged : channel.maxClaimableAmount,
    ...(balance !== undefined ? { balance } : { deposited: channel.depositAmount }),
  };
}

/**
 * On the receiver's corrective 402 (`CUMULATIVE_AMOUNT_MISMATCH`), re-syncs the channel from the state it reports or
 * retires it (`ChannelPayer.resync`). Any other 402 changes nothing.
 */
async function recoverChannel(
  channelPayer: ChannelPayer,
  option: PaymentOption,
  channel: ChannelPayment,
  response: Response,
): Promise<PaymentResult["channelRecovery"]> {
  const value = response.headers.get(PAYMENT_REQUIRED_HEADER);
  if (!value) return undefined;
  let paymentRequired: PaymentRequired;
  try {
    paymentRequired = decodePaymentRequiredHeader({ value });
  } catch {
    return undefined;
  }
  if (paymentRequired.x402Version !== 2 || paymentRequired.error !== CUMULATIVE_AMOUNT_MISMATCH) return undefined;
  const sameChannel = (extra: unknown) => {
    const state = (extra as { channelState?: { channelId?: unknown } } | null | undefined)?.channelState;
    return typeof state?.channelId === "string" && state.channelId.toLowerCase() === channel.channelId.toLowerCase();
  };
  const accept = paymentRequired.accepts.find(
    (entry) => entry.scheme === "batch-settlement" && sameChannel(entry.extra),
  );
  const extra = accept?.extra as
    | {
        channelState?: { chargedCumulativeAmount?: unknown; balance?: unknown };
        voucherState?: { signedMaxClaimable?: unknown; signature?: unknown };
      }
    | undefined;
  const uint = (value: unknown) => (typeof value === "string" && /^\d+$/.test(value) ? value : undefined);
  const held = extra?.voucherState;
  return channelPayer.resync({
    requirements: option.requirements,
    channelId: channel.channelId,
    chargedCumulativeAmount: uint(extra?.channelState?.chargedCumulativeAmount),
    balance: uint(extra?.channelState?.balance),
    voucher:
      uint(held?.signedMaxClaimable) !== undefined && typeof held?.signature === "string"
        ? { maxClaimableAmount: held.signedMaxClaimable as string, signature: held.signature as `0x${string}` }
        : undefined,
  });
}

function readSettlement(response: Response): {
  settlement: SettleResponse | undefined;
  settlementError: BaseError | undefined;
} {
  for (const header of [PAYMENT_RESPONSE_HEADER, X_PAYMENT_RESPONSE_HEADER]) {
    const value = response.headers.get(header);
    if (!value) continue;
    try {
      return { settlement: decodePaymentResponseHeader({ value, header }), settlementError: undefined };
    } catch (error) {
      return { settlement: undefined, settlementError: error as BaseError };
    }
  }
  return { settlement: undefined, settlementError: undefined };
}

function statusOf(response: Response, settlement: SettleResponse | undefined): PaymentStatus {
  if (settlement) return settlement.success ? "settled" : "failed";
  return response.status === 402 ? "failed" : "unknown";
}
