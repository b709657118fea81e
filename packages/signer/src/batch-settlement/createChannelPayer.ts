import { type Hex, toHex } from "viem";
import {
  ChannelStoreError,
  type ChannelStoreErrorType,
  DepositLimitExceededError,
  type DepositLimitExceededErrorType,
  InvalidChannelConfigError,
  type InvalidChannelConfigErrorType,
  VoucherRegressionError,
  type VoucherRegressionErrorType,
} from "../errors/batchSettlement.js";
import type { SchemaValidationErrorType } from "../errors/wire.js";
import { parseWithSchema } from "../internal/parseWithSchema.js";
import { resolveSigner } from "../internal/resolveSigner.js";
import type { TypedDataSigner } from "../signer/types.js";
import { buildChannelConfig } from "./buildChannelConfig.js";
import type { ChannelRecord, ChannelStore } from "./channelStore.js";
import { computeChannelId } from "./computeChannelId.js";
import { createDepositPayload, defaultDepositAmount } from "./createDepositPayload.js";
import { createRefundPayload, createVoucherPayload } from "./createVoucherPayload.js";
import { BatchSettlementPaymentRequirements } from "./schemas.js";
import { toUint128 } from "./signVoucher.js";
import type {
  BatchSettlementDepositPayload,
  BatchSettlementRefundPayload,
  BatchSettlementVoucherPayload,
  ChannelConfig,
  Voucher,
} from "./types.js";
import { verifyVoucherSignature } from "./verifyVoucherSignature.js";

export type CreateChannelPayerParameters = {
  /** The payer. */
  signer: TypedDataSigner;
  /** A separate voucher key (the channels' `payerAuthorizer`), if any. */
  voucherSigner?: TypedDataSigner | undefined;
  /** Where cumulative amounts are kept; use the file store of `@x402kit/signer/batch-settlement/node` to survive crashes. */
  store: ChannelStore;
  /** The channels' salt (bytes32, zero by default like the official client). */
  salt?: Hex | undefined;
  /** Deposit multiplier when the server announces no `extra.minDeposit` (default 5, as the official client). */
  depositMultiplier?: number | undefined;
};

export type ChannelPayment = {
  channelId: Hex;
  channelConfig: ChannelConfig;
  payload: BatchSettlementDepositPayload | BatchSettlementVoucherPayload;
  /** The signed cumulative ceiling. */
  maxClaimableAmount: bigint;
  /** What this payment adds to the previous ceiling (the request's amount). */
  increment: bigint;
  /** The deposit made with it, if any. */
  depositAmount?: bigint | undefined;
};

