import { useEffect, useMemo, useState } from "preact/hooks";
import type { BatchRow, PaymentRow } from "../../protocol/messages.js";
import { percentile } from "../format.js";
import { Chart } from "./Chart.js";

/** Seconds shown at most. */
const WINDOW = 300;

/** Settled payments per second, p50/p99 settlement latency per second, and gas per payment per transaction. */
export function Charts({ payments, batches }: { payments: readonly PaymentRow[]; batches: readonly BatchRow[] }) {
  // The time axis runs to the current second, so an idle devnet shows as zeros rather than a frozen chart.
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1_000));
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1_000)), 1_000);
    return () => clearInterval(timer);
  }, []);
  const settledData = useMemo(() => {
    const settled = payments.filter((p) => p.state === "settled");
    const buckets = new Map<number, number[]>();
    for (const p of settled) {
      const second = Math.floor(p.updatedAt / 1_000);
      const list = buckets.get(second) ?? [];
      list.push(p.latencyMs ?? 0);
      buckets.set(second, list);
    }
    const seconds = [...buckets.keys()].sort((a, b) => a - b);
    const last = Math.max(now, seconds.at(-1) ?? now);
    const first = Math.max(Math.min(seconds[0] ?? last - 60, last - 60), last - WINDOW);
    const xs: number[] = [];
    const perSecond: (number | null)[] = [];
    const p50: (number | null)[] = [];
    const p99: (number | null)[] = [];
    for (let s = first; s <= last; s++) {
      const latencies = (buckets.get(s) ?? []).sort((a, b) => a - b);
      xs.push(s);
      perSecond.push(latencies.length);
      p50.push(percentile(latencies, 0.5) ?? null);
      p99.push(percentile(latencies, 0.99) ?? null);
    }
    return { xs, perSecond, p50, p99, total: settled.length };
  }, [payments, now]);

  const gasData = useMemo(() => {
    const sorted = [...batches].sort((a, b) => a.at - b.at);
    return {
      xs: sorted.map((b) => b.at / 1_000),
      perPayment: sorted.map((b) => Number(b.gasPerPayment)),
    };
  }, [batches]);

  const { xs, perSecond, p50, p99, total } = settledData;
  return (
    <section class="charts" aria-labelledby="charts-title">
      <h2 id="charts-title">Charts</h2>
      <div class="chart-grid">
        <Chart
          id="chart-settled"
          title="Settled per second"
          summary={`${total} settled payments over ${xs.length} seconds`}
          data={[xs, perSecond]}
          series={[{ label: "settled/s", stroke: "#2563eb", fill: "rgba(37,99,235,0.25)", bars: true }]}
          yLabel="payments"
        />
        <Chart
          id="chart-latency"
          title="Settlement latency (p50 / p99)"
          summary={`p50 and p99 latency per second, last value ${p50.filter((v) => v !== null).at(-1) ?? "none"} ms`}
          data={[xs, p50, p99]}
          series={[
            { label: "p50 ms", stroke: "#059669", points: true },
            { label: "p99 ms", stroke: "#dc2626", points: true },
          ]}
          yLabel="ms"
        />
        <Chart
          id="chart-gas"
          title="Gas per payment"
          summary={`${gasData.xs.length} settlement transactions`}
          data={[gasData.xs, gasData.perPayment]}
          series={[{ label: "gas/payment", stroke: "#9333ea", points: true }]}
          yLabel="gas"
        />
      </div>
    </section>
  );
}
