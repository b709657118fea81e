/**
 * One `batch-settlement` run: `channels` payers each open one channel (an ERC-3009 deposit through the collector), one
 * after another or all at once, and pay `payments` requests over it with vouchers, all channels at once, through an official `@x402/hono` resource
 * server (official server scheme, in-memory channels) whose facilitator is the one under test; then the server's
 * channel manager claims every channel's latest voucher (one `claimWithSignature` per 100 channels) and sweeps to the
 * payee. Gas is read from the receipts; the payee's balance change is checked against the sum paid.
 */

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { x402Client } from "@x402/core/client";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402/core/http";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { toClientEvmSigner } from "@x402/evm";
import { BatchSettlementEvmScheme as ClientScheme } from "@x402/evm/batch-settlement/client";
import { BatchSettlementEvmScheme as ServerScheme } from "@x402/evm/batch-settlement/server";
import { wrapFetchWithPayment } from "@x402/fetch";
import { paymentMiddlewareFromHTTPServer, x402HTTPResourceServer, x402ResourceServer } from "@x402/hono";
import { BATCH_SETTLEMENT_ADDRESS, testUsdcAbi } from "@x402kit/bindings";
import { Hono } from "hono";
import { type Address, type Hex, keccak256, type PublicClient, toHex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { type Percentiles, percentiles, round } from "../stats.js";
import { benchVoucherVerify, recordVoucherBodies, type VoucherVerifyResult } from "./voucherVerify.js";

/** What one run measured. */
export type BatchSettlementRun = {
  channels: number;
  paymentsPerChannel: number;
  payments: number;
  /** Voucher payments (all but each channel's first, the deposit) per second of the paying phase. */
  vouchersPerSecond: number;
  /** One paid request with a voucher, client to answer (sign, server, facilitator when asked). */
  voucher: Percentiles;
  /** The first paid request of a channel: the deposit, settled on chain before the answer. */
  deposit: Percentiles;
  failed: number;
  /** The first failure's message, if any. */
  firstError: string | null;
  gas: {
    deposits: number;
    claims: number;
    settle: number;
    total: number;
    perPayment: number;
    claimTransactions: number;
    /** Transactions that carried the deposits (fewer than the channels when deposits shared one). */
    depositTransactions: number;
  };
  /** Payee balance change minus the sum paid: must be 0. */
  payeeDelta: string;
  /** The server's voucher `/verify` bodies replayed straight at the facilitator (closed and open loop). */
  facilitatorVouchers: VoucherVerifyResult | null;
};

export type RunBatchSettlementOptions = {
  rpcUrl: string;
  network: `eip155:${number}`;
  publicClient: PublicClient;
  token: Address;
  facilitatorUrl: string;
  payers: PrivateKeyAccount[];
  paymentsPerChannel: number;
  /** How the channels' deposits arrive: one after another, or all at once. */
  opening: "sequential" | "concurrent";
  price: bigint;
  requestTimeoutMs: number;
  /** The facilitator's process, for its CPU time. */
  facilitatorPid: number | undefined;
  /** Voucher `/verify` straight at the facilitator: closed-loop concurrency, open-loop rate, time of each. */
  direct: { concurrency: number; offeredPerSecond: number; durationMs: number };
};

export async function runBatchSettlement(options: RunBatchSettlementOptions): Promise<BatchSettlementRun> {
  const { publicClient, token, network, price, paymentsPerChannel } = options;
  const payee = privateKeyToAccount(keccak256(toHex(`bench batch-settlement payee ${options.facilitatorUrl}`))).address;
  const receiverAuthorizer = privateKeyToAccount(keccak256(toHex("bench batch-settlement receiver authorizer")));
  const facilitatorClient = new HTTPFacilitatorClient({ url: options.facilitatorUrl });
  const voucherBodies = recordVoucherBodies(facilitatorClient);
  const serverScheme = new ServerScheme(payee, { receiverAuthorizerSigner: receiverAuthorizer, withdrawDelay: 900 });
  const resourceServer = new x402ResourceServer(facilitatorClient).register(network, serverScheme);
  const deposit = price * BigInt(paymentsPerChannel);
  const httpServer = new x402HTTPResourceServer(resourceServer, {
    "GET /data": {
      accepts: {
        scheme: "batch-settlement",
        network,
        payTo: payee,
        price: { amount: price.toString(), asset: token, extra: { name: "USDC", version: "2" } },
        extra: { minDeposit: deposit.toString() },
      },
      description: "bench",
      mimeType: "application/json",
    },
  });
  await httpServer.initialize();
  const app = new Hono();
  app.use(paymentMiddlewareFromHTTPServer(httpServer, undefined, undefined, false));
  app.get("/data", (c) => c.json({ ok: true }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;

  const balance = () =>
    publicClient.readContract({ address: token, abi: testUsdcAbi, functionName: "balanceOf", args: [payee] });
  const before = await balance();
  const voucherMs: number[] = [];
  const depositMs: number[] = [];
  const depositTxs: Hex[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let paid = 0n;
  /** One paid request; resolves with its latency, or counts the failure. */
  const request = async (pay: typeof fetch): Promise<{ ms: number; transaction: string } | undefined> => {
    const t0 = performance.now();
    try {
      const response = await pay(url, { signal: AbortSignal.timeout(options.requestTimeoutMs) });
      const header = response.headers.get("PAYMENT-RESPONSE");
      if (response.status !== 200 || !header) {
        const required = response.headers.get("PAYMENT-REQUIRED");
        const reason = required ? (decodePaymentRequiredHeader(required) as { error?: string }).error : undefined;
        const text = reason ? "" : (await response.text()).slice(0, 200);
        throw new Error(`status ${response.status}${reason ? `: ${reason}` : text ? `: ${text}` : ""}`);
      }
      const settled = decodePaymentResponseHeader(header);
      if (!settled.success) throw new Error(settled.errorReason ?? "not settled");
      paid += price;
      return { ms: performance.now() - t0, transaction: settled.transaction };
    } catch (error) {
      failed++;
      firstError ??= error instanceof Error ? error.message.split("\n")[0] : String(error);
      return undefined;
    }
  };
  try {
    const payers = options.payers.map((payer) => {
      const x402 = new x402Client()
        .setSpendControls({ allowedAssets: [{ network, asset: token }] })
        .register(network, new ClientScheme(toClientEvmSigner(payer, publicClient as never)));
      return wrapFetchWithPayment(fetch, x402);
    });
    // Phase 1: each channel's first request is its deposit, settled on chain before the answer: one channel after
    // another, or all at once (payers arriving together).
    const opened: (typeof fetch)[] = [];
    const open = async (pay: typeof fetch) => {
      const result = await request(pay);
      if (result === undefined) return;
      depositMs.push(result.ms);
      depositTxs.push(result.transaction as Hex);
      opened.push(pay);
    };
    if (options.opening === "concurrent") await Promise.all(payers.map(open));
    else for (const pay of payers) await open(pay);
    // Phase 2: every open channel pays the rest of its requests with vouchers, all channels at once.
    const vouchersStarted = performance.now();
    await Promise.all(
      opened.map(async (pay) => {
        for (let i = 1; i < paymentsPerChannel; i++) {
          const result = await request(pay);
          if (result !== undefined) voucherMs.push(result.ms);
        }
      }),
    );
    const payingMs = performance.now() - vouchersStarted;
    // Phase 3: the same voucher checks straight at the facilitator, before the claim (so every voucher is above it).
    const facilitatorVouchers = await benchVoucherVerify({
      facilitatorUrl: options.facilitatorUrl,
      facilitatorPid: options.facilitatorPid,
      templates: [...voucherBodies.values()],
      payers: options.payers,
      chainId: Number(network.split(":")[1]),
      verifyingContract: BATCH_SETTLEMENT_ADDRESS,
      price,
      paymentsPerChannel,
      ...options.direct,
      timeoutMs: options.requestTimeoutMs,
    });
    const manager = serverScheme.createChannelManager(facilitatorClient, network, token);
    const { claims, settle } = await manager.claimAndSettle({ maxClaimsPerBatch: 100 });
    const gasOf = async (hashes: readonly string[]) => {
      let sum = 0n;
      for (const hash of hashes) sum += (await publicClient.getTransactionReceipt({ hash: hash as Hex })).gasUsed;
      return Number(sum);
    };
    const gas = {
      // Deposits that shared a transaction name the same hash: each transaction counted once.
      deposits: await gasOf([...new Set(depositTxs)]),
      claims: await gasOf(claims.map((c) => c.transaction)),
      settle: settle ? await gasOf([settle.transaction]) : 0,
    };
    const total = gas.deposits + gas.claims + gas.settle;
    const payments = options.payers.length * paymentsPerChannel;
    return {
      channels: options.payers.length,
      paymentsPerChannel,
      payments,
      vouchersPerSecond: round((voucherMs.length / payingMs) * 1000, 1),
      voucher: percentiles(voucherMs),
      deposit: percentiles(depositMs),
      failed,
      firstError: firstError ?? null,
      gas: {
        ...gas,
        total,
        perPayment: round(total / payments),
        claimTransactions: claims.length,
        depositTransactions: new Set(depositTxs).size,
      },
      payeeDelta: ((await balance()) - before - paid).toString(),
      facilitatorVouchers: facilitatorVouchers ?? null,
    };
  } finally {
    server.close();
  }
}