export type ChannelPayer = {
  /**
   * Signs the next payment for a `batch-settlement` requirement: a deposit with the first voucher while the
   * channel has no (or too little) confirmed balance, a voucher otherwise. The new ceiling is durably recorded
   * before anything is signed.
   */
  pay(parameters: {
    requirements: unknown;
    depositAmount?: bigint | undefined;
    /**
     * Largest deposit this payment may make: a default deposit above it is lowered to it; when even the voucher needs
     * more (or `depositAmount` is above it) {@link DepositLimitExceededError} is thrown and nothing is signed.
     */
    maxDepositAmount?: bigint | undefined;
    depositSalt?: Hex | undefined;
    now?: number | bigint | undefined;
  }): Promise<ChannelPayment>;
  /**
   * Records what the receiver reported in its settle response: the charged total, the channel's balance, or a
   * deposit it confirmed (`deposited`, added to the recorded balance). Never lowers the signed ceiling.
   */
  recordSettlement(parameters: {
    channelId: Hex;
    chargedCumulativeAmount?: bigint | string | undefined;
    balance?: bigint | string | undefined;
    deposited?: bigint | string | undefined;
  }): Promise<void>;
  /**
   * A cooperative refund request, as the official client's `refund`: the voucher at the charged cumulative amount
   * (the receiver's latest, signed again — it grants nothing new), and `amount` to refund (all unclaimed otherwise).
   * The signed ceiling is unchanged.
   *
   * @throws {InvalidChannelConfigError} When the channel has no record.
   */
  refund(parameters: {
    requirements: unknown;
    amount?: bigint | undefined;
    /** The channel to refund (e.g. a retired one); defaults to the current channel for the requirement. */
    channelId?: Hex | undefined;
  }): Promise<{
    channelId: Hex;
    channelConfig: ChannelConfig;
    payload: BatchSettlementRefundPayload;
  }>;
  /** Records a refund the receiver settled: the balance drops to what was charged (or by `amount`). */
  recordRefund(parameters: { channelId: Hex; amount?: bigint | string | undefined }): Promise<void>;
  /**
   * Handles the receiver's corrective 402 (its charged total is not the base of the voucher sent). When the receiver
   * is ahead and proves it with a voucher of ours at or above its charged total, that total is adopted
   * (`"resynced"`); the next voucher is then above every one signed. Otherwise — the payer signed a voucher the
   * receiver never confirmed (a crash, a refused request), or gave no proof — the channel is retired and the next
   * payment opens a new one with a fresh salt (`"reopened"`), because the voucher the receiver expects would not be
   * above the recorded ceiling. Nothing is signed.
   */
  resync(parameters: {
    requirements: unknown;
    channelId: Hex;
    /** The receiver's charged total (`extra.channelState.chargedCumulativeAmount` of the corrective 402). */
    chargedCumulativeAmount?: bigint | string | undefined;
    /** The receiver's latest voucher (`extra.voucherState`: `signedMaxClaimable`, `signature`). */
    voucher?: Pick<Voucher, "maxClaimableAmount" | "signature"> | undefined;
    /** The channel's balance it reports (`extra.channelState.balance`), recorded when re-synced. */
    balance?: bigint | string | undefined;
  }): Promise<"resynced" | "reopened">;
  /** The record of a channel. */
  getChannel(channelId: Hex): Promise<ChannelRecord | undefined>;
};

export type CreateChannelPayerReturnType = ChannelPayer;
export type CreateChannelPayerErrorType =
  | SchemaValidationErrorType
  | VoucherRegressionErrorType
  | DepositLimitExceededErrorType
  | ChannelStoreErrorType
  | InvalidChannelConfigErrorType;

/**
 * A payer for `batch-settlement` channels that tracks cumulative amounts durably. Each voucher's ceiling is
 * `max(highest signed, charged) + amount`, written to the store before signing, so after a crash (even right after
 * signing) the next voucher is strictly higher than any voucher the process may have handed out. Calls are
 * serialised within the process; one store must not be shared by two live processes.
 *
 * If a signed voucher never reached the receiver, the next one is above what it expects; it answers with a
 * corrective 402, and `resync` retires the channel so the next payment opens a new one (the paying fetch does this).
 *
 * @param parameters - {@link CreateChannelPayerParameters}
 * @returns The payer.
 * @throws {SchemaValidationError} From `pay`/`refund`/`resync`, when the requirement is not `batch-settlement`.
 * @throws {VoucherRegressionError} From `pay`, when the new ceiling would not be above the recorded one.
 * @throws {DepositLimitExceededError} From `pay`, when the voucher needs a deposit above `maxDepositAmount`.
 * @throws {ChannelStoreError} When the store cannot read or durably write a record (nothing is signed then).
 *
 * @example
 * ```ts
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createChannelPayer, createMemoryChannelStore } from "@x402kit/signer/batch-settlement";
 * const payer = createChannelPayer({
 *   signer: privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`),
 *   store: createMemoryChannelStore(),
 * });
 * const { channelId, payload } = await payer.pay({ requirements }); // a deposit and the first voucher
 * // … send it; when the server's PAYMENT-RESPONSE confirms it:
 * await payer.recordSettlement({ channelId, chargedCumulativeAmount: BigInt(requirements.amount), deposited: 5n * BigInt(requirements.amount) });
 * ```
 */
