/**
 * `pnpm bench [parts...]`: runs the benchmarks, writes `bench/results/*.json`, prints the markdown
 * tables and rewrites the generated part of `docs/benchmarks.md`. See `--help` and docs/benchmarks.md.
 */
import { benchLoad } from "./load/benchLoad.js";
import { parseOptions } from "./options.js";
import { writeResult } from "./results.js";

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options.parts.includes("load")) {
    log("load: facilitators under N payers × M payments");
    const results = await benchLoad(
      {
        payers: options.payers,
        paymentsPerPayer: options.payments,
        blockTimeMs: options.blockTimeMs,
        payees: options.payees,
        value: options.value,
        runTimeoutMs: options.runTimeoutS * 1000,
        requestTimeoutMs: options.requestTimeoutS * 1000,
        facilitators: options.facilitators,
      },
      log,
    );
    log(`load: wrote ${writeResult("load", results)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
