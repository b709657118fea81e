/**
 * `pnpm bench scale`: the facilitator scaled out on one Postgres journal — ours, batched, the same load (payers × payments
 * on interval-mined blocks) on 1 instance with SQLite, 1 on Postgres and N on Postgres (the writer plus standbys,
 * payers spread round-robin over the instances), each on a fresh node and a fresh database. Answers are audited
 * against the chain as in the load part.
 */
import { startEmbeddedPostgres } from "@x402kit/hardhat-node/postgres";
import { type FacilitatorLoadResult, type LoadParameters, loadOneFacilitator } from "../load/benchLoad.js";
import { describeMachine, type Machine } from "../machine.js";

export type ScaleOutParameters = Omit<LoadParameters, "facilitators"> & {
  /** Instances of the scaled-out configuration (default 3). */
  instances: number;
};

export type ScaleOutConfiguration = {
  journal: "sqlite" | "postgres";
  instances: number;
  result: FacilitatorLoadResult;
};

export type ScaleOutResults = {
  machine: Machine;
  parameters: ScaleOutParameters;
  configurations: ScaleOutConfiguration[];
  /** Settled/s of N instances on Postgres over 1 on Postgres. */
  scaleOutRatio: number | null;
};

export async function benchScaleOut(
  parameters: ScaleOutParameters,
  log: (line: string) => void,
): Promise<ScaleOutResults> {
  const machine = describeMachine();
  const load: LoadParameters = { ...parameters, facilitators: ["batched"] };
  const configurations: ScaleOutConfiguration[] = [];
  log("  1 instance, SQLite …");
  configurations.push({ journal: "sqlite", instances: 1, result: await loadOneFacilitator("batched", load, log) });
  const postgres = await startEmbeddedPostgres();
  try {
    for (const instances of [1, parameters.instances]) {
      log(`  ${instances} instance(s), Postgres …`);
      const databaseUrl = await postgres.database(`bench_${instances}_${Date.now()}`);
      configurations.push({
        journal: "postgres",
        instances,
        result: await loadOneFacilitator("batched", load, log, { databaseUrl, instances }),
      });
    }
  } finally {
    await postgres.stop();
  }
  const one = configurations[1]?.result.settledPerSecond ?? null;
  const many = configurations[2]?.result.settledPerSecond ?? null;
  return {
    machine,
    parameters,
    configurations,
    scaleOutRatio: one && many ? Math.round((many / one) * 100) / 100 : null,
  };
}