export function createChannelPayer(parameters: CreateChannelPayerParameters): CreateChannelPayerReturnType {
  const { store } = parameters;
  const payer = resolveSigner(parameters.signer);
  const voucherSignerAddress = parameters.voucherSigner ? resolveSigner(parameters.voucherSigner).address : undefined;
  // One queue for the payer: a channel and its successors are read and written by one task at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serialise = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  const read = async (channelId: Hex) => {
    try {
      return await store.get(channelId);
    } catch (cause) {
      throw new ChannelStoreError({ operation: "read", channelId, cause });
    }
  };
  const write = async (channelId: Hex, record: ChannelRecord) => {
    try {
      await store.set(channelId, record);
    } catch (cause) {
      throw new ChannelStoreError({ operation: "write", channelId, cause });
    }
  };

  const parse = (raw: unknown) =>
    parseWithSchema(BatchSettlementPaymentRequirements, raw, "batch-settlement PaymentRequirements");
  const channelAt = (requirements: BatchSettlementPaymentRequirements, salt: Hex | undefined) => {
    const channelConfig = buildChannelConfig({
      payer: payer.address,
      requirements,
      voucherSigner: voucherSignerAddress,
      salt,
    });
    return { channelConfig, channelId: computeChannelId(channelConfig, requirements.network) };
  };
  /** The channel payments go to: the configured salt's, or the last successor of a retired one. Inside the queue. */
  const currentChannel = async (requirements: BatchSettlementPaymentRequirements) => {
    let channel = channelAt(requirements, parameters.salt);
    let record = await read(channel.channelId);
    for (let hops = 0; record?.successorSalt !== undefined; hops++) {
      if (hops >= 1_000) throw new InvalidChannelConfigError({ reason: "too many retired channels in a row" });
      channel = channelAt(requirements, record.successorSalt);
      record = await read(channel.channelId);
    }
    return { ...channel, record };
  };

  return {
    async pay({ requirements: raw, depositAmount, maxDepositAmount, depositSalt, now }) {
      const requirements = parse(raw);
      return serialise(async () => {
        const { channelConfig, channelId, record } = await currentChannel(requirements);
        const signed = BigInt(record?.signedMaxClaimable ?? "0");
        const charged = BigInt(record?.chargedCumulativeAmount ?? "0");
        const increment = toUint128(requirements.amount, "amount");
        const maxClaimableAmount = toUint128((signed > charged ? signed : charged) + increment, "maxClaimableAmount");
        if (maxClaimableAmount <= signed) {
          throw new VoucherRegressionError({ channelId, recorded: signed, requested: maxClaimableAmount });
        }
        const balance = BigInt(record?.balance ?? "0");
        let deposit =
          maxClaimableAmount > balance
            ? (depositAmount ??
              defaultDepositAmount({
                requestAmount: increment,
                needed: maxClaimableAmount - balance,
                extra: requirements.extra,
                depositMultiplier: parameters.depositMultiplier,
              }))
            : undefined;
        if (deposit !== undefined && maxDepositAmount !== undefined && deposit > maxDepositAmount) {
          // As the official client: a default deposit above the cap is lowered to it while it still covers the voucher.
          if (depositAmount !== undefined || maxClaimableAmount - balance > maxDepositAmount) {
            throw new DepositLimitExceededError({ channelId, depositAmount: deposit, limit: maxDepositAmount });
          }
          deposit = maxDepositAmount;
        }
        // Durable before signing: a crash from here on leaves a gap, never a repeated or lower voucher.
        await write(channelId, {
          ...record,
          signedMaxClaimable: maxClaimableAmount.toString(),
          salt: channelConfig.salt,
        });
        const { payload } =
          deposit === undefined
            ? await createVoucherPayload({
                signer: parameters.voucherSigner ?? parameters.signer,
                channelConfig,
                network: requirements.network,
                maxClaimableAmount,
              })
            : await createDepositPayload({
                signer: parameters.signer,
                voucherSigner: parameters.voucherSigner,
                requirements,
                channelConfig,
                depositAmount: deposit,
                maxClaimableAmount,
                depositSalt,
                now,
              });
        return { channelId, channelConfig, payload, maxClaimableAmount, increment, depositAmount: deposit };
      });
    },

    recordSettlement({ channelId, chargedCumulativeAmount, balance, deposited }) {
      return serialise(async () => {
        const record = await read(channelId);
        const signed = BigInt(record?.signedMaxClaimable ?? "0");
        const charged =
          chargedCumulativeAmount === undefined ? undefined : toUint128(chargedCumulativeAmount, "charged");
        const nextBalance =
          balance !== undefined
            ? toUint128(balance, "balance")
            : deposited !== undefined
              ? toUint128(BigInt(record?.balance ?? "0") + toUint128(deposited, "deposited"), "balance")
              : undefined;
        await write(channelId, {
          ...record,
          signedMaxClaimable: (charged !== undefined && charged > signed ? charged : signed).toString(),
          ...(charged !== undefined ? { chargedCumulativeAmount: charged.toString() } : {}),
          ...(nextBalance !== undefined ? { balance: nextBalance.toString() } : {}),
        });
      });
    },

    async refund({ requirements: raw, amount, channelId: wanted }) {
      const requirements = parse(raw);
      return serialise(async () => {
        const current = await currentChannel(requirements);
        const record = wanted === undefined ? current.record : await read(wanted);
        const channelId = wanted ?? current.channelId;
        if (!record) throw new InvalidChannelConfigError({ reason: `channel ${channelId} has no record to refund` });
        const { channelConfig } = channelAt(requirements, record.salt ?? parameters.salt);
        if (computeChannelId(channelConfig, requirements.network).toLowerCase() !== channelId.toLowerCase()) {
          throw new InvalidChannelConfigError({ reason: `channel ${channelId} is not this requirement's` });
        }
        const charged = BigInt(record.chargedCumulativeAmount ?? "0");
        if (amount !== undefined && toUint128(amount, "amount") === 0n) {
          throw new InvalidChannelConfigError({ reason: "the refund amount must be positive" });
        }
        const { payload } = await createRefundPayload({
          signer: parameters.voucherSigner ?? parameters.signer,
          channelConfig,
          network: requirements.network,
          maxClaimableAmount: charged,
          amount,
        });
        return { channelId, channelConfig, payload };
      });
    },

    recordRefund({ channelId, amount }) {
      return serialise(async () => {
        const record = await read(channelId);
        if (!record) return;
        const charged = BigInt(record.chargedCumulativeAmount ?? "0");
        const balance = BigInt(record.balance ?? "0");
        const refunded = amount === undefined ? balance - charged : toUint128(amount, "amount");
        const next = balance - refunded < charged ? charged : balance - refunded;
        // The record stays (never deleted): its signed ceiling keeps later vouchers above every one already given.
        await write(channelId, { ...record, balance: next.toString() });
      });
    },

    async resync({ requirements: raw, channelId, chargedCumulativeAmount, voucher, balance }) {
      const requirements = parse(raw);
      return serialise(async () => {
        const record = await read(channelId);
        const signed = BigInt(record?.signedMaxClaimable ?? "0");
        const charged =
          chargedCumulativeAmount === undefined ? undefined : toUint128(chargedCumulativeAmount, "charged");
        const salt = record?.salt ?? parameters.salt;
        const { channelConfig } = channelAt(requirements, salt);
        const ours = computeChannelId(channelConfig, requirements.network).toLowerCase() === channelId.toLowerCase();
        const proven =
          ours &&
          charged !== undefined &&
          voucher !== undefined &&
          /^\d+$/.test(voucher.maxClaimableAmount) &&
          BigInt(voucher.maxClaimableAmount) >= charged &&
          (await verifyVoucherSignature({
            voucher: { channelId, maxClaimableAmount: voucher.maxClaimableAmount, signature: voucher.signature },
            signer: channelConfig.payerAuthorizer,
            network: requirements.network,
          }));
        if (proven && charged !== undefined && charged >= signed) {
          const held = toUint128(voucher?.maxClaimableAmount ?? "0", "signedMaxClaimable");
          await write(channelId, {
            ...record,
            salt: channelConfig.salt,
            signedMaxClaimable: (held > signed ? held : signed).toString(),
            chargedCumulativeAmount: charged.toString(),
            ...(balance !== undefined ? { balance: toUint128(balance, "balance").toString() } : {}),
          });
          return "resynced";
        }
        if (!ours) throw new InvalidChannelConfigError({ reason: `channel ${channelId} is not this requirement's` });
        // Retire it: a fresh salt, durable before any payment uses it.
        await write(channelId, {
          ...record,
          signedMaxClaimable: signed.toString(),
          salt: channelConfig.salt,
          successorSalt: toHex(crypto.getRandomValues(new Uint8Array(32))),
        });
        return "reopened";
      });
    },

    getChannel: read,
  };
}
