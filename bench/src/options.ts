import { Command, Option } from "commander";
import { z } from "zod";
import { FACILITATORS } from "./facilitators/startFacilitator.js";

/** The parts `pnpm bench` can run. */
export const PARTS = ["gas", "load", "latency", "verify", "sign", "devnet", "batch", "scale"] as const;
export type Part = (typeof PARTS)[number];

const positiveInt = z.coerce.number().int().positive();
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean)
        : v,
    z.array(item).min(1),
  );

/** A flag or `BENCH_*` variable has a bad value. */
export class BenchOptionsError extends Error {
  override name = "BenchOptionsError" as const;
  constructor(details: string) {
    super(`invalid bench options:\n${details}`);
  }
}

/** Every knob, validated once. Flags win over `BENCH_*` environment variables, which win over defaults. */
export const BenchOptions = z.object({
  /** Parts to run; empty re-renders the report from the existing results only. */
  parts: z.array(z.enum(PARTS)),
  payers: positiveInt.default(200),
  payments: positiveInt.default(5),
  blockTimeMs: z.coerce.number().int().min(0).default(2_000),
  payees: positiveInt.default(4),
  value: positiveInt.default(1_000),
  facilitators: list(z.enum(FACILITATORS)).default([...FACILITATORS]),
  runTimeoutS: positiveInt.default(300),
  requestTimeoutS: positiveInt.default(60),
  verifyConcurrency: list(positiveInt).default([1, 8, 20, 32, 100, 256]),
  verifyDurationS: positiveInt.default(5),
  verifyMaxRequests: positiveInt.default(2_000),
  signRounds: positiveInt.default(10),
  signIterations: positiveInt.default(300),
  devnetRuns: positiveInt.default(3),
  latencyLevels: list(positiveInt).default([1, 20, 100]),
  latencyPayments: positiveInt.default(200),
  scalePayers: z.coerce.number().int().min(0).default(1_000),
  scalePayments: positiveInt.default(2),
  /** scale: instances of the scaled-out configuration on Postgres. */
  scaleInstances: positiveInt.default(3),
  /**
   * batch: levels as `<channels>x<payments per channel>`, channels opened one after another; a trailing `c` opens them
   * all at once (`10x100c`).
   */
  batchLevels: list(
    z
      .string()
      .regex(/^[1-9][0-9]*x[1-9][0-9]*c?$/, "levels are <channels>x<payments>[c], e.g. 100x10 or 10x100c")
      .transform((level) => {
        const concurrent = level.endsWith("c");
        const [channels, paymentsPerChannel] = level.replace(/c$/, "").split("x").map(Number) as [number, number];
        return {
          channels,
          paymentsPerChannel,
          opening: concurrent ? ("concurrent" as const) : ("sequential" as const),
        };
      }),
  ).default([
    { channels: 100, paymentsPerChannel: 10, opening: "sequential" },
    { channels: 10, paymentsPerChannel: 100, opening: "sequential" },
    { channels: 1, paymentsPerChannel: 1_000, opening: "sequential" },
    { channels: 10, paymentsPerChannel: 100, opening: "concurrent" },
    { channels: 100, paymentsPerChannel: 10, opening: "concurrent" },
  ]),
  docs: z.boolean().default(true),
});
export type BenchOptions = z.output<typeof BenchOptions>;

