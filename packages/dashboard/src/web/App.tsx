import { useEffect, useMemo, useState } from "preact/hooks";
import { Agents } from "./components/Agents.js";
import { Charts } from "./components/Charts.js";
import { BalancesTable, BatchesTable, LanesTable, PaymentsTable } from "./components/Tables.js";
import { TxView } from "./components/TxView.js";
import { integer, units } from "./format.js";
import { useDashboard } from "./useDashboard.js";

const TX_ROUTE = /^#\/tx\/(0x[0-9a-fA-F]{64})$/;

const useHash = () => {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return hash;
};

/** The dashboard: a live overview, or one transaction (`#/tx/<hash>`). */
export function App() {
  const { connection, data, rejected } = useDashboard();
  const route = useHash();
  const txHash = TX_ROUTE.exec(route)?.[1];

  const labels = useMemo(
    () => new Map((data?.balances ?? []).map((b) => [b.address.toLowerCase(), b.label] as const)),
    [data?.balances],
  );
  useEffect(() => {
    // Moving between views puts the keyboard focus on the new view's heading.
    document.querySelector<HTMLElement>("main h2")?.focus();
  }, [txHash]);

  const counts = useMemo(() => {
    const c = { verified: 0, pending: 0, settled: 0, failed: 0, paid: 0n };
    for (const p of data?.payments ?? []) {
      c[p.state]++;
      if (p.state === "settled") c.paid += BigInt(p.amount);
    }
    return c;
  }, [data?.payments]);

  return (
    <>
      <header class="top">
        <h1>
          <a href="#/">x402kit devnet</a>
        </h1>
        {data ? (
          <p class="chain">
            chain {data.chain.chainId} · block <span data-testid="block-number">{integer(data.chain.blockNumber)}</span>
          </p>
        ) : null}
        <p class={`live ${connection}`} data-testid="live" data-state={connection} role="status">
          <span class="dot" aria-hidden="true" /> {connection === "open" ? "live" : connection}
          {rejected > 0 ? ` · ${rejected} bad message(s) dropped` : ""}
        </p>
      </header>
      <main id="main">
        {!data ? (
          <p>Connecting to the devnet…</p>
        ) : txHash ? (
          <TxView hash={txHash} decimals={data.chain.token.decimals} symbol={data.chain.token.symbol} labels={labels} />
        ) : (
          <>
            <h2 class="sr-only" tabIndex={-1}>
              Overview
            </h2>
            <ul class="stats" aria-label="Totals">
              <li data-testid="stat-settled">
                <strong>{counts.settled}</strong> settled
              </li>
              <li>
                <strong>{counts.pending + counts.verified}</strong> in progress
              </li>
              <li data-testid="stat-failed">
                <strong>{counts.failed}</strong> failed
              </li>
              <li>
                <strong>{units(counts.paid, data.chain.token.decimals)}</strong> {data.chain.token.symbol} paid
              </li>
              <li>
                <strong>{data.batches.length}</strong> transactions
              </li>
            </ul>
            <Charts payments={data.payments} batches={data.batches} />
            <PaymentsTable payments={data.payments} chain={data.chain} labels={labels} />
            <div class="two">
              <BatchesTable batches={data.batches} />
              <LanesTable lanes={data.lanes} />
            </div>
            <div class="two">
              <BalancesTable balances={data.balances} chain={data.chain} />
              <Agents agents={data.agents} />
            </div>
          </>
        )}
      </main>
    </>
  );
}
