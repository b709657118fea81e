/**
 * Voucher checks straight at the facilitator under test. The official resource server checks a voucher itself when its
 * channel state is at hand, so in the paid run its facilitator sees deposits only; here the `/verify` bodies it sent
 * for the deposits are taken as templates (its exact requirements and channel configs), turned into `voucher` payloads
 * with distinct cumulative amounts within each channel's deposit, signed by the payer, and posted to `/verify`:
 * - a closed loop at fixed concurrency (the most the facilitator answers);
 * - an open loop at a fixed arrival rate (latency at that rate, with the arrivals spread over the channels): the
 *   target rate, or 80% of the closed loop's rate for a facilitator that answered fewer.
 * Every body is valid; any other answer is counted.
 */
import type { HTTPFacilitatorClient } from "@x402/core/server";
import type { Address, Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { cpuTimeMs } from "../cpu.js";
import { postJson } from "../http.js";
import { type Percentiles, percentiles, round } from "../stats.js";

/** One `/verify` body as the resource server sends it. */
type VerifyBody = { x402Version: number; paymentPayload: VoucherPaymentPayload; paymentRequirements: unknown };
type VoucherPaymentPayload = {
  payload: {
    type: string;
    channelConfig: { payer: Address };
    voucher: { channelId: Hex; maxClaimableAmount: string; signature: Hex };
  };
} & Record<string, unknown>;

/** What the facilitator answered at one load. */
export type VoucherVerifyMeasure = Percentiles & {
  /** Valid answers per second. */
  vouchersPerSecond: number;
  /** Answers other than `isValid: true`. */
  notValid: number;
  /** CPU of the facilitator process per answered voucher (Linux; `null` elsewhere). */
  facilitatorCpuMsPerVoucher: number | null;
};

export type VoucherVerifyResult = {
  /** Distinct signed vouchers posted (cycled). */
  vouchers: number;
  closedLoop: { concurrency: number } & VoucherVerifyMeasure;
  openLoop: { offeredPerSecond: number } & VoucherVerifyMeasure;
};

/** Records, per channel, the last deposit or voucher body the resource server sends its facilitator. */
export function recordVoucherBodies(client: HTTPFacilitatorClient): Map<Hex, VerifyBody> {
  const bodies = new Map<Hex, VerifyBody>();
  const verify = client.verify.bind(client);
  client.verify = async (paymentPayload, paymentRequirements) => {
    const payload = (paymentPayload as unknown as VoucherPaymentPayload).payload;
    if (payload?.type === "voucher" || payload?.type === "deposit") {
      bodies.set(payload.voucher.channelId, {
        x402Version: paymentPayload.x402Version,
        paymentPayload: paymentPayload as unknown as VoucherPaymentPayload,
        paymentRequirements,
      });
    }
    return verify(paymentPayload, paymentRequirements);
  };
  return bodies;
}

const voucherTypes = {
  Voucher: [
    { name: "channelId", type: "bytes32" },
    { name: "maxClaimableAmount", type: "uint128" },
  ],
} as const;

/** Signs `perChannel` vouchers on each template's channel, cumulative amounts `price × 1 … price × perChannel`. */
async function signVouchers(parameters: {
  templates: readonly VerifyBody[];
  payers: readonly PrivateKeyAccount[];
  chainId: number;
  verifyingContract: Address;
  price: bigint;
  perChannel: number;
}): Promise<VerifyBody[]> {
  const byAddress = new Map(parameters.payers.map((p) => [p.address.toLowerCase(), p]));
  const domain = {
    name: "x402 Batch Settlement",
    version: "1",
    chainId: parameters.chainId,
    verifyingContract: parameters.verifyingContract,
  } as const;
  const bodies: VerifyBody[] = [];
  for (let j = 1; j <= parameters.perChannel; j++) {
    for (const template of parameters.templates) {
      const { payload } = template.paymentPayload;
      const payer = byAddress.get(payload.channelConfig.payer.toLowerCase());
      if (!payer) throw new Error(`no key for payer ${payload.channelConfig.payer}`);
      const maxClaimableAmount = parameters.price * BigInt(j);
      const signature = await payer.signTypedData({
        domain,
        types: voucherTypes,
        primaryType: "Voucher",
        message: { channelId: payload.voucher.channelId, maxClaimableAmount },
      });
      bodies.push({
        ...template,
        paymentPayload: {
          ...template.paymentPayload,
          payload: {
            type: "voucher",
            channelConfig: payload.channelConfig,
            voucher: {
              channelId: payload.voucher.channelId,
              maxClaimableAmount: maxClaimableAmount.toString(),
              signature,
            },
          },
        },
      });
    }
  }
  return bodies;
}

function measure(latencies: number[], notValid: number, seconds: number, cpuBefore: number | null, pid?: number) {
  const cpuAfter = cpuTimeMs(pid);
  return {
    vouchersPerSecond: round(latencies.length / seconds, 1),
    notValid,
    facilitatorCpuMsPerVoucher:
      cpuBefore === null || cpuAfter === null || latencies.length === 0
        ? null
        : round((cpuAfter - cpuBefore) / latencies.length, 3),
    ...percentiles(latencies),
  };
}

/** Closed loop: `concurrency` clients, each posting its next voucher when the last one is answered. */
async function closedLoop(url: string, bodies: readonly VerifyBody[], o: LoopOptions) {
  const latencies: number[] = [];
  let notValid = 0;
  let next = 0;
  const cpuBefore = cpuTimeMs(o.pid);
  const started = performance.now();
  const deadline = started + o.durationMs;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (performance.now() < deadline && latencies.length + notValid < o.maxRequests) {
        const answer = await postJson(url, bodies[next++ % bodies.length], o.timeoutMs);
        if (answer.body?.isValid === true) latencies.push(answer.ms);
        else notValid++;
      }
    }),
  );
  return measure(latencies, notValid, (performance.now() - started) / 1000, cpuBefore, o.pid);
}