/**
 * Parses `argv` (after `node cli.ts`) and the `BENCH_*` environment.
 *
 * @param argv - Command-line arguments.
 * @param env - Environment.
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const program = new Command("x402kit-bench")
    .description("x402kit benchmarks; writes bench/results/*.json and docs/benchmarks.md")
    .argument("[parts...]", `parts to run: ${PARTS.join(", ")}, or report (none: re-render only); default all`)
    .option("--payers <n>", "load: concurrent payers, N (BENCH_PAYERS)")
    .option("--payments <n>", "load: payments per payer, M (BENCH_PAYMENTS)")
    .option("--block-time-ms <ms>", "load/verify: interval mining period, 0 = automine (BENCH_BLOCK_TIME_MS)")
    .option("--payees <n>", "load: distinct payees (BENCH_PAYEES)")
    .option("--value <units>", "load: token units per payment (BENCH_VALUE)")
    .addOption(
      new Option(
        "--facilitators <list>",
        "load/verify: comma-separated, of official,direct,batched (BENCH_FACILITATORS)",
      ),
    )
    .option("--run-timeout-s <s>", "load: no payment starts after this (BENCH_RUN_TIMEOUT_S)")
    .option("--request-timeout-s <s>", "load/verify: longest wait for one HTTP answer (BENCH_REQUEST_TIMEOUT_S)")
    .option("--verify-concurrency <list>", "verify: concurrency levels (BENCH_VERIFY_CONCURRENCY)")
    .option("--verify-duration-s <s>", "verify: seconds per level (BENCH_VERIFY_DURATION_S)")
    .option("--verify-max-requests <n>", "verify: most requests per level (BENCH_VERIFY_MAX_REQUESTS)")
    .option("--sign-rounds <n>", "sign: interleaved rounds (BENCH_SIGN_ROUNDS)")
    .option("--sign-iterations <n>", "sign: signatures per round and signer (BENCH_SIGN_ITERATIONS)")
    .option("--devnet-runs <n>", "devnet: start-ups measured (BENCH_DEVNET_RUNS)")
    .option("--latency-levels <list>", "latency: concurrency levels (BENCH_LATENCY_LEVELS)")
    .option("--latency-payments <n>", "latency: payments per level (BENCH_LATENCY_PAYMENTS)")
    .option("--scale-payers <n>", "latency: payers of the batched run at scale, 0 = skip (BENCH_SCALE_PAYERS)")
    .option("--scale-instances <n>", "scale: facilitator instances on one Postgres journal (BENCH_SCALE_INSTANCES)")
    .option("--scale-payments <n>", "latency: payments per payer at scale (BENCH_SCALE_PAYMENTS)")
    .option("--batch-levels <list>", "batch: <channels>x<payments> levels, e.g. 100x10,10x100 (BENCH_BATCH_LEVELS)")
    .option("--no-docs", "do not rewrite docs/benchmarks.md")
    .exitOverride()
    .parse([...argv], { from: "user" });
  const flags = program.opts<Record<string, string | boolean | undefined>>();
  const pick = (flag: string, name: string) => flags[flag] ?? env[`BENCH_${name}`];
  const args = program.args.filter((a) => a !== "report");
  const parts = program.args.length === 0 || args.includes("all") ? [...PARTS] : args;
  const raw = {
    parts,
    payers: pick("payers", "PAYERS"),
    payments: pick("payments", "PAYMENTS"),
    blockTimeMs: pick("blockTimeMs", "BLOCK_TIME_MS"),
    payees: pick("payees", "PAYEES"),
    value: pick("value", "VALUE"),
    facilitators: pick("facilitators", "FACILITATORS"),
    runTimeoutS: pick("runTimeoutS", "RUN_TIMEOUT_S"),
    requestTimeoutS: pick("requestTimeoutS", "REQUEST_TIMEOUT_S"),
    verifyConcurrency: pick("verifyConcurrency", "VERIFY_CONCURRENCY"),
    verifyDurationS: pick("verifyDurationS", "VERIFY_DURATION_S"),
    verifyMaxRequests: pick("verifyMaxRequests", "VERIFY_MAX_REQUESTS"),
    signRounds: pick("signRounds", "SIGN_ROUNDS"),
    signIterations: pick("signIterations", "SIGN_ITERATIONS"),
    devnetRuns: pick("devnetRuns", "DEVNET_RUNS"),
    latencyLevels: pick("latencyLevels", "LATENCY_LEVELS"),
    latencyPayments: pick("latencyPayments", "LATENCY_PAYMENTS"),
    scalePayers: pick("scalePayers", "SCALE_PAYERS"),
    scalePayments: pick("scalePayments", "SCALE_PAYMENTS"),
    scaleInstances: pick("scaleInstances", "SCALE_INSTANCES"),
    batchLevels: pick("batchLevels", "BATCH_LEVELS"),
    docs: flags.docs,
  };
  const parsed = BenchOptions.safeParse(raw);
  if (!parsed.success) throw new BenchOptionsError(z.prettifyError(parsed.error));
  return parsed.data;
}
