import { testUsdcAbi } from "@x402kit/bindings";
import { awaitBalancedLeases } from "@x402kit/devnet";
import { startHardhatNode } from "@x402kit/hardhat-node";
import type { Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { FACILITATOR_KEY, FACILITATOR_KEYS, setupChain } from "../chain/setupChain.js";
import { waitForQuiet } from "../chain/waitForQuiet.js";
import { cpuTimeMs } from "../cpu.js";
import {
  type FacilitatorKind,
  FacilitatorUnavailableError,
  startFacilitator,
} from "../facilitators/startFacilitator.js";
import { describeMachine, type Machine } from "../machine.js";
import { percentiles, ratio, round } from "../stats.js";
import { auditSettlements } from "./auditSettlements.js";
import { type PaymentOutcome, runLoad } from "./runLoad.js";
import { signPayments } from "./signPayments.js";

/** Parameters of a load run (the same for every facilitator). */
export type LoadParameters = {
  /** N: concurrent payers. */
  payers: number;
  /** M: payments per payer. */
  paymentsPerPayer: number;
  blockTimeMs: number;
  payees: number;
  /** Token units per payment (6 decimals). */
  value: number;
  runTimeoutMs: number;
  requestTimeoutMs: number;
  facilitators: FacilitatorKind[];
};

/** One facilitator's figures; `null` where it did not run. */
export type FacilitatorLoadResult = {
  status: "measured" | "pending" | "error" | "not run";
  /** Why it was not measured. */
  note: string | null;
  settledPerSecond: number | null;
  /** Payments whose payer did not get a truthful success (invalid, failed, error, timeout, unresolved, skipped). */
  failed: number | null;
  doubleSettled: number | null;
  verifyP50Ms: number | null;
  verifyP95Ms: number | null;
  verifyP99Ms: number | null;
  settleP50Ms: number | null;
  settleP95Ms: number | null;
  settleP99Ms: number | null;
  /** Settle latency of the truthful successes only (failures that come back at once pull the others down). */
  settleSuccessP50Ms: number | null;
  settleSuccessP99Ms: number | null;
  /** CPU the facilitator process spent during the run, per payment sent (Linux; `null` elsewhere). */
  facilitatorCpuMsPerPayment: number | null;
  /**
   * Where the machine's CPU went during the run, in core-seconds per second of run: the facilitator (all its
   * instances), the Hardhat node and the load generator (this process). On a machine of few cores their sum shows
   * whether the facilitator or its neighbours bound the rate. `null` when not measured (not Linux, older results).
   */
  cpuCores?: { facilitator: number; node: number; loadGenerator: number } | null;
  payments: number;
  verified: number | null;
  settled: number | null;
  settledOnChain: number | null;
  lies: { successWithoutTransfer: number; failureButSettled: number } | null;
  unresolved: number | null;
  pendingRetries: number | null;
  /** `<phase>:<reason or status>` → count, for every payment that did not settle. */
  errors: Record<string, number>;
  /** The first message seen for each key of `errors`. */
  errorSamples: Record<string, string>;
  durationSeconds: number | null;
  payeeBalanceMismatch: string | null;
  transactions: { sent: number; reverted: number; gasUsed: string } | null;
  gasPerSettledPayment: number | null;
  /** Journal write transactions (ours: `x402kit_store_commits_total`) per settled payment; `null` for the official one. */
  storeCommitsPerSettledPayment?: number | null;
};

/** `bench/results/load.json`. */
export type LoadResults = {
  description: string;
  machine: Machine;
  parameters: LoadParameters;
  official: FacilitatorLoadResult;
  direct: FacilitatorLoadResult;
  batched: FacilitatorLoadResult;
  ratios: Record<"direct/official" | "batched/official", Record<string, number | null>>;
};

const reasonOf = (body: Record<string, unknown> | undefined, key: string) =>
  typeof body?.[key] === "string" && body[key] !== "" ? String(body[key]) : undefined;

function errorsOf(outcomes: readonly PaymentOutcome[], truthful: (o: PaymentOutcome) => boolean) {
  const errors: Record<string, number> = {};
  const samples: Record<string, string> = {};
  const add = (k: string, body?: Record<string, unknown>) => {
    errors[k] = (errors[k] ?? 0) + 1;
    const message = reasonOf(body, "errorMessage") ?? reasonOf(body, "invalidMessage") ?? reasonOf(body, "error");
    if (message && samples[k] === undefined) samples[k] = summarize(message);
  };
  for (const o of outcomes) {
    if (o.skipped) add("skipped:deadline");
    else if (!o.verify || o.verify.error) add(`verify:${o.verify?.error ?? "none"}`);
    else if (o.verify.body?.isValid !== true)
      add(`verify:${reasonOf(o.verify.body, "invalidReason") ?? `http_${o.verify.status}`}`, o.verify.body);
    else if (!o.settle || o.settle.error) add(`settle:${o.settle?.error ?? "none"}`);
    else if (o.settle.body?.success !== true)
      add(`settle:${reasonOf(o.settle.body, "errorReason") ?? `http_${o.settle.status}`}`, o.settle.body);
    else if (!truthful(o)) add("settle:success_without_transfer");
  }
  return { errors, samples };
}

/**
 * A readable one-line sample of an error message: its first line plus viem's `Details:` line when there is
 * one, long hex strings (signed transactions, signatures) shortened.
 */
function summarize(message: string): string {
  const details = /Details: (.*)/.exec(message)?.[1];
  const text = `${message.split("\n")[0]}${details ? ` Details: ${details}` : ""}`;
  return text.replace(/0x[0-9a-fA-F]{66,}/g, (hex) => `${hex.slice(0, 10)}…`).slice(0, 300);
}

function emptyResult(payments: number, status: "pending" | "error" | "not run", note: string): FacilitatorLoadResult {
  return {
    status,
    note,
    settledPerSecond: null,
    failed: null,
    doubleSettled: null,
    verifyP50Ms: null,
    verifyP95Ms: null,
    verifyP99Ms: null,
    settleP50Ms: null,
    settleP95Ms: null,
    settleP99Ms: null,
    settleSuccessP50Ms: null,
    settleSuccessP99Ms: null,
    facilitatorCpuMsPerPayment: null,
    cpuCores: null,
    payments,
    verified: null,
    settled: null,
    settledOnChain: null,
    lies: null,
    unresolved: null,
    pendingRetries: null,
    errors: {},
    errorSamples: {},
    durationSeconds: null,
    payeeBalanceMismatch: null,
    transactions: null,
    gasPerSettledPayment: null,
    storeCommitsPerSettledPayment: null,
  };
}

/** Our facilitator's journal commits so far, from its `/metrics`; `null` when it does not report them. */
async function storeCommits(url: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const value = /^x402kit_store_commits_total (\d+)/m.exec(text)?.[1];
    return value === undefined ? null : Number(value);
  } catch {
    return null;
  }
}

