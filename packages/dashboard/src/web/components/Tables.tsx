import type { BalanceRow, BatchRow, ChainInfo, LaneRow, PaymentRow } from "../../protocol/messages.js";
import { eth, integer, ms, short, time, units } from "../format.js";

/** Address → label (`PAYER_1`, `agentWallet`, …) for the accounts the dashboard watches. */
export type Labels = ReadonlyMap<string, string>;

const Who = ({ address, labels }: { address: string; labels: Labels }) => {
  const label = labels.get(address.toLowerCase());
  return (
    <span class="who" title={address}>
      {label ? <strong>{label}</strong> : null} <code>{short(address)}</code>
    </span>
  );
};

export const TxLink = ({ hash }: { hash: string | undefined }) =>
  hash ? (
    <a href={`#/tx/${hash}`} class="tx" data-testid="tx-link" data-tx={hash} title={hash}>
      <code>{short(hash, 8, 6)}</code>
    </a>
  ) : (
    <span class="muted">—</span>
  );

/** Payments, newest first (at most `limit`). */
export function PaymentsTable(props: {
  payments: readonly PaymentRow[];
  chain: ChainInfo;
  labels: Labels;
  limit?: number;
}) {
  const { payments, chain, labels } = props;
  const rows = payments.slice(-(props.limit ?? 200)).reverse();
  return (
    <section aria-labelledby="payments-title">
      <h2 id="payments-title">
        Payments <span class="count">{payments.length}</span>
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus to scroll (WCAG 2.1.1) */}
      <section class="scroll" tabIndex={0} aria-label="Payments table">
        <table data-testid="payments-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Payer</th>
              <th scope="col">Payee</th>
              <th scope="col" class="num">
                Amount ({chain.token.symbol})
              </th>
              <th scope="col">Scheme</th>
              <th scope="col">State</th>
              <th scope="col" class="num">
                Latency
              </th>
              <th scope="col">Settlement tx</th>
            </tr>
          </thead>
          <tbody aria-live="polite" aria-relevant="additions">
            {rows.length === 0 ? (
              <tr>
                <td colSpan={8} class="muted">
                  No payments yet. Run the demo agent or pay the demo API.
                </td>
              </tr>
            ) : (
              rows.map((p) => (
                <tr
                  key={p.id}
                  data-testid="payment-row"
                  data-state={p.state}
                  data-payer={p.payer.toLowerCase()}
                  data-tx={p.transaction ?? ""}
                  data-updated-at={p.updatedAt}
                >
                  <td>{time(p.at)}</td>
                  <td>
                    <Who address={p.payer} labels={labels} />
                  </td>
                  <td>
                    <Who address={p.payee} labels={labels} />
                  </td>
                  <td class="num">{units(p.amount, chain.token.decimals)}</td>
                  <td>{p.scheme}</td>
                  <td>
                    <span class={`badge ${p.state}`}>{p.state}</span>
                    {p.reason ? (
                      <span class="reason" data-testid="payment-reason" title={p.message ?? p.reason}>
                        {p.reason}
                      </span>
                    ) : null}
                  </td>
                  <td class="num">{ms(p.latencyMs)}</td>
                  <td>
                    <TxLink hash={p.transaction} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
    </section>
  );
}

/** Settlement transactions (batches), newest first. */
export function BatchesTable({ batches }: { batches: readonly BatchRow[] }) {
  const rows = [...batches].sort((a, b) => b.at - a.at).slice(0, 100);
  return (
    <section aria-labelledby="batches-title">
      <h2 id="batches-title">
        Settlement transactions <span class="count">{batches.length}</span>
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus to scroll (WCAG 2.1.1) */}
      <section class="scroll" tabIndex={0} aria-label="Settlement transactions table">
        <table data-testid="batches-table">
          <thead>
            <tr>
              <th scope="col">Transaction</th>
              <th scope="col">Kind</th>
              <th scope="col" class="num">
                Block
              </th>
              <th scope="col" class="num">
                Size
              </th>
              <th scope="col" class="num">
                Gas used
              </th>
              <th scope="col" class="num">
                Gas / payment
              </th>
              <th scope="col" class="num">
                Calldata
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={7} class="muted">
                  Nothing mined yet.
                </td>
              </tr>
            ) : (
              rows.map((b) => (
                <tr key={b.hash} data-testid="batch-row" data-tx={b.hash}>
                  <td>
                    <TxLink hash={b.hash} />
                    {b.status === "reverted" ? <span class="badge failed">reverted</span> : null}
                  </td>
                  <td>{b.kind}</td>
                  <td class="num">{integer(b.blockNumber)}</td>
                  <td class="num">{b.size}</td>
                  <td class="num">{integer(b.gasUsed)}</td>
                  <td class="num">{integer(b.gasPerPayment)}</td>
                  <td class="num">{integer(b.calldataBytes)} B</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
    </section>
  );
}

/** The facilitator's signer lanes. */
export function LanesTable({ lanes }: { lanes: readonly LaneRow[] }) {
  return (
    <section aria-labelledby="lanes-title">
      <h2 id="lanes-title">Signer lanes</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus to scroll (WCAG 2.1.1) */}
      <section class="scroll" tabIndex={0} aria-label="Signer lanes table">
        <table data-testid="lanes-table">
          <thead>
            <tr>
              <th scope="col">Signer</th>
              <th scope="col" class="num">
                Nonce
              </th>
              <th scope="col">In flight</th>
              <th scope="col" class="num">
                Queue
              </th>
              <th scope="col" class="num">
                Gas balance (ETH)
              </th>
            </tr>
          </thead>
          <tbody>
            {lanes.map((l) => (
              <tr key={l.address} data-testid="lane-row">
                <td>
                  <code title={l.address}>{short(l.address)}</code>
                </td>
                <td class="num">{l.nonce}</td>
                <td>
                  {l.inFlight} {l.inFlightTransaction ? <TxLink hash={l.inFlightTransaction} /> : null}
                </td>
                <td class="num">{l.queueDepth}</td>
                <td class="num">{eth(l.gasBalance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}

/** Token and ETH balances of the watched accounts. */
export function BalancesTable({ balances, chain }: { balances: readonly BalanceRow[]; chain: ChainInfo }) {
  return (
    <section aria-labelledby="balances-title">
      <h2 id="balances-title">Balances</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus to scroll (WCAG 2.1.1) */}
      <section class="scroll" tabIndex={0} aria-label="Balances table">
        <table data-testid="balances-table">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col" class="num">
                {chain.token.symbol}
              </th>
              <th scope="col" class="num">
                ETH
              </th>
            </tr>
          </thead>
          <tbody>
            {balances.map((b) => (
              <tr key={b.address} data-testid="balance-row" data-address={b.address.toLowerCase()}>
                <td>
                  <strong>{b.label}</strong> <code title={b.address}>{short(b.address)}</code>
                </td>
                <td class="num">{units(b.token, chain.token.decimals)}</td>
                <td class="num">{eth(b.eth)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