/** Open loop: `ratePerSecond` arrivals, sent in 5 ms ticks whatever the answers, for `durationMs`. */
async function openLoop(url: string, bodies: readonly VerifyBody[], ratePerSecond: number, o: LoopOptions) {
  const latencies: number[] = [];
  let notValid = 0;
  let next = 0;
  const inFlight: Promise<void>[] = [];
  const cpuBefore = cpuTimeMs(o.pid);
  const started = performance.now();
  const total = Math.min(o.maxRequests, Math.round((ratePerSecond * o.durationMs) / 1000));
  while (next < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * ratePerSecond) / 1000));
    for (; next < due; next++) {
      inFlight.push(
        postJson(url, bodies[next % bodies.length], o.timeoutMs).then((answer) => {
          if (answer.body?.isValid === true) latencies.push(answer.ms);
          else notValid++;
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  return measure(latencies, notValid, (performance.now() - started) / 1000, cpuBefore, o.pid);
}

type LoopOptions = { concurrency: number; durationMs: number; maxRequests: number; timeoutMs: number; pid?: number };

/**
 * Measures `/verify` of vouchers at `facilitatorUrl`: a warm-up, the closed loop, then the open loop.
 *
 * @returns `undefined` when no voucher body was recorded (nothing to replay).
 */
export async function benchVoucherVerify(parameters: {
  facilitatorUrl: string;
  facilitatorPid: number | undefined;
  templates: readonly VerifyBody[];
  payers: readonly PrivateKeyAccount[];
  chainId: number;
  verifyingContract: Address;
  price: bigint;
  paymentsPerChannel: number;
  concurrency: number;
  offeredPerSecond: number;
  durationMs: number;
  timeoutMs: number;
}): Promise<VoucherVerifyResult | undefined> {
  if (parameters.templates.length === 0) return undefined;
  const perChannel = Math.max(
    1,
    Math.min(parameters.paymentsPerChannel, Math.ceil(2_000 / parameters.templates.length)),
  );
  const bodies = await signVouchers({ ...parameters, perChannel });
  const url = `${parameters.facilitatorUrl}/verify`;
  const base = { timeoutMs: parameters.timeoutMs, pid: parameters.facilitatorPid };
  await closedLoop(url, bodies, { ...base, concurrency: 8, durationMs: 1_000, maxRequests: 500 });
  const maxRequests = 100_000;
  const closed = await closedLoop(url, bodies, {
    ...base,
    concurrency: parameters.concurrency,
    durationMs: parameters.durationMs,
    maxRequests,
  });
  // A facilitator that answers fewer than the target rate is offered 80% of what it answered in the closed loop, not a
  // queue that only grows.
  const offered =
    closed.vouchersPerSecond >= parameters.offeredPerSecond
      ? parameters.offeredPerSecond
      : Math.max(1, Math.floor(closed.vouchersPerSecond * 0.8));
  const open = await openLoop(url, bodies, offered, {
    ...base,
    concurrency: 0,
    durationMs: parameters.durationMs,
    maxRequests,
  });
  return {
    vouchers: bodies.length,
    closedLoop: { concurrency: parameters.concurrency, ...closed },
    openLoop: { offeredPerSecond: offered, ...open },
  };
}