/** Ours on a Postgres journal (the scale-out part): how many instances, and how they share the signer keys. */
export type ScaleJournal = {
  databaseUrl: string;
  instances: number;
  /** Signer keys the instances share (default 1: the one facilitator key). */
  keys?: number | undefined;
  /** Each key held by one instance at a time by lease, every instance signing; otherwise one writer and standbys. */
  leases?: boolean | undefined;
};

/**
 * Runs the load against one facilitator on a fresh node with fresh fixtures, then audits the chain.
 *
 * @param kind - Which facilitator.
 * @param parameters - {@link LoadParameters}
 * @param log - Progress output.
 */
export async function loadOneFacilitator(
  kind: FacilitatorKind,
  parameters: LoadParameters,
  log: (line: string) => void,
  journal?: ScaleJournal,
): Promise<FacilitatorLoadResult> {
  const total = parameters.payers * parameters.paymentsPerPayer;
  const node = await startHardhatNode();
  try {
    const chain = await setupChain(node.rpcUrl, node.chainId, {
      payers: parameters.payers,
      payees: parameters.payees,
      fundsPerPayer: BigInt(parameters.value) * BigInt(parameters.paymentsPerPayer),
      blockTimeMs: parameters.blockTimeMs,
    });
    const block = await chain.publicClient.getBlock();
    const wall = BigInt(Math.floor(Date.now() / 1000));
    const payments = await signPayments({
      chainId: node.chainId,
      token: chain.token,
      payers: chain.payers,
      payees: chain.payees,
      perPayer: parameters.paymentsPerPayer,
      value: BigInt(parameters.value),
      maxTimeoutSeconds: Math.ceil(parameters.runTimeoutMs / 1000) + 300,
      now: block.timestamp > wall ? block.timestamp : wall,
    });
    const balancesBefore = new Map<Address, bigint>();
    for (const payee of chain.payees) {
      balancesBefore.set(
        payee,
        await chain.publicClient.readContract({
          address: chain.token,
          abi: testUsdcAbi,
          functionName: "balanceOf",
          args: [payee],
        }),
      );
    }

    const keys = journal?.keys ? FACILITATOR_KEYS.slice(0, journal.keys) : [FACILITATOR_KEY];
    const signers = keys.map((k) => privateKeyToAccount(k).address);
    const signer = signers[0] as Address;
    // Every instance on the same keys, chain and (with `journal`) Postgres journal: with `leases` each signs for the
    // keys it holds by lease; without, the first is the writer and the others its standbys.
    const start = (standby: boolean) =>
      startFacilitator(kind, {
        rpcUrl: node.rpcUrl,
        chainId: node.chainId,
        privateKey: FACILITATOR_KEY,
        signer,
        router: chain.router,
        blockTimeMs: parameters.blockTimeMs,
        databaseUrl: journal?.databaseUrl,
        standby: standby && !journal?.leases,
        ...(journal?.keys ? { privateKeys: keys } : {}),
        signerLeases: journal?.leases,
      });
    let facilitator: Awaited<ReturnType<typeof startFacilitator>>;
    try {
      facilitator = await start(false);
    } catch (error) {
      if (error instanceof FacilitatorUnavailableError) return emptyResult(total, "pending", error.message);
      throw error;
    }
    // More instances of ours on the same Postgres journal: standbys beside the writer.
    const standbys: Awaited<ReturnType<typeof startFacilitator>>[] = [];
    try {
      for (let i = 1; i < (journal?.instances ?? 1); i++) {
        standbys.push(await start(true));
      }
      if (journal?.leases) {
        await awaitBalancedLeases(
          [facilitator, ...standbys].map((f) => f.url),
          signers,
        );
      }
    } catch (error) {
      for (const standby of standbys) await standby.stop();
      await facilitator.stop();
      throw error;
    }
    log(`  ${kind}: ${parameters.payers} payers × ${parameters.paymentsPerPayer} payments …`);
    let run: Awaited<ReturnType<typeof runLoad>>;
    // Every instance's CPU counts (one process per instance).
    const pids = [facilitator, ...standbys].map((f) => f.child.process.pid);
    const cpuOf = () => {
      const times = pids.map((pid) => cpuTimeMs(pid));
      return times.some((t) => t === null) ? null : times.reduce<number>((a, t) => a + (t ?? 0), 0);
    };
    const cpuBefore = cpuOf();
    const nodeCpuBefore = cpuTimeMs(node.pid);
    const selfBefore = process.cpuUsage();
    let nodeCpuAfter: number | null = null;
    let selfCpuMs = 0;
    let cpuAfter: number | null = null;
    const urls = [facilitator, ...standbys].map((f) => f.url);
    const commitsOf = async () => {
      const counts = await Promise.all(urls.map(storeCommits));
      return counts.some((c) => c === null) ? null : counts.reduce<number>((a, c) => a + (c ?? 0), 0);
    };
    const commitsBefore = kind === "official" ? null : await commitsOf();
    let commitsAfter: number | null = null;
    try {
      run = await runLoad(payments, {
        url: facilitator.url,
        urls: standbys.length > 0 ? [facilitator.url, ...standbys.map((f) => f.url)] : undefined,
        requestTimeoutMs: parameters.requestTimeoutMs,
        runTimeoutMs: parameters.runTimeoutMs,
      });
      cpuAfter = cpuOf();
      nodeCpuAfter = cpuTimeMs(node.pid);
      const self = process.cpuUsage(selfBefore);
      selfCpuMs = (self.user + self.system) / 1000;
      await waitForQuiet(chain, signers, Math.max(30_000, 5 * parameters.blockTimeMs));
      if (commitsBefore !== null) commitsAfter = await commitsOf();
    } finally {
      for (const standby of standbys) await standby.stop();
      await facilitator.stop();
    }
    const audit = await auditSettlements(chain, run.outcomes, balancesBefore, signers);
    const verifyTimes = run.outcomes.flatMap((o) => (o.verify && !o.verify.error ? [o.verify.ms] : []));
    const settleTimes = run.outcomes.flatMap((o) => (o.settleMs !== undefined && !o.settle?.error ? [o.settleMs] : []));
    const verify = percentiles(verifyTimes);
    const settle = percentiles(settleTimes);
    const settleSuccess = percentiles(
      run.outcomes.flatMap((o) => (audit.truthful.has(o) && o.settleMs !== undefined ? [o.settleMs] : [])),
    );
    const sent = run.outcomes.filter((o) => !o.skipped).length;
    const seconds = run.durationMs / 1000;
    const gasUsed = BigInt(audit.transactions.gasUsed);
    const { errors, samples } = errorsOf(run.outcomes, (o) => audit.truthful.has(o));
    return {
      status: "measured",
      note: null,
      settledPerSecond: round(audit.truthfulSuccesses / seconds, 2),
      failed: total - audit.truthfulSuccesses,
      doubleSettled: audit.doubleSettled,
      verifyP50Ms: verify.p50Ms,
      verifyP95Ms: verify.p95Ms,
      verifyP99Ms: verify.p99Ms,
      settleP50Ms: settle.p50Ms,
      settleP95Ms: settle.p95Ms,
      settleP99Ms: settle.p99Ms,
      settleSuccessP50Ms: settleSuccess.count > 0 ? settleSuccess.p50Ms : null,
      settleSuccessP99Ms: settleSuccess.count > 0 ? settleSuccess.p99Ms : null,
      facilitatorCpuMsPerPayment:
        cpuBefore === null || cpuAfter === null || sent === 0 ? null : round((cpuAfter - cpuBefore) / sent, 2),
      cpuCores:
        cpuBefore === null || cpuAfter === null || nodeCpuBefore === null || nodeCpuAfter === null
          ? null
          : {
              facilitator: round((cpuAfter - cpuBefore) / run.durationMs, 2),
              node: round((nodeCpuAfter - nodeCpuBefore) / run.durationMs, 2),
              loadGenerator: round(selfCpuMs / run.durationMs, 2),
            },
      payments: total,
      verified: run.outcomes.filter((o) => o.verify?.body?.isValid === true).length,
      settled: audit.truthfulSuccesses,
      settledOnChain: audit.settledOnChain,
      lies: audit.lies,
      unresolved: audit.unresolved,
      pendingRetries: run.outcomes.reduce((n, o) => n + o.pendingRetries, 0),
      errors,
      errorSamples: samples,
      durationSeconds: round(seconds, 2),
      payeeBalanceMismatch: audit.payeeBalanceMismatch,
      transactions: audit.transactions,
      gasPerSettledPayment: audit.settledOnChain > 0 ? Math.round(Number(gasUsed) / audit.settledOnChain) : null,
      storeCommitsPerSettledPayment:
        commitsBefore === null || commitsAfter === null || audit.truthfulSuccesses === 0
          ? null
          : round((commitsAfter - commitsBefore) / audit.truthfulSuccesses, 2),
    };
  } finally {
    await node.stop();
  }
}

