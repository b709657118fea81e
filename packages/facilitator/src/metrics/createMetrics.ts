import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { type Address, formatEther, type TransactionReceipt } from "viem";
import type { PaymentStore } from "../domain/store.js";
import type { EngineMetrics, SettlementEngine } from "../engine/createSettlementEngine.js";

/** Prometheus metrics of one facilitator (its own registry: several facilitators can share a process). */
export type FacilitatorMetrics = EngineMetrics & {
  registry: Registry;
  verified(result: string, reason: string, seconds: number): void;
  settled(result: string, reason: string, seconds: number): void;
};

/**
 * Creates the metrics: verify and settle counts by result and reason, latency histograms, batch sizes,
 * gas used, queue depth, journal states and signer balances (read from the chain at scrape time).
 *
 * @param store - The journal (state counts).
 * @param engine - A function returning the engine (signer lanes), resolved lazily.
 * @param otherLeasesHeld - How many leases this instance holds besides the lanes' (the scheme senders'), for the gauge.
 * @returns The metrics and their registry.
 */
export function createMetrics(
  store: PaymentStore,
  engine: () => SettlementEngine | undefined,
  otherLeasesHeld: () => number = () => 0,
): FacilitatorMetrics {
  const registry = new Registry();
  const verifyTotal = new Counter({
    name: "x402kit_verify_total",
    help: "Verify requests by result and reason code.",
    labelNames: ["result", "reason"],
    registers: [registry],
  });
  const settleTotal = new Counter({
    name: "x402kit_settle_total",
    help: "Settle answers by result (success, failed, pending) and reason code.",
    labelNames: ["result", "reason"],
    registers: [registry],
  });
  const verifySeconds = new Histogram({
    name: "x402kit_verify_duration_seconds",
    help: "Verify latency.",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const settleSeconds = new Histogram({
    name: "x402kit_settle_duration_seconds",
    help: "Settle latency (until the answer, final or pending).",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: "x402kit_batch_size",
    help: "Payments carried per mined settlement transaction.",
    labelNames: ["kind"],
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [registry],
  });
  const gasUsed = new Counter({
    name: "x402kit_gas_used_total",
    help: "Gas used by mined settlement transactions.",
    labelNames: ["kind"],
    registers: [registry],
  });
  const leaseChanges = new Counter({
    name: "x402kit_signer_lease_changes_total",
    help: "Signer leases this instance acquired (change=acquired, takeover=true when taken from an expired holder), lost, or handed over to balance (change=handed_over).",
    labelNames: ["change", "takeover"],
    registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: "x402kit_store_latency_seconds",
    help: "Round trips to the journal for signer leases (renewals, acquisitions).",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: "x402kit_store_errors_total",
    help: "Signer lease round trips to the journal that failed.",
    registers: [registry],
  });
  new Gauge({
    name: "x402kit_signer_leases_held",
    help: "Signer leases this instance holds.",
    registers: [registry],
    collect() {
      this.set((engine()?.leases()?.held.length ?? 0) + otherLeasesHeld());
    },
  });
  new Gauge({
    name: "x402kit_queue_depth",
    help: "Jobs waiting plus transactions unconfirmed, per signer.",
    labelNames: ["network", "signer"],
    registers: [registry],
    collect() {
      this.reset();
      for (const lane of engine()?.lanes() ?? []) {
        this.set({ network: lane.network.caip2, signer: lane.address }, lane.depth());
      }
    },
  });
  new Gauge({
    name: "x402kit_settlements",
    help: "Settlements in the journal by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await store.countByState())) this.set({ state }, count);
    },
  });
  new Gauge({
    name: "x402kit_signer_balance_ether",
    help: "Native balance of each signer (read at scrape time).",
    labelNames: ["network", "signer"],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        (engine()?.lanes() ?? []).map(async (lane) => {
          const balance = await lane.network.client
            .getBalance({ address: lane.address as Address })
            .catch(() => undefined);
          if (balance !== undefined) {
            this.set({ network: lane.network.caip2, signer: lane.address }, Number(formatEther(balance)));
          }
        }),
      );
    },
  });

  new Counter({
    name: "x402kit_store_commits_total",
    help: "Write transactions committed to the settlement journal.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(store.commits());
    },
  });

  return {
    registry,
    verified(result, reason, seconds) {
      verifyTotal.inc({ result, reason });
      verifySeconds.observe(seconds);
    },
    settled(result, reason, seconds) {
      settleTotal.inc({ result, reason });
      settleSeconds.observe(seconds);
    },
    mined(receipt: TransactionReceipt, kind, items) {
      batchSize.observe({ kind }, items);
      gasUsed.inc({ kind }, Number(receipt.gasUsed));
    },
    acquired(_signer, tookOverFrom) {
      leaseChanges.inc({ change: "acquired", takeover: String(tookOverFrom !== undefined) });
    },
    lost() {
      leaseChanges.inc({ change: "lost", takeover: "false" });
    },
    handedOver() {
      leaseChanges.inc({ change: "handed_over", takeover: "false" });
    },
    storeLatency(ms) {
      if (ms === undefined) storeErrors.inc();
      else storeSeconds.observe(ms / 1000);
    },
  };
}
