/**
 * `pnpm bench scale`: the facilitator scaled out on one Postgres journal — ours, batched, the same load (payers × payments
 * on interval-mined blocks), each configuration on a fresh node and a fresh database:
 * - 1 instance on SQLite and 1 on Postgres, one signer key;
 * - N instances on Postgres under signer leases, N keys (one each, balanced before the load), payers spread
 *   round-robin over the instances, every instance signing;
 * - 1 instance on Postgres with the same N keys: how much of the gain is the keys and how much the processes;
 * - N instances on Postgres in the single-writer layout (one key: the writer signs, the others admit for it).
 * Answers are audited against the chain as in the load part.
 */
import { startEmbeddedPostgres } from "@x402kit/hardhat-node/postgres";
import { type FacilitatorLoadResult, type LoadParameters, loadOneFacilitator } from "../load/benchLoad.js";
import { describeMachine, type Machine } from "../machine.js";

export type ScaleOutParameters = Omit<LoadParameters, "facilitators"> & {
  /** Instances of the scaled-out configurations (default 3); as many signer keys under leases (at most 3). */
  instances: number;
};

export type ScaleOutConfiguration = {
  journal: "sqlite" | "postgres";
  instances: number;
  /** Signer keys the instances share. */
  keys: number;
  /** `leases`: each key held by one instance by lease, every instance signs; `writer`: one signs, the rest stand by. */
  sharing: "leases" | "writer";
  result: FacilitatorLoadResult;
};

export type ScaleOutResults = {
  machine: Machine;
  parameters: ScaleOutParameters;
  configurations: ScaleOutConfiguration[];
  /** Settled/s of N instances under leases over 1 instance with one key, both on Postgres. */
  scaleOutRatio: number | null;
};

export async function benchScaleOut(
  parameters: ScaleOutParameters,
  log: (line: string) => void,
): Promise<ScaleOutResults> {
  const machine = describeMachine();
  const load: LoadParameters = { ...parameters, facilitators: ["batched"] };
  const n = Math.min(3, Math.max(1, parameters.instances));
  const configurations: ScaleOutConfiguration[] = [];
  log("  1 instance, SQLite …");
  configurations.push({
    journal: "sqlite",
    instances: 1,
    keys: 1,
    sharing: "writer",
    result: await loadOneFacilitator("batched", load, log),
  });
  const postgres = await startEmbeddedPostgres();
  try {
    const shapes: Omit<ScaleOutConfiguration, "journal" | "result">[] = [
      { instances: 1, keys: 1, sharing: "writer" },
      { instances: n, keys: n, sharing: "leases" },
      { instances: 1, keys: n, sharing: "leases" },
      { instances: n, keys: 1, sharing: "writer" },
    ];
    for (const shape of shapes) {
      log(`  ${shape.instances} instance(s), ${shape.keys} key(s), ${shape.sharing}, Postgres …`);
      const databaseUrl = await postgres.database(`bench_${shape.instances}_${shape.keys}_${Date.now()}`);
      configurations.push({
        journal: "postgres",
        ...shape,
        result: await loadOneFacilitator("batched", load, log, {
          databaseUrl,
          instances: shape.instances,
          keys: shape.keys,
          leases: shape.sharing === "leases",
        }),
      });
    }
  } finally {
    await postgres.stop();
  }
  const rate = (instances: number, keys: number, sharing: ScaleOutConfiguration["sharing"]) =>
    configurations.find(
      (c) => c.journal === "postgres" && c.instances === instances && c.keys === keys && c.sharing === sharing,
    )?.result.settledPerSecond ?? null;
  const one = rate(1, 1, "writer");
  const many = rate(n, n, "leases");
  return {
    machine,
    parameters,
    configurations,
    scaleOutRatio: one && many ? Math.round((many / one) * 100) / 100 : null,
  };
}