/**
 * The facilitator load benchmark: each facilitator in turn, same fixtures and load, fresh node each.
 *
 * @param parameters - {@link LoadParameters}
 * @param log - Progress output.
 */
export async function benchLoad(parameters: LoadParameters, log: (line: string) => void): Promise<LoadResults> {
  const machine = describeMachine();
  const total = parameters.payers * parameters.paymentsPerPayer;
  const results: Record<FacilitatorKind, FacilitatorLoadResult> = {
    official: emptyResult(total, "not run", "not in --facilitators"),
    direct: emptyResult(total, "not run", "not in --facilitators"),
    batched: emptyResult(total, "not run", "not in --facilitators"),
  };
  for (const kind of parameters.facilitators) {
    try {
      results[kind] = await loadOneFacilitator(kind, parameters, log);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  ${kind}: failed: ${message.split("\n")[0]}`);
      results[kind] = emptyResult(total, "error", message.split("\n")[0] ?? "error");
    }
  }
  const ratios = (ours: FacilitatorLoadResult) => ({
    settledPerSecond: ratio(ours.settledPerSecond, results.official.settledPerSecond),
    verifyP99Ms: ratio(ours.verifyP99Ms, results.official.verifyP99Ms),
    settleP99Ms: ratio(ours.settleP99Ms, results.official.settleP99Ms),
  });
  return {
    description:
      "N concurrent funded payers, each making M payments through POST /verify then POST /settle (x402 v2, real HTTP), " +
      "against a fresh local hardhat node with interval mining, for the official x402 facilitator (@x402/core + " +
      "@x402/evm exact, one key, defaults) and x402kit-facilitator in direct and batched mode (one key, defaults). " +
      "Answers are audited against the chain. Generated by `pnpm bench:load`; see docs/benchmarks.md.",
    machine,
    parameters,
    ...results,
    ratios: { "direct/official": ratios(results.direct), "batched/official": ratios(results.batched) },
  };
}
