import { useEffect, useState } from "preact/hooks";
import { TransactionView } from "../../protocol/messages.js";
import { eth, integer, short, time, units } from "../format.js";
import type { Labels } from "./Tables.js";

type Loaded = { status: "loading" } | { status: "error"; message: string } | { status: "ok"; view: TransactionView };

/** One transaction read from the chain: the decoded call, each authorization's outcome, the logs, the gas. */
export function TxView({
  hash,
  decimals,
  symbol,
  labels,
}: {
  hash: string;
  decimals: number;
  symbol: string;
  labels: Labels;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  useEffect(() => {
    let live = true;
    setLoaded({ status: "loading" });
    fetch(`api/tx/${encodeURIComponent(hash)}`)
      .then(async (response) => {
        const body: unknown = await response.json();
        if (!response.ok) {
          const error = (body as { error?: unknown }).error;
          throw new Error(typeof error === "string" ? error : `HTTP ${response.status}`);
        }
        const parsed = TransactionView.safeParse(body);
        if (!parsed.success) throw new Error("the server sent a transaction view this page does not understand");
        if (live) setLoaded({ status: "ok", view: parsed.data });
      })
      .catch((error: unknown) => {
        if (live) setLoaded({ status: "error", message: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      live = false;
    };
  }, [hash]);

  const who = (address: string | undefined) =>
    address ? (
      <span title={address}>
        {labels.get(address.toLowerCase()) ? <strong>{labels.get(address.toLowerCase())} </strong> : null}
        <code>{short(address)}</code>
      </span>
    ) : (
      "—"
    );

  return (
    <section aria-labelledby="tx-title" data-testid="tx-view">
      <p>
        <a href="#/" class="back">
          ← Dashboard
        </a>
      </p>
      <h2 id="tx-title" tabIndex={-1}>
        Transaction <code class="wrap">{hash}</code>
      </h2>
      {loaded.status === "loading" ? <p>Reading the chain…</p> : null}
      {loaded.status === "error" ? (
        <p class="error" role="alert">
          {loaded.message}
        </p>
      ) : null}
      {loaded.status === "ok" ? (
        <>
          <dl class="facts" data-testid="tx-facts">
            <dt>Status</dt>
            <dd>
              <span class={`badge ${loaded.view.status === "success" ? "settled" : "failed"}`} data-testid="tx-status">
                {loaded.view.status}
              </span>
            </dd>
            <dt>Block</dt>
            <dd data-testid="tx-block">
              {integer(loaded.view.blockNumber)} at {time(loaded.view.timestamp * 1_000)}
            </dd>
            <dt>From</dt>
            <dd>{who(loaded.view.from)}</dd>
            <dt>To</dt>
            <dd>
              {who(loaded.view.to ?? undefined)} <span class="muted">({loaded.view.target})</span>
            </dd>
            <dt>Gas used</dt>
            <dd data-testid="tx-gas">
              {integer(loaded.view.gas.used)} of {integer(loaded.view.gas.limit)}
              {loaded.view.gas.perAuthorization
                ? `, ${integer(loaded.view.gas.perAuthorization)} per authorization`
                : ""}
            </dd>
            <dt>Fee</dt>
            <dd>
              {eth(loaded.view.gas.fee)} ETH at {units(loaded.view.gas.effectiveGasPrice, 9, 3)} gwei
            </dd>
            <dt>Calldata</dt>
            <dd>{integer(loaded.view.calldataBytes)} bytes</dd>
          </dl>
          {loaded.view.call ? (
            <>
              <h3>Call</h3>
              <p data-testid="tx-call">
                <code>{loaded.view.call.functionName}</code>(
                {Object.entries(loaded.view.call.args)
                  .map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}…` : v}`)
                  .join(", ")}
                )
              </p>
            </>
          ) : null}
          <h3>Authorizations ({loaded.view.authorizations.length})</h3>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus to scroll (WCAG 2.1.1) */}
          <section class="scroll" tabIndex={0} aria-label="Authorizations table">
            <table data-testid="tx-authorizations">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    #
                  </th>
                  <th scope="col">Outcome</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col" class="num">
                    Value ({symbol})
                  </th>
                  <th scope="col">Nonce</th>
                </tr>
              </thead>
              <tbody>
                {loaded.view.authorizations.map((a) => (
                  <tr
                    key={a.index}
                    data-testid="tx-authorization"
                    data-status={a.status}
                    data-from={a.from.toLowerCase()}
                  >
                    <td class="num">{a.index}</td>
                    <td>
                      <span class={`badge ${a.status}`}>{a.status}</span>
                      {a.reason ? <span class="reason">{a.reason}</span> : null}
                    </td>
                    <td>{who(a.from)}</td>
                    <td>{who(a.to)}</td>
                    <td class="num">{a.value ? units(a.value, decimals) : "—"}</td>
                    <td>
                      <code title={a.nonce}>{short(a.nonce, 10, 6)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <h3>Events ({loaded.view.logs.length})</h3>
          <ol class="logs" data-testid="tx-logs">
            {loaded.view.logs.map((log) => (
              <li key={log.index}>
                <code>{log.name}</code>{" "}
                <span class="muted">
                  {Object.entries(log.args)
                    .map(([k, v]) => `${k}=${v.length > 20 ? short(v, 8, 6) : v}`)
                    .join(" ")}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
